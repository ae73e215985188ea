"""The Excel workbook a new project starts from: the three sheets of the data contract, with
Japanese headers, column widths, a frozen header row, input hints and one example row each."""

from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO

from charts.style import RULE

from report.load.project.config import DEFAULT_STATUS_SCALE
from report.load.tables.schema import TABLES, Table

STATUS_WORDS = ",".join(word for word, _ in DEFAULT_STATUS_SCALE)  # the default [status] scale: 達成,実施中,着手,未着手

# What a cell of each column holds, shown by Excel when the cell is selected (at most 255 characters).
HINTS: dict[tuple[str, str], str] = {
    ("areas", "area"): "分野の番号(1、2、3…)。見出しの【01】になります。施策のシートの「分野番号」と同じ番号で結びつけます。",
    ("areas", "title"): "分野の名前(例: 子育て支援)。",
    ("areas", "subtitle"): "分野の副題。見出しで「〜」のあとに続きます(例: 安心して子育てできるまち)。",
    ("areas", "color"): "見出しの色(省略可)。#005AFF のような色コードか、青・緑・橙などの色名。空欄なら自動で色分けします。",
    ("measures", "id"): "施策の番号(例: 01-1)。実績のシートの「施策番号」と同じ番号で結びつけます。",
    ("measures", "area"): "この施策が属する分野の番号(分野のシートの「分野番号」)。",
    ("measures", "vision"): "ビジョン内容。広報紙では「○」の行になります。",
    ("measures", "actions"): "取り組み。広報紙では「→」の行になります。複数あるときはセルの中で Alt+Enter で改行し、1行に1件書きます。",
    ("measures", "status"): f"進捗(省略可)。{STATUS_WORDS.replace(',', '、')}のどれか(koho.toml の [status] の言葉)。",
    ("measures", "department"): "担当課(省略可)。例: 企画課。",
    ("measures", "featured"): "広報紙に載せる施策に ○ を入れます(1、はい でも可)。空欄・×・0 の施策は載りません。",
    ("metrics", "measure"): "この実績が属する施策の番号(施策のシートの「施策番号」)。",
    ("metrics", "label"): "指標の名前(例: 草の根対話の実施自治会数)。同じ施策・同じ指標名の行が、年度ごとの数値とグラフになります。",
    ("metrics", "fiscal_year"): "年度。令和5年度、R5、2023年度、2023 のどれでも入力できます。暦年(1月〜12月)の数値は「2023年(暦年)」「令和5年(暦年)」と書くか、年の区分の列に「暦年」と書きます。",
    ("metrics", "value"): "実績の数値(例: 104、1,234、89.4%)。",
    ("metrics", "unit"): "単位(例: 自治会、人、件、%)。",
    ("metrics", "target"): "目標値(省略可)。実績値と同じ単位の数値。「30%以上」「850g以下」「5件未満」のように以上・以下・未満・超をつけられます。年度ごとに違う目標は、その年度の行に書きます。",
    ("metrics", "target_year"): "目標年度(省略可)。目標値をいつまでに達成するか。例: 令和7年度、平成32年度(=令和2年度として読みます)。",
    ("metrics", "final_target"): "最終目標値(省略可)。年度ごとの目標とは別に、計画の最後に目指す値(例: 200、30%以上)。同じ指標のどの行に書いても同じです。各年度の達成率はその年度の目標値で計算します。",
    ("metrics", "final_target_year"): "最終目標年度(省略可)。最終目標値の年度。例: 令和7年度。",
    ("metrics", "baseline"): "基準値(現状値、省略可)。計画をつくったときの値。同じ指標のどの行に書いても同じです。",
    ("metrics", "baseline_year"): "基準年度(省略可)。基準値を測った年度。最初の実績の年度より前か同じ年度です。",
    ("metrics", "direction"): "方向(省略可)。多いほど良い指標は「増加」(↑)、ごみの量のように少ないほど良い指標は「減少」(↓)。空欄なら目標値の「以上」「以下」から、それもなければ増加とみなします。",
    ("metrics", "cumulative"): "累計(省略可)。年度ごとの数を足して目標と比べる指標は「累計」、各年度の値がすでにそこまでの累計(5、6、7箇所)なら「累計値」、その年度の値だけで比べる指標は「単年度」、まだ決まっていなければ「未確定」(達成率・評価・累計を載せず、値と目標だけを載せます)。",
    ("metrics", "grade"): "評価(省略可)。市が自らつけたその年度の評価(例: A、◎、順調)。書いたとおりに印刷します。koho.toml の [grades] で計算した評価と違うときは注意が出ます。",
    ("metrics", "year_kind"): "年の区分(省略可)。年度(4月〜3月)の数値なら空欄か「年度」、暦年(1月〜12月)の数値なら「暦年」。暦年は「令和5年」と印刷します。",
    ("metrics", "as_of"): "いつ時点の数値か(省略可)。例: 2023/11/1、令和5年11月1日。",
    ("metrics", "note"): "備考(省略可)。",
    ("metrics", "chart"): "グラフの種類(省略可)。空欄ならデータから自動で選びます。bar(棒)、progress(累計)、share(割合)、none(なし)。",
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "areas": {"area": 1, "title": "子育て支援", "subtitle": "安心して子育てできるまち", "color": ""},
    "measures": {
        "id": "01-1", "area": 1,
        "vision": "地域ごとの待機児童数を把握し、保育所の定員確保と保育所情報の発信を行います。",
        "actions": "市内の保育所の紹介動画を作成し、市のホームページで公開\n保育所ごとの受け入れ状況を毎月掲載",
        "status": DEFAULT_STATUS_SCALE[1][0], "department": "こども未来課", "featured": "○",
    },
    "metrics": {
        "measure": "01-1", "label": "紹介動画を作成した保育所数", "fiscal_year": "令和5年度", "value": 22,
        "unit": "保育所", "target": "30以上", "target_year": "令和7年度", "baseline": 12, "baseline_year": "令和3年度",
        "direction": "増加", "cumulative": "単年度", "as_of": dt.date(2024, 3, 31), "note": "",
    },
}

# Column widths in Excel's character units; text columns get room for a sentence.
WIDTHS: dict[str, float] = {
    "area": 10, "id": 10, "measure": 10, "title": 20, "subtitle": 36, "color": 12,
    "vision": 50, "actions": 60, "status": 10, "department": 14, "featured": 8,
    "label": 34, "fiscal_year": 12, "value": 10, "unit": 10, "target": 12, "as_of": 14, "note": 30,
    "target_year": 12, "baseline": 10, "baseline_year": 12, "direction": 8, "cumulative": 8,
    "final_target": 12, "final_target_year": 12, "grade": 8, "year_kind": 8,
}
TEXT_COLUMNS = {"id", "measure", "fiscal_year", "target_year", "baseline_year", "target", "final_target",
                "final_target_year", "grade"}  # typed as text so Excel keeps 01-1 from becoming a date
WRAPPED_COLUMNS = {"subtitle", "vision", "actions", "label", "note"}
HEADER_FILL = RULE.removeprefix("#")  # CUD light grey: survives a black-and-white copy
FEATURED_CHOICES = '"○,×"'
# Cells with a short list to pick from (typing anything else the column reads is still allowed).
CHOICES = {"bool": FEATURED_CHOICES, "direction": '"増加,減少"', "cumulative": '"累計,累計値,単年度,未確定"',
           "year_kind": '"年度,暦年"', "status": f'"{STATUS_WORDS}"'}


def write_template_workbook(stream: BinaryIO) -> None:
    """Write the new project's workbook to a binary stream."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table in TABLES:
        _add_sheet(book, table)
    book.properties.title = "koho 入力用ブック"
    book.save(stream)


def _add_sheet(book, table: Table) -> None:  # noqa: ANN001 - openpyxl Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet(table.label)
    example = EXAMPLES[table.name]
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=column.label)
        header.font = Font(bold=True)
        header.fill = PatternFill("solid", fgColor=HEADER_FILL)
        header.border = Border(bottom=Side(style="medium"))
        header.alignment = Alignment(vertical="center")
        dimension = sheet.column_dimensions[letter]
        dimension.width = WIDTHS.get(column.name, 14)
        if column.name in TEXT_COLUMNS:
            dimension.number_format = "@"
        if column.name in WRAPPED_COLUMNS:
            dimension.alignment = Alignment(wrap_text=True, vertical="top")
        cell = sheet.cell(row=2, column=index, value=example.get(column.name) or None)
        cell.alignment = Alignment(wrap_text=column.name in WRAPPED_COLUMNS, vertical="top")
        if column.name in TEXT_COLUMNS:
            cell.number_format = "@"
        elif column.kind == "date":
            cell.number_format = "yyyy/m/d"
        choices = CHOICES.get(column.name, CHOICES.get(column.kind))  # by column (進捗), else by kind
        hint = DataValidation(type="list", formula1=choices, showErrorMessage=False) if choices else DataValidation()
        hint.allow_blank = True
        hint.showInputMessage = True
        hint.promptTitle = column.label[:32]
        hint.prompt = HINTS[(table.name, column.name)][:255]
        hint.add(f"{letter}1:{letter}1048576")
        sheet.add_data_validation(hint)
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 20

