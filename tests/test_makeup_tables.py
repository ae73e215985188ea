"""Tables that read like Japanese tables (issue 23, item 3), measured on the PDFs.

Handout cells break between phrases (BudouX) and are set flush left; parenthesised units and rates
stay whole; the status and grade counts print only what the data has, one table per grade scale;
the city is named once and the running head does not repeat the title below it. The archive's
index columns do not wrap and a table of one value is as wide as its content.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import budoux
import pdfplumber
import pytest

from report.commands.build import BuildResult, build
from report.render.html.markup import ruby_html
from report.render.html.phrases import phrased_html
from tests.conftest import ShippedBuilds
from tests.makeup import runs_of, text_lines
from tests.projects import make_project

PARSER = budoux.load_default_japanese_parser()
BRACKETS = "、。「」（）『』()"


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory, shipped_documents: ShippedBuilds) -> dict[str, BuildResult]:
    """The handouts of the sample, both examples (shared with other modules) and a generated
    40-measure project with long texts."""
    out = tmp_path_factory.mktemp("handouts")
    forty = make_project(out / "forty", areas=4, measures_per_area=10, years=3, vision_repeat=2)
    return {**{name: shipped_documents[name, "handout"] for name in ("sample", "kakuu", "kpi")},
            "forty": build(forty, kind="handout", output=out / "forty.pdf", html_output=out / "forty.html")}


@pytest.fixture(scope="module")
def kakuu_archive(shipped_documents: ShippedBuilds) -> BuildResult:
    return shipped_documents["kakuu", "archive"]


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def cell_lines(page) -> list[list[dict]]:  # noqa: ANN001 - pdfplumber page
    """Every line of text on the page cut at the table's vertical rules: one list per cell line
    (ruby readings and the zero-width 和欧間 spaces left out)."""
    rows: dict[int, list[dict]] = {}
    for char in page.chars:
        if char["size"] >= 6:
            rows.setdefault(round(char["bottom"]), []).append(char)
    rules = [edge for edge in page.edges if edge["orientation"] == "v"]
    return runs_of(rows.values(), lambda before, char: any(
        before["x1"] - 0.5 <= rule["x0"] <= char["x0"] + 0.5 and rule["top"] <= char["top"]
        and rule["bottom"] >= char["bottom"] for rule in rules))


def stretch(line: list[dict]) -> float:
    """The median space between two Japanese characters of a line, in em (0 when set solid)."""
    gaps = sorted((b["x0"] - a["x1"]) / b["size"] for a, b in zip(line, line[1:])
                  if _wide(a["text"]) and _wide(b["text"]) and a["text"] not in BRACKETS and b["text"] not in BRACKETS)
    return gaps[len(gaps) // 2] if len(gaps) >= 3 else 0.0


class _Paragraphs(HTMLParser):
    """The text of every paragraph, list item and cell of a page's HTML, ruby readings left out."""

    BLOCKS = {"p", "li", "td", "th", "h1", "h2", "caption", "div"}

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.current: list[str] = []
        self.reading = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "span" and ("class", "rt") in attrs:
            self.reading += 1
        elif self.reading:
            self.reading += tag == "span"
        if tag in self.BLOCKS:
            self._close()

    def handle_endtag(self, tag: str) -> None:
        if self.reading and tag == "span":
            self.reading -= 1
        if tag in self.BLOCKS:
            self._close()

    def handle_data(self, data: str) -> None:
        if not self.reading:
            self.current.append(data)

    def _close(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if text:
            self.texts.append(text)
        self.current = []


def paragraphs(html_path: Path) -> list[str]:
    parser = _Paragraphs()
    parser.feed(html_path.read_text(encoding="utf-8"))
    return parser.texts


def wraps(pdf: Path) -> list[tuple[int, str, str]]:
    """(page, line, next line) for every two lines one above the other in one cell."""
    found = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            lines = cell_lines(page)
            for line in lines:
                x0, bottom, size = line[0]["x0"], line[0]["bottom"], line[0]["size"]
                below = [other for other in lines
                         if abs(other[0]["x0"] - x0) < 1 and 0 < other[0]["bottom"] - bottom < 1.8 * size]
                if below:
                    following = min(below, key=lambda other: other[0]["bottom"])
                    found.append((number, *("".join(c["text"] for c in part).replace(" ", "") for part in (line, following))))
    return found


def broken_phrases(result: BuildResult, longest: int = 6) -> list[tuple[int, str, str, str]]:
    """Line ends inside a phrase of `longest` characters or fewer, in text that runs on (two lines
    of one paragraph: their text follows on in the HTML)."""
    texts = [(text, [i for i, char in enumerate(text) if char != " "]) for text in paragraphs(result.html)]
    found = []
    for number, line, following in wraps(result.pdf):
        joined = line + following
        for text, solid in texts:  # solid: where each character but the spaces is in the text
            at = "".join(text[i] for i in solid).find(joined)
            if at < 0:
                continue
            end = solid[at + len(line)]  # the text's first character on the next line
            if text[end - 1] == " ":
                break  # a line broken at a space typed
            position = 0
            for phrase in PARSER.parse(text):
                if position < end < position + len(phrase) and len(phrase) <= longest:
                    found.append((number, line, following, phrase))
                position += len(phrase)
            break
    return found


NAMES = ("sample", "kakuu", "kpi", "forty")


@pytest.mark.parametrize("name", NAMES)
def test_no_handout_cell_line_is_stretched(handouts: dict[str, BuildResult], name: str) -> None:
    """Flush left: no cell line spread over 0.1 em per gap (justified narrow cells reached 0.21 em)."""
    with pdfplumber.open(handouts[name].pdf) as pdf:
        spread = [(number, round(stretch(line), 3), "".join(c["text"] for c in line))
                  for number, page in enumerate(pdf.pages, 1) for line in cell_lines(page) if stretch(line) > 0.1]
    assert spread == []


@pytest.mark.parametrize("name", NAMES)
def test_no_handout_cell_line_breaks_inside_a_short_phrase(handouts: dict[str, BuildResult], name: str) -> None:
    """「子ど / も・子育 / て」, 「（事 / 業者）」 no more: lines break between phrases (BudouX)."""
    result = handouts[name]
    assert wraps(result.pdf), "the measure counts no wrapped line: it measures nothing"
    assert broken_phrases(result) == []


def test_area_titles_and_rates_are_kept_whole(handouts: dict[str, BuildResult]) -> None:
    with pdfplumber.open(handouts["kakuu"].pdf) as pdf:
        lines = [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]
    assert any("01 子ども・子育て" in line for line in lines)  # the 分野 on one line
    assert not any(line.rstrip().endswith(("子ど", "(事", "（事", "達成率", "(第", "（第")) for line in lines)
    assert any("(達成率 98.3%)" in line for line in lines)


def test_status_and_grade_counts_only_of_what_the_data_has(handouts: dict[str, BuildResult]) -> None:
    """The sample has no status on the scale: no table of zeros. kpi-city's grades changed in
    令和5年度: one count per scale, so ○ means 概ね達成 in one and 順調 in the other, never both."""
    def text(name: str) -> str:
        with pdfplumber.open(handouts[name].pdf) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)

    assert "分野別の進捗状況" not in text("sample")
    assert "分野別の進捗状況" in text("kakuu")
    kpi = text("kpi").split("施策番号")[0]
    before, after = kpi.split("令和4年度までの段階で評価")[1].split("令和5年度からの段階で評価")
    assert "概ね達成" in before and "順調" not in before
    assert "順調" in after and "概ね達成" not in after


@pytest.mark.parametrize("name", ["kakuu", "kpi"])
def test_the_city_is_named_once_and_the_title_once_on_page_one(handouts: dict[str, BuildResult], name: str) -> None:
    with pdfplumber.open(handouts[name].pdf) as pdf:
        first, second = (page.extract_text() or "" for page in pdf.pages[:2])
    assert "架空市 企画課" in first and "架空市 架空市" not in first
    title = handouts[name].project.config.title
    assert first.count(title) == 1  # the running head is not printed above the title
    assert second.startswith(title)  # it is on the pages after


def test_the_archive_index_columns_do_not_wrap(kakuu_archive: BuildResult) -> None:
    with pdfplumber.open(kakuu_archive.pdf) as pdf:
        start = next(i for i, page in enumerate(pdf.pages)
                     if "施策一覧(索引)" in (text := page.extract_text() or "") and "施策番号" in text)
        rows = [row for page in pdf.pages[start:] for table in page.extract_tables() for row in table]
    header = rows[0]
    assert header[:2] == ["施策番号", "分野"]
    short = [header.index(word) for word in ("施策番号", "分野", "進捗", "担当課")]
    body = [row for row in rows if row != header]
    assert len(body) == 64
    assert [row for row in body if any("\n" in (row[i] or "") for i in short)] == []


def test_a_table_of_one_value_is_as_wide_as_its_content(kakuu_archive: BuildResult) -> None:
    with pdfplumber.open(kakuu_archive.pdf) as pdf:
        page = next(page for page in pdf.pages if "電子申請の利用率" in (page.extract_text() or ""))
        tables = page.find_tables()
        widths = {("82.6" in "".join(c or "" for row in t.extract() for c in row)): t.bbox[2] - t.bbox[0] for t in tables}
        type_area = max(widths.values())
    assert widths[True] < 0.5 * type_area  # the one value's table, beside the full-width ones
    assert widths[False] == type_area


def test_the_caption_of_a_table_of_one_value_is_not_broken_to_its_width(tmp_path: Path) -> None:
    """The sample's archive has three tables of one value captioned 「特産品コンクール参加事業者数(単位:
    事業者)」 and the like: each caption is one line, its table as wide as it (it was broken to the
    table's width, 「…参加事業者 / 数(単位: 事業者)」), and no box overflows; a caption longer than a line of
    the type area (a 47-character label) keeps its table full width and wraps at the type area's
    width, inside it."""
    from tests.conftest import copy_project

    project = copy_project(tmp_path / "p")
    metrics = project / "metrics.csv"
    text = metrics.read_text(encoding="utf-8")
    long_label = "特産品コンクールに参加した事業者のうち市内に本社または主な事業所を置き継続して出品した事業者の数"
    project_metrics = text.replace("特産品コンクール参加事業者数", long_label, 1)
    assert project_metrics != text
    metrics.write_text(project_metrics, encoding="utf-8")
    result = build(project, kind="archive", output=tmp_path / "archive.pdf")
    assert [w.message for w in result.warnings if "はみ出して" in w.message] == []  # no caption overflows its box
    with pdfplumber.open(result.pdf) as pdf:
        page = next(page for page in pdf.pages if "特産品コンクール出品商品数" in "".join(c["text"] for c in page.chars))
        texts = [text for _, _, text in text_lines(page, spaces=True)]
        right = max(c["x1"] for c in page.chars if c["top"] > 20 * 72 / 25.4)
        assert right <= page.width - 18 * 72 / 25.4 + 0.5  # nothing runs into the margin
    for label in ("特産品コンクール出品商品数(単位: 商品)", "特産品コンクール金賞商品数(単位: 商品)"):
        assert label in texts, texts
    [first] = [line for line in texts if line.startswith(long_label[:10])]
    assert first == long_label  # wrapped at the type area's width (not the table's), the unit kept whole
    assert "(単位: 事業者)" in texts


def test_phrases_wrap_the_text_and_add_no_character() -> None:
    source = "子ども・子育ての分野で、登録事業者数（事業者）を計画（第2期）に{日日nova|ひびのば}で10人"
    marked = str(phrased_html(ruby_html(source)))
    shown = html.unescape(re.sub(r'<span class="rt">[^<]*</span>|<[^>]+>', "", marked))
    assert shown == re.sub(r"\{([^|]+)\|[^}]+\}", r"\1", source)
    assert not any(unicodedata.category(c) == "Cf" for c in marked)  # no joiner nor zero-width character
    phrases = [html.unescape(re.sub(r'<span class="rt">[^<]*</span>|<[^>]+>', "", p))
               for p in re.findall(r'<span class="phrase">((?:(?!<wbr>).)*)</span>', marked)]
    assert "（事業者）を" in phrases or "（事業者）" in phrases
    assert any("（第2期）" in p for p in phrases)
    assert not any(p.startswith("・") for p in phrases)  # never 「子ども / ・子育て」


def test_the_phrase_breaks_leave_no_character_in_the_text(handouts: dict[str, BuildResult]) -> None:
    """The <wbr> between phrases is an element: no zero-width space lands in what a reader copies."""
    with pdfplumber.open(handouts["kakuu"].pdf) as pdf:
        chars = [char["text"] for page in pdf.pages for char in page.chars]
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "子ども・子育て" in text
    assert not [c for c in chars if unicodedata.category(c) == "Cf"]
