"""The import's pure readers: years in header and cell text (years.py), value cells as cities write
them (values.py) and header words (lexicon.py). Examples are the real ones of IMPORT-LAYOUTS.md and
issue 22."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from report.ingest.sheets.lexicon import WORDS, meaning_of, not_read, unit_in_header
from report.ingest.sheets.model import Meaning
from report.ingest.sheets.values import DASHES, NO_FIGURE_WORDS, read_cell
from report.ingest.sheets.years import header_role, year_in, years_in
from report.load.values.era import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR, fiscal_year_label
from report.load.values.numbers import format_number

# --- years -----------------------------------------------------------------------------------

# (text, year, calendar, provisional)
YEARS = [
    ("令和5年度", 2023, False, False), ("R5", 2023, False, False), ("R5年度", 2023, False, False),
    ("H28", 2016, False, False), ("平成13年実績", 2001, False, False), ("2023", 2023, False, False),
    ("2023年度", 2023, False, False), ("２０２３", 2023, False, False), ("基準値(R1)", 2019, False, False),
    ("目標(令和7年度)", 2025, False, False), ("令和元年度", 2019, False, False), ("(2019年度)", 2019, False, False),
    ("（H28）", 2016, False, False), ("R6 実績値", 2024, False, False), ("令和５年度", 2023, False, False),
    ("Ｒ５", 2023, False, False), ("平成十三年度", 2001, False, False), ("FY2023", 2023, False, False),
    ("平成32年度", 2020, False, False),  # written before the era changed: 令和2年度
    ("㋿5年度", 2023, False, False), ("令和5年度\n実績", 2023, False, False), ("令和5年度 / 実績", 2023, False, False),
    ("R5年 目標", 2023, False, False),  # 年 beside a figure's word is 年度 in a fiscal table
    # 暦年
    ("2019年", 2019, True, False), ("令和元年 (暦年)", 2019, True, False), ("2019年(暦年)", 2019, True, False),
    ("令和2年国勢調査", 2020, True, False), ("2023年末", 2023, True, False),
    # not results yet
    ("R5 (9月30日現在)", 2023, False, True), ("令和5年度末見込", 2023, False, True),
    ("令和5年度(予定)", 2023, False, True), ("R6見込", 2024, False, True), ("2023年度(速報)", 2023, False, True),
    ("令和6年6月30日現在", 2024, False, True), ("R6.9.30", 2024, False, True),
    # the fiscal year's last day is a full year's result
    ("令和6年3月31日現在", 2023, False, False), ("2024/3/31時点", 2023, False, False),
    ("H28.3末", 2015, False, False), ("令和6年3月末", 2023, False, False), ("R6.9月末", 2024, False, True),
]


@pytest.mark.parametrize("text, year, calendar, provisional", YEARS)
def test_year_in_reads_every_style(text: str, year: int, calendar: bool, provisional: bool) -> None:
    found = year_in(text)
    assert found is not None, text
    assert (found.year, found.calendar, found.provisional) == (year, calendar, provisional)


@pytest.mark.parametrize("text", [
    "令和0年度", "平成0年", "R0", "昭和60年", "1988年度", "2101", "令和99年度",  # year 0 or out of range
    "令和2〜7年度", "R2~R7", "2019年度:300 2020年度:600",  # several years: years_in's business
    "R6.3", "2024/3",  # a month or a decimal: not guessed
    "実績", "1,989人", "1990人", "2023件", "82.6", "CH4", "9月30日現在", "",  # no year named
])
def test_year_in_refuses_to_guess(text: str) -> None:
    assert year_in(text) is None


@pytest.mark.parametrize("text, years", [
    ("2019年度:300 2020年度:600", [2019, 2020]),
    ("令和2〜7年度", [2020, 2025]), ("R2~R7", [2020, 2025]), ("2019-2023年度", [2019, 2023]),
    ("H27 H28 H29 H30 H31", [2015, 2016, 2017, 2018, 2019]),  # つくば市's 従前値 row
    ("2,410事業所（H28）", [2016]), ("300,2020年度:600", [2020]),
])
def test_years_in_names_each_year(text: str, years: list[int]) -> None:
    assert [ref.year for ref in years_in(text)] == years


@pytest.mark.parametrize("text, year, as_of, provisional", [
    ("R5 (9月30日現在)", 2023, dt.date(2023, 9, 30), True), ("R5 (2月10日現在)", 2023, dt.date(2024, 2, 10), True),
    ("令和6年6月30日現在", 2024, dt.date(2024, 6, 30), True), ("R6.3末", 2023, dt.date(2024, 3, 31), False),
    ("令和5年度実績(令和6年3月31日現在)", 2023, dt.date(2024, 3, 31), False),
    ("2019年 12月31日現在", 2019, dt.date(2019, 12, 31), False),  # a calendar year's end
    ("令和5年度", 2023, None, False),
])
def test_the_day_written_with_a_year_is_kept(text: str, year: int, as_of: dt.date | None, provisional: bool) -> None:
    found = year_in(text)
    assert found is not None and (found.year, found.as_of, found.provisional) == (year, as_of, provisional)


@pytest.mark.parametrize("text", ["R6.2.30", "2023年2月29日現在", "R5 (9月30日現在) R6.3.31時点"])
def test_no_such_day_or_two_days_is_no_year(text: str) -> None:
    assert year_in(text) is None


def test_years_in_keeps_each_years_own_words() -> None:
    first, second = years_in("R5実績 R6見込")
    assert (first.year, first.provisional) == (2023, False)
    assert (second.year, second.provisional) == (2024, True)


@pytest.mark.parametrize("style", ["wareki", "short", "western"])
def test_every_label_koho_prints_reads_back(style: str) -> None:
    for year in range(FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR + 1):
        found = year_in(fiscal_year_label(year, style))
        assert found is not None and (found.year, found.calendar, found.provisional) == (year, False, False)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR), st.sampled_from(["wareki", "short", "western"])),
                min_size=1, max_size=5),
       st.sampled_from([" ", "、", " / ", "\n", "：300 ", ":1,000人 ", "(実績) ", "\u3000"]))
def test_years_in_reads_a_row_of_year_labels_in_order(items: list[tuple[int, str]], separator: str) -> None:
    text = separator.join(fiscal_year_label(year, style) for year, style in items)
    assert [ref.year for ref in years_in(text)] == [year for year, _ in items]


@pytest.mark.parametrize("text, role", [
    ("平成13年実績", "value"), ("R6 実績値", "value"), ("令和5年度 / 実績", "value"), ("R5見込", "value"),
    ("目標(令和7年度)", "target"), ("令和5年度(予定)", "target"), ("R5 / 目標", "target"),
    ("基準値(R1)", "baseline"), ("現状値(H28)", "baseline"), ("従前値 H27", "baseline"), ("策定時(R1)", "baseline"),
    ("最終目標(令和7年度)", "final_target"), ("令和7年度 / 最終目標", "final_target"),
    ("令和5年度", ""), ("R5 / 達成率", ""), ("R5 評価", ""), ("R5 目標/実績", ""), ("基本目標", ""), ("目標年度", ""),
])
def test_header_role(text: str, role: str) -> None:
    assert header_role(text) == role


# --- values ----------------------------------------------------------------------------------

# (cell, number, unit, qualifier)
FIGURES = [
    ("1,007人", "1007", "人", ""), ("72自治会", "72", "自治会", ""), ("58.2万人", "58.2", "万人", ""),
    ("109台", "109", "台", ""), ("364件", "364", "件", ""), ("5箇所", "5", "箇所", ""),
    ("12.5㎡", "12.5", "㎡", ""), ("3.5ｋｍ", "3.5", "ｋｍ", ""),  # unit symbols are not NFKC-mangled
    ("82.6％", "82.6", "%", ""), ("82.6%", "82.6", "%", ""), ("１，００７人", "1007", "人", ""),
    ("1007", "1007", "", ""), ("2023", "2023", "", ""), ("1007\t", "1007", "", ""), (" 104 ", "104", "", ""),
    ("△5", "-5", "", ""), ("▲1.2%", "-1.2", "%", ""), ("-5", "-5", "", ""), ("－5", "-5", "", ""),
    ("96.0以上", "96.0", "", "以上"), ("30分以内", "30", "分", "以内"), ("5%未満", "5", "%", "未満"),
    ("100人超", "100", "人", "超"), ("10件以下", "10", "件", "以下"), ("約1,000人", "1000", "人", "約"),
]


@pytest.mark.parametrize("cell, number, unit, qualifier", FIGURES)
def test_read_cell_figures(cell: str, number: str, unit: str, qualifier: str) -> None:
    value = read_cell(cell)
    assert (value.number, value.unit, value.qualifier) == (Decimal(number), unit, qualifier)
    assert value.percent == (unit == "%")
    assert value.no_figure == "" and value.text == cell


@pytest.mark.parametrize("cell", [
    *DASHES, "- ", " － ", "――", "--", "なし", "無し", "集計中", "把握できない", "未集計", "調査中", "対象外",
    "該当なし", "n/a", "N/A", "未公表", "", " \t ", "\n", "※", "（H28）",
])
def test_no_figure_is_not_zero_and_not_an_error(cell: str) -> None:
    value = read_cell(cell)
    assert value.number is None and value.no_figure and not value.parts


def test_the_five_dashes_of_the_real_export_and_the_minus_sign() -> None:
    for dash in "-－―‐–−":
        assert read_cell(dash).no_figure == dash


@pytest.mark.parametrize("cell, number, unit, year, qualifier", [
    ("82.6 (2019年度)", "82.6", "", 2019, ""), ("96.0以上 (2023年度)", "96.0", "", 2023, "以上"),
    ("2,410事業所（H28）", "2410", "事業所", 2016, ""), ("82.6\n(2019年度)", "82.6", "", 2019, ""),
    ("82.6 2019年度", "82.6", "", 2019, ""), ("R5: 82.6", "82.6", "", 2023, ""), ("2023 (R5)", "2023", "", 2023, ""),
])
def test_a_year_in_the_cell(cell: str, number: str, unit: str, year: int, qualifier: str) -> None:
    value = read_cell(cell)
    assert value.year is not None
    assert (value.number, value.unit, value.year.year, value.qualifier) == (Decimal(number), unit, year, qualifier)
    assert value.aside == ""


@pytest.mark.parametrize("cell, number, marker", [
    ("1,007人※1", "1007", "※1"), ("1,007人※", "1007", "※"), ("※1,007人", "1007", "※"), ("※ 1,007", "1007", "※"),
    ("※1 300", "300", "※1"), ("注1 300", "300", "注1"), ("82.6（※2）", "82.6", "※2"), ("300＊1", "300", "＊1"),
    ("5件（注）", "5", "注"), ("300注2", "300", "注2"), ("12受注件", "12", ""),  # 受注件 is a unit, not a mark
])
def test_note_marks_leave_the_number(cell: str, number: str, marker: str) -> None:
    value = read_cell(cell)
    assert (value.number, value.marker) == (Decimal(number), marker)


def test_several_yearly_targets_in_one_cell() -> None:
    value = read_cell("2019年度:300 2020年度:600 2021年度:900")
    assert value.number is None and not value.no_figure
    assert [(ref.year, n) for ref, n in value.parts] == [(2019, 300), (2020, 600), (2021, 900)]
    value = read_cell("R1：300人、R2：600人")
    assert [(ref.year, n) for ref, n in value.parts] == [(2019, 300), (2020, 600)] and value.unit == "人"


def test_a_sub_count_is_not_a_year() -> None:
    value = read_cell("29（4）")
    assert (value.number, value.year, value.aside) == (Decimal(29), None, "(4)")
    assert read_cell("29（R4）").year.year == 2022  # an era makes it a year


def test_words_in_brackets_are_kept_and_may_say_provisional() -> None:
    value = read_cell("82.6（速報値）")
    assert (value.number, value.aside, value.provisional) == (Decimal("82.6"), "(速報値)", True)
    value = read_cell("12 (R5見込)")
    assert value.year.year == 2023 and value.year.provisional and value.provisional


def test_a_no_figure_cell_is_not_refused_for_its_remark() -> None:
    value = read_cell("集計中（R6.8公表予定）")  # R6.8: a month, not a year koho reads
    assert value.number is None and value.no_figure == "集計中" and value.year is None
    assert value.aside == "(R6.8公表予定)"
    with pytest.raises(ValueError, match="括弧内の年度"):
        read_cell("82.6（R6.8公表）")  # beside a figure the year matters


def test_no_figure_keeps_its_year_and_mark() -> None:
    value = read_cell("－（R5）")
    assert value.number is None and value.no_figure == "－" and value.year.year == 2023
    value = read_cell("集計中※1")
    assert value.number is None and value.no_figure == "集計中" and value.marker == "※1"


@pytest.mark.parametrize("cell, reason", [
    ("A", "数値として読めません"), ("増加", "数値として読めません"), ("―5", "数値として読めません"),
    ("1億2000万円", "単位として読めません"), ("100①", "単位として読めません"), ("#DIV/0!", "Excelのエラー値"),
    ("#N/A", "Excelのエラー値"), ("1,0000", "数値として読めません"), ("以上", "数値として読めません"),
    ("82.6 (2019年度) (2020年度)", "年度が二つ"), ("2019年度:300 2019年度:600", "同じ年度"),
    ("2019年度:300人 2020年度:600件", "単位がそろっていません"), ("約100以上", "一緒に"),
    ("5〜10人", "数値"), ("令和0年度:5", "年度として読めません"),
])
def test_what_is_no_value_is_a_japanese_reason(cell: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        read_cell(cell)


dash_only = st.text(alphabet=DASHES + " \u3000\t", min_size=1).filter(lambda t: any(c in DASHES for c in t))


@settings(max_examples=300, deadline=None)
@given(dash_only)
def test_a_dash_only_cell_never_has_a_number(cell: str) -> None:
    value = read_cell(cell)
    assert value.number is None and value.no_figure


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["", "人", "件", "万人", "㎡", "%", "％", "自治会", "事業所"]),
       st.sampled_from(["", "以上", "以下", "未満"]),
       st.sampled_from(["", " (2019年度)", "（H28）", " (R5)"]))
def test_a_formatted_figure_reads_back(number: Decimal, unit: str, qualifier: str, year: str) -> None:
    value = read_cell(f"{format_number(number)}{unit}{qualifier}{year}")
    assert value.number == number
    assert value.unit == unit.replace("％", "%") and value.qualifier == qualifier
    assert (value.year is None) == (year == "")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789,.-－―△%％人年度令和平成RH()（）※注 :：以上万㎡①\t"))
               | st.characters(), max_size=14))
@example("令和0年度:5")
@example("※")
@example("(※)")
def test_read_cell_only_ever_raises_a_japanese_value_error(cell: str) -> None:
    try:
        value = read_cell(cell)
    except ValueError as error:
        assert any("\u3040" <= c <= "\u9fff" for c in str(error)), str(error)
        return
    assert value.number is None or value.no_figure == ""
    assert value.number is not None or value.no_figure or value.parts
    if value.year is not None:
        assert FIRST_FISCAL_YEAR <= value.year.year <= LAST_FISCAL_YEAR


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=20))
def test_years_are_always_in_range_and_consistent(text: str) -> None:
    found = year_in(text)
    every = years_in(text)
    assert all(FIRST_FISCAL_YEAR <= ref.year <= LAST_FISCAL_YEAR for ref in every)
    if found is not None:
        assert {ref.year for ref in every} == {found.year}


# --- lexicon ---------------------------------------------------------------------------------

HEADERS = [
    *[(h, Meaning.LABEL) for h in ("KPI名", "ＫＰＩ名", "成果指標", "成果指標名", "目標(指標)名", "目標（指標）名",
                                   "指標名称(単位)", "指標", "指標名", "①KPI名", "評価指標")],
    *[(h, Meaning.DIRECTION) for h in ("指標の方向性", "指標の\n方向性", "目指す方向", "方向性", "方向", "↑↓")],
    ("基準値年度", Meaning.BASELINE_YEAR), ("基準値 / 年度", Meaning.BASELINE_YEAR), ("基準年度", Meaning.BASELINE_YEAR),
    *[(h, Meaning.BASELINE) for h in ("基準値", "現状値", "従前値", "策定時", "基準値(R1)", "現状値（H28）")],
    *[(h, Meaning.VALUE) for h in ("実績", "(実績)", "実績値", "令和5年度 / 実績", "平成13年実績", "R6 実績値")],
    *[(h, Meaning.TARGET) for h in ("目標", "(予定)", "目標値", "目標(令和7年度)", "R5 / 目標")],
    ("最終目標", Meaning.FINAL_TARGET), ("最終目標 / 令和7年度", Meaning.FINAL_TARGET),
    ("目標年度", Meaning.TARGET_YEAR),
    *[(h, Meaning.RATE) for h in ("達成率", "進捗率", "達成度", "目標達成率")],
    *[(h, Meaning.GRADE) for h in ("評価", "判定", "評価結果", "達成状況(A~D)", "達成状況（Ａ～Ｄ）")],
    *[(h, Meaning.DEPARTMENT) for h in ("担当課", "所管課", "担当部署")],
    *[(h, Meaning.AREA) for h in ("分野", "基本目標", "政策", "大綱", "章")],
    *[(h, Meaning.MEASURE) for h in ("施策", "基本施策", "事業", "取組項目", "事務事業名")],
    *[(h, Meaning.VISION) for h in ("施策の方向", "目指す姿", "ビジョン", "ビジョン内容")],
    *[(h, Meaning.ACTIONS) for h in ("主な取組", "取組内容", "実施内容", "取組状況", "施策の方向 / 主な取組")],
    *[(h, Meaning.STATUS) for h in ("進捗", "進捗状況")],
    ("単位", Meaning.UNIT), ("備考", Meaning.NOTE), ("注", Meaning.NOTE),
    *[(h, Meaning.AS_OF) for h in ("時点", "基準日", "調査時点")],
    ("年度", Meaning.FISCAL_YEAR),
    *[(h, Meaning.CUMULATIVE) for h in ("累計", "累計・単年度", "累計/単年度")],
    # a two-character word with an affix or another word beside it
    ("評価(A~D)", Meaning.GRADE), ("施策番号", Meaning.MEASURE), ("分野No", Meaning.AREA), ("実績(見込)", Meaning.VALUE),
    ("指標(単位)", Meaning.LABEL), ("方向(↑↓)", Meaning.DIRECTION), ("担当課(係)", Meaning.DEPARTMENT),
    # the fixtures' evaluation export (indicator slots, sentence headers) and open-data KPI list
    ("指標1名", Meaning.LABEL), ("指標1単位", Meaning.UNIT), ("指標2目標", Meaning.TARGET), ("指標3実績", Meaning.VALUE),
    ("①事業の目的\n（誰・何を・どのような状態に）", Meaning.VISION), ("②今年度の主な取組\n（具体的な手段）", Meaning.ACTIONS),
    ("政策\n（分野）", Meaning.AREA), ("事業番号", Meaning.MEASURE), ("評価年度", Meaning.FISCAL_YEAR),
    ("所管部局名", Meaning.DEPARTMENT), ("具体的な施策", Meaning.MEASURE), ("KPI", Meaning.LABEL), ("公約(ビジョン)", Meaning.VISION),
]


@pytest.mark.parametrize("header, meaning", HEADERS)
def test_meaning_of_every_synonym(header: str, meaning: Meaning) -> None:
    assert meaning_of(header) == meaning


@pytest.mark.parametrize("header", [
    "人口(人)", "No.", "事業費", "予算額", "目標実績", "注意", "", "令和5年度", "①",
    # body text and indicator names holding a two-character word are not headers
    "事業所数", "評価制度の導入", "担当者研修の実施", "市の政策", "分野別計画の策定",
    # identifiers and columns the fixtures' careful person ignores
    "KPI番号", "所管部局コード", "全国地方公共団体コード", "③事業費\n（千円）", "④今後の方向性\n（拡充・継続・見直し・廃止）", "URL",
])
def test_what_the_lexicon_cannot_place_is_none(header: str) -> None:
    assert meaning_of(header) is None


@pytest.mark.parametrize(("header", "listed"), [
    *[(h, True) for h in ("KPI番号", "所管部局コード", "全国地方公共団体コード", "地方公共団体名", "URL", "更新日",
                          "③事業費\n（千円）", "No.", "番号")],
    # undecided but perhaps read (asked), or read
    *[(h, False) for h in ("④今後の方向性\n（拡充・継続・見直し・廃止）", "2020年度 事業概要", "指標名", "施策番号", "事業番号")],
])
def test_identifiers_links_and_money_are_listed_not_read(header: str, listed: bool) -> None:
    assert not_read(header) is listed


def test_every_word_of_the_lexicon_means_itself() -> None:
    """No word is shadowed by a longer word of another meaning inside it, and a word survives the
    header's normalisation (the lists are written as normalize_name leaves them)."""
    for meaning, words in WORDS.items():
        for word in words:
            assert meaning_of(word) == meaning, word


@pytest.mark.parametrize("header, unit", [
    ("人口(人)", "人"), ("満足度（％）", "%"), ("事業費（単位：千円）", "千円"), ("面積(㎡)", "㎡"),
    ("人口（人）(累計)", "人"), ("件数（件/年）", "件/年"),
    ("指標名称(単位)", ""), ("公民館改修数(累計)", ""), ("値(H28)", ""), ("指標名", ""), ("実績(見込)", ""),
])
def test_unit_in_header(header: str, unit: str) -> None:
    assert unit_in_header(header) == unit


def test_no_figure_words_are_not_figures_in_any_width() -> None:
    for word in NO_FIGURE_WORDS:
        assert read_cell(f" {word} ").no_figure == word


def test_a_provisional_word_after_the_figure_is_not_its_unit() -> None:
    value = read_cell("12人見込")
    assert (value.number, value.unit, value.provisional) == (Decimal(12), "人", True)
