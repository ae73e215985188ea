"""Generated projects for layout tests: any number of areas, measures, years and figures."""

from __future__ import annotations

import csv
from pathlib import Path

LONG = "地域の皆さまと対話を重ねながら、誰もが安心して暮らし続けられるまちづくりを進めます。"


def write_csv(path: Path, rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def make_project(folder: Path, areas: int, measures_per_area: int, years: int = 2, first_page: int = 2,
                 toml_extra: str = "", vision_repeat: int = 1) -> Path:
    """A project with `areas` areas of `measures_per_area` featured measures each."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "koho.toml").write_text(
        'title = "市長マニフェスト"\nmunicipality = "架空市"\nnewsletter = "広報かくう"\nissue = "令和7年4月号"\n'
        f'first_page = {first_page}\nurl = "https://www.example.jp/manifesto"\n'
        'closing_note = "※この資料は試験用の架空のデータです。"\n' + toml_extra,
        encoding="utf-8")
    write_csv(folder / "areas.csv", [["分野番号", "分野名", "副題"]] + [
        [a, f"分野その{a}", f"暮らしを支える施策群{a}"] for a in range(1, areas + 1)])
    measures = [["施策番号", "分野番号", "ビジョン内容", "取組内容", "掲載"]]
    metrics = [["施策番号", "指標名", "年度", "実績値", "単位", "目標値", "時点"]]
    for a in range(1, areas + 1):
        for m in range(1, measures_per_area + 1):
            measure_id = f"{a:02d}-{m}"
            measures.append([measure_id, a, f"施策{measure_id}の目標です。" + LONG * vision_repeat,
                             f"取り組み{measure_id}を実施\n{LONG}", 1])
            if m % 3 == 1:
                for y in range(years):
                    metrics.append([measure_id, f"参加者数{measure_id}", 2022 + y, 100 * (y + 1) + m, "人", 1000, ""])
            if m % 3 == 2:
                metrics.append([measure_id, f"達成率{measure_id}", "令和6年度", "87.5%", "", "", "令和7年3月31日"])
    write_csv(folder / "measures.csv", measures)
    write_csv(folder / "metrics.csv", metrics)
    return folder


VARIED = ("地域の皆さまと「対話」を重ね、「誰もが安心して暮らし続けられるまち」を目指して、子育て世代の"
          "転入（移住相談を含む）を促し、『わくわく』する交流の場（公民館や図書館）をつくり、「見守り」"
          "（訪問と電話）を強化し、避難所の運営を見直しました。")
SHIFT = "まちの市民の声を聞きながら、地域で"


def varied_text(number: int) -> str:
    """The number-th text of a varied project: a prefix of VARIED that grows one character at a time
    (closed with 。), after 0 to 16 characters that move its brackets along the line."""
    return SHIFT[:number % 17] + VARIED[:40 + number].rstrip("、。「『（") + "。"


def make_varied_project(folder: Path, areas: int = 3, measures_per_area: int = 6) -> Path:
    """A long project whose visions and actions are `varied_text`s: their last lines end at every
    position of the line, and brackets and 、。 fall at line starts and ends."""
    make_project(folder, areas=areas, measures_per_area=measures_per_area)
    rows = [["施策番号", "分野番号", "ビジョン内容", "取組内容", "掲載"]]
    count = 0
    for a in range(1, areas + 1):
        for m in range(1, measures_per_area + 1):
            rows.append([f"{a:02d}-{m}", a, varied_text(count + 1), f"取り組み{a:02d}-{m}を実施\n{varied_text(count + 2)}", 1])
            count += 2
    write_csv(folder / "measures.csv", rows)
    return folder
