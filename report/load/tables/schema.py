"""The data contract: tables, their columns, and the Japanese names staff type for them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from report.load.values.text import remove_invisible


@dataclass(frozen=True)
class Column:
    """One column: its canonical English name, the names people type, whether it must exist."""

    name: str
    label: str
    kind: str = "text"  # how cells are read: see report.load.cells.READERS
    aliases: tuple[str, ...] = ()
    required: bool = True  # the column must be present
    needs_value: bool = False  # every row must fill it


@dataclass(frozen=True)
class Table:
    """One table: a CSV file or an Excel sheet."""

    name: str
    label: str
    columns: tuple[Column, ...]
    can_be_empty: bool = False  # a project may have no rows here yet

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


AREAS = Table(
    "areas",
    "分野",
    (
        Column("area", "分野番号", "area", needs_value=True),
        Column("title", "分野名", needs_value=True),
        Column("subtitle", "副題"),
        Column("color", "色", "color", required=False),
    ),
)
MEASURES = Table(
    "measures",
    "施策",
    (
        Column("id", "施策番号", "id", needs_value=True),
        Column("area", "分野番号", "area", needs_value=True),
        Column("vision", "ビジョン内容", needs_value=True),
        Column("actions", "取組内容", "lines", ("取り組み", "取組", "取り組み内容")),
        Column("status", "進捗", aliases=("進捗状況",), required=False),
        Column("department", "担当課", required=False),
        Column("featured", "掲載", "bool", required=False),
        Column("photo", "写真", "photo_path", ("写真ファイル",), required=False),
        Column("photo_caption", "写真説明", aliases=("キャプション", "写真の説明"), required=False),
        Column("photo_alt", "代替テキスト", aliases=("写真の代替テキスト", "alt"), required=False),
        Column("photo_credit", "撮影・提供", aliases=("撮影", "提供", "写真提供", "クレジット"), required=False),
        Column("photo_decorative", "装飾", "decorative", ("装飾写真",), required=False),
        Column("photo_crop", "トリミング", "focus", ("写真のトリミング",), required=False),
    ),
)
METRICS = Table(
    "metrics",
    "実績",
    (
        Column("measure", "施策番号", "id", needs_value=True),
        Column("label", "指標名", needs_value=True),
        Column("fiscal_year", "年度", "metric_year", needs_value=True),
        Column("value", "実績値", "number", needs_value=True),
        Column("unit", "単位"),
        Column("target", "目標値", "target", required=False),
        Column("target_year", "目標年度", "fiscal_year", required=False),
        Column("final_target", "最終目標値", "target", ("最終目標",), required=False),
        Column("final_target_year", "最終目標年度", "fiscal_year", required=False),
        Column("baseline", "基準値", "number", ("現状値",), required=False),
        Column("baseline_year", "基準年度", "fiscal_year", ("基準値の年度", "現状値の年度"), required=False),
        Column("direction", "方向", "direction", ("目指す方向",), required=False),
        Column("cumulative", "累計", "cumulative", ("累計・単年度",), required=False),
        Column("grade", "評価", aliases=("市の評価",), required=False),
        Column("year_kind", "年の区分", "year_kind", ("暦年・年度", "年度・暦年"), required=False),
        Column("as_of", "時点", "date", ("基準日",), required=False),
        Column("note", "備考", required=False),
        Column("chart", "グラフ", "chart", required=False),
    ),
    can_be_empty=True,
)
TABLES: tuple[Table, ...] = (AREAS, MEASURES, METRICS)


def normalize_name(name: str) -> str:
    """Compare header and sheet names loosely: width, case, spaces and invisible characters do not matter."""
    return "".join(unicodedata.normalize("NFKC", remove_invisible(str(name))).lower().split()).replace("_", "")


def table_names(table: Table) -> set[str]:
    """Every name a file or sheet of this table may have."""
    return {normalize_name(table.name), normalize_name(table.label)}


def column_lookup(table: Table) -> dict[str, Column]:
    """Normalised header text → column, for canonical names and every alias."""
    lookup: dict[str, Column] = {}
    for column in table.columns:
        for name in (column.name, column.label, *column.aliases):
            lookup[normalize_name(name)] = column
    return lookup
