"""Write the invented multi-year example project examples/kakuu-city (架空市).

Everything in it is made up: a fictitious city, 6 policy areas, 64 measures and their figures
for 令和4〜7年度, generated deterministically so the files never change from run to run.
Run: python examples/make_kakuu_city.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "kakuu-city"
YEARS = ("令和4年度", "令和5年度", "令和6年度", "令和7年度")
AREAS = [
    ("子ども・子育て", "子どもの笑顔があふれるまち"),
    ("健康・福祉", "誰もが安心して暮らせるまち"),
    ("教育・文化", "学びと文化が育つまち"),
    ("産業・雇用", "しごとと活力を生むまち"),
    ("防災・環境", "災害に強く自然と共生するまち"),
    ("行政運営", "市民と共に歩む開かれた市役所"),
]
DEPARTMENTS = ["企画課", "子ども未来課", "健康増進課", "福祉課", "学校教育課", "文化振興課", "商工観光課",
               "農林水産課", "危機管理課", "環境課", "総務課", "財政課"]
VERBS = ["推進します", "充実させます", "整備します", "支援します", "拡充します", "強化します"]
TOPICS = ["相談窓口", "地域の見守り", "デジタル化", "人材育成", "情報発信", "施設の改修", "交流の場づくり",
          "担い手の確保", "移住の促進", "健康づくり", "学習環境", "防災訓練", "再生可能エネルギー", "公共交通"]
STATUS = ["達成", "実施中", "実施中", "実施中", "着手", "未着手"]
UNITS = [("参加者数", "人", 1200), ("実施回数", "回", 48), ("相談件数", "件", 900), ("登録事業者数", "事業者", 60)]


def write(path: Path, rows: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def main() -> None:
    rng = random.Random(20250401)
    areas = [["分野番号", "分野名", "副題"]] + [[i, t, s] for i, (t, s) in enumerate(AREAS, 1)]
    measures = [["施策番号", "分野番号", "ビジョン内容", "取組内容", "進捗", "担当課", "掲載"]]
    metrics = [["施策番号", "指標名", "年度", "実績値", "単位", "目標値", "時点", "備考"]]
    counts = [11, 11, 11, 11, 10, 10]  # 64 measures, as in the second term of the seed's city
    for area, count in enumerate(counts, 1):
        for n in range(1, count + 1):
            measure_id = f"{area}-{n:02d}"
            topic = rng.choice(TOPICS)
            vision = f"{AREAS[area - 1][0]}の分野で、{topic}を{rng.choice(VERBS)}。"
            actions = [f"{topic}に関する取り組みを令和{rng.randint(4, 7)}年度から実施",
                       f"関係団体と連携し{rng.choice(TOPICS)}を進めた"]
            if n % 4 == 0:
                actions.append(f"・説明会を年{rng.randint(2, 12)}回開催")
            featured = 1 if n <= 2 else 0
            measures.append([measure_id, area, vision, "\n".join(actions), rng.choice(STATUS),
                             rng.choice(DEPARTMENTS), featured])
            label, unit, scale = UNITS[(area + n) % len(UNITS)]
            target = scale if n % 3 else ""
            value = scale * rng.uniform(0.15, 0.35)
            for year in YEARS:
                value = min(scale * 1.2, value * rng.uniform(1.05, 1.4))
                metrics.append([measure_id, label, year, round(value), unit, target, "", ""])
            if n % 5 == 0:
                rate = round(rng.uniform(40, 100), 1)
                metrics.append([measure_id, "電子申請の利用率", "令和7年度", f"{rate}%", "", "", "令和7年10月1日",
                                "架空のデータ"])
    write(OUT / "data" / "areas.csv", areas)
    write(OUT / "data" / "measures.csv", measures)
    write(OUT / "data" / "metrics.csv", metrics)
    (OUT / "koho.toml").write_text(
        "# 架空市: koho の複数年度の例。市名も数値もすべて架空のデータです(実在の自治体とは関係ありません)。\n"
        'title = "市長マニフェスト(第2期)"\n'
        'municipality = "架空市"\n'
        'newsletter = "広報かくう"\n'
        'issue = "令和7年12月号"\n'
        "first_page = 4\n"
        'lead = "令和4年度から令和7年度までの市長マニフェストの取組状況をお知らせします(架空の例)。"\n'
        'closing_note = "※これは koho の説明用に作った架空のデータです。"\n'
        'url = "https://www.example.jp/kakuu/manifesto"\n'
        "\n[contact]\n"
        'department = "架空市 企画課"\n'
        'phone = "000-000-0000"\n',
        encoding="utf-8")


if __name__ == "__main__":
    main()
