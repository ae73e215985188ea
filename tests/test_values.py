"""Reading values as people type them, and printing them as 公用文 does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from report.load.cells import read_area_number, read_bool
from report.load.values.colors import parse_color, text_on
from report.load.values.era import date_label, fiscal_year_label, parse_date, parse_fiscal_year, period_label
from report.load.values.numbers import format_number, parse_number
from report.load.values.text import normalize_text


@pytest.mark.parametrize("typed, year", [
    ("2023", 2023), ("2023年度", 2023), ("令和5年度", 2023), ("R5", 2023), ("r5", 2023),
    ("令和元年度", 2019), ("令和５年度", 2023), ("Ｒ５", 2023), ("平成30年度", 2018), ("H31", 2019),
    (" 令和 4 年度 ", 2022), ("平成32年度", 2020), ("H35", 2023), ("昭和65年度", 1990),
])
def test_fiscal_years(typed: str, year: int) -> None:
    assert parse_fiscal_year(typed) == year


@pytest.mark.parametrize("typed", ["令和", "5年度", "2023年度度", "令和0年度", "1800", "9999", "R5.5", "abc", "", "令和99年度", "平成200年度"])
def test_impossible_fiscal_years_are_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_fiscal_year(typed)


@pytest.mark.parametrize("year, wareki, short, western", [
    (2019, "令和元年度", "R1", "2019年度"), (2023, "令和5年度", "R5", "2023年度"),
    (2018, "平成30年度", "H30", "2018年度"),
])
def test_fiscal_year_labels(year: int, wareki: str, short: str, western: str) -> None:
    assert fiscal_year_label(year) == wareki
    assert fiscal_year_label(year, "short") == short
    assert fiscal_year_label(year, "western") == western


def test_period_labels() -> None:
    assert period_label([2023, 2022]) == "令和4年度および令和5年度"
    assert period_label([2022, 2023, 2024, 2025]) == "令和4〜7年度"
    assert period_label([2023]) == "令和5年度"
    assert period_label([]) == ""


@pytest.mark.parametrize("typed, day", [
    ("2023-11-01", dt.date(2023, 11, 1)), ("2023/11/1", dt.date(2023, 11, 1)),
    ("令和5年11月1日", dt.date(2023, 11, 1)), ("令和５年１２月２２日(金)", dt.date(2023, 12, 22)),
    ("R5.12.22", dt.date(2023, 12, 22)), ("令和元年5月1日", dt.date(2019, 5, 1)),
    ("2023年11月1日時点", dt.date(2023, 11, 1)),
])
def test_dates(typed: str, day: dt.date) -> None:
    assert parse_date(typed) == day


@pytest.mark.parametrize("typed", ["2023-02-30", "令和5年13月1日", "昨日", "2023-11", "1850-01-01"])
def test_impossible_dates_are_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_date(typed)


def test_date_labels() -> None:
    assert date_label(dt.date(2023, 11, 1)) == "令和5年11月1日"
    assert date_label(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert date_label(dt.date(2019, 4, 30)) == "平成31年4月30日"


@pytest.mark.parametrize("typed, value, percent", [
    ("104", Decimal(104), False), ("１０４", Decimal(104), False), ("1,234", Decimal(1234), False),
    ("89.4%", Decimal("89.4"), True), ("８９．４％", Decimal("89.4"), True), ("0", Decimal(0), False),
    ("-3", Decimal(-3), False),
])
def test_numbers(typed: str, value: Decimal, percent: bool) -> None:
    assert parse_number(typed) == (value, percent)


@pytest.mark.parametrize("typed", ["約100", "1,23", "12a", "", "1.2.3", "NaN", "inf", "1" * 400, "1000000000000000"])
def test_bad_numbers_are_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_number(typed)


@pytest.mark.parametrize("value, printed", [
    (Decimal(1234), "1,234"), (Decimal("89.40"), "89.40"), (Decimal("100.0"), "100.0"), (Decimal("62.0"), "62.0"), (Decimal("-0.0"), "0.0"),
    (Decimal(1234567), "1,234,567"), (Decimal("1234.5"), "1,234.5"), (0, "0"), (Decimal("-0.5"), "-0.5"),
    (Decimal("999999999999999." + "9" * 30), "999,999,999,999,999." + "9" * 30),
])
def test_numbers_print_in_official_style(value: Decimal, printed: str) -> None:
    assert format_number(value) == printed


@pytest.mark.parametrize("typed, flag", [
    ("1", True), ("0", False), ("TRUE", True), ("false", False), ("○", True), ("", False),
    ("はい", True), ("いいえ", False), ("１", True),
])
def test_featured_flags(typed: str, flag: bool) -> None:
    assert read_bool(typed) is flag


def test_bad_flag_is_refused() -> None:
    with pytest.raises(ValueError):
        read_bool("たぶん")


def test_area_numbers() -> None:
    assert read_area_number("01") == 1
    assert read_area_number("【０８】") == 8
    for bad in ("0", "一", "1.5", "-1"):
        with pytest.raises(ValueError):
            read_area_number(bad)


def test_colors() -> None:
    assert parse_color("#005aff") == "#005AFF"
    assert parse_color("#05f") == "#0055FF"
    assert parse_color("青") == "#005AFF"
    assert parse_color("orange") == "#F6AA00"
    assert parse_color("") is None
    for bad in ("red; background: url(x)", "#12345", "rgb(0,0,0)", "blue}", "expression(1)"):
        with pytest.raises(ValueError):
            parse_color(bad)
    assert text_on("#005AFF") == "#FFFFFF"
    assert text_on("#FFF100") == "#000000"


def test_text_hygiene() -> None:
    assert normalize_text("コロナ対策~確実で迅速な") == "コロナ対策〜確実で迅速な"
    assert normalize_text("ｺﾛﾅ対策") == "コロナ対策"
    assert normalize_text("ｶﾞﾊﾞﾒﾝﾄ") == "ガバメント"
    assert normalize_text("a~b") == "a~b"  # a tilde between Latin letters is left alone
    assert normalize_text("一行目\r\n 二行目 ") == "一行目\n二行目"


@pytest.mark.parametrize("typed, kind, meant", [
    ("平成32年度", "fiscal_year", "令和2年度"), ("H33", "fiscal_year", "令和3年度"),
    ("平成31年5月1日", "date", "令和元年5月1日"), ("昭和65年度", "fiscal_year", "平成2年度"),
])
def test_a_year_written_after_its_era_ended_is_read_with_a_note(typed: str, kind: str, meant: str) -> None:
    from report.load.values.era import overrun_note

    note = overrun_note(typed, kind)
    assert note is not None and f"は{meant}(" in note and "印刷では" in note


@pytest.mark.parametrize("typed, kind", [("平成31年度", "fiscal_year"), ("H30", "fiscal_year"), ("令和2年度", "fiscal_year"),
                                         ("2020年度", "fiscal_year"), ("平成31年4月30日", "date"), ("2019-05-01", "date")])
def test_years_inside_their_era_have_no_note(typed: str, kind: str) -> None:
    from report.load.values.era import overrun_note

    assert overrun_note(typed, kind) is None
