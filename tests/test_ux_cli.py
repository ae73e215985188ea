"""The CLI in one voice: click's usage errors and TOML syntax errors in Japanese with the English
after them, settings named as settings (not columns), and `koho validate` ending with a count."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli import cli
from report.usage import japanese_reason

from .conftest import copy_project
from .test_errors import koho, replace_in
from .test_trust_scales import set_statuses


@pytest.mark.parametrize(("args", "japanese", "english"), [
    (["build", "--foo"], "エラー: --foo というオプションはありません", "No such option"),
    (["build", "--verbos"], "--verbos というオプションはありません(--verbose のことですか)", "Did you mean"),
    (["--foo"], "--foo というオプションはありません", "No such option"),
    (["init"], "エラー: DIR を指定してください", "Missing argument 'DIR'"),
    (["export", "."], "オプション -o / --output を指定してください", "Missing option"),
    (["build", "--kind", "poster"],
     "--kind の値が正しくありません: 「poster」は選べません。選べるのは newsletter、handout、archive、web です",
     "is not one of"),
    (["serve", "--port", "70000"], "-p / --port の値が正しくありません: 70000 は範囲(0<=x<=65535)の外です",
     "is not in the range"),
    (["charts", "--dpi", "many"], "--dpi の値が正しくありません: 「many」は整数ではありません", "is not a valid integer"),
    (["build", "--meeting"], "オプション --meeting には値が必要です", "requires an argument"),
    (["publish"], "publish というコマンドはありません", "No such command"),
    (["biuld"], "biuld というコマンドはありません(build のことですか)", "Did you mean"),
    (["init", "a", "b"], "余分な引数があります(b)", "unexpected extra argument"),
])
def test_usage_errors_are_japanese_then_english(args: list[str], japanese: str, english: str) -> None:
    result = koho(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    error = next(line for line in result.stderr.splitlines() if line.startswith("エラー: "))
    assert japanese in error
    after = error.split(japanese, 1)[1]  # click's English follows the Japanese
    assert " / " in after and english in after.split(" / ", 1)[1], error


@pytest.mark.parametrize(("message", "japanese"), [
    ("Path 'x.xlsx' does not exist.", "SOURCE の値が正しくありません: 「x.xlsx」が見つかりません"),
    ("File 'data' is a directory.", "SOURCE の値が正しくありません: 「data」はフォルダです(ファイルを指定してください)"),
    ("'1.5x' is not a valid float.", "SOURCE の値が正しくありません: 「1.5x」は数ではありません"),
    ("something click says one day", "SOURCE の値が正しくありません"),
])
def test_a_bad_value_is_explained_from_click_s_words(message: str, japanese: str) -> None:
    assert japanese_reason(click.BadParameter(message, param_hint="'SOURCE'")) == japanese


def test_usage_errors_name_the_help_in_both_languages() -> None:
    lines = CliRunner().invoke(cli, ["build", "--foo"], prog_name="koho").stderr.splitlines()
    assert lines[0] == "使い方 / Usage: koho build [OPTIONS] [PROJECT]"
    assert lines[1] == "説明は koho build --help で表示します / Try 'koho build --help' for help."


@pytest.mark.parametrize("args", [["build", "data", "--meeting"], ["build", "--kind"], ["build", "--foo"],
                                  ["serve", "--port", "70000"]])
def test_every_usage_error_of_a_command_shows_its_usage(args: list[str]) -> None:
    """An option given without its value too (click's parser raises that one without the command's
    context: it printed the error alone)."""
    lines = CliRunner().invoke(cli, args, prog_name="koho").stderr.splitlines()
    assert lines[0].startswith(f"使い方 / Usage: koho {args[0]} [OPTIONS]"), lines
    assert lines[1] == f"説明は koho {args[0]} --help で表示します / Try 'koho {args[0]} --help' for help."
    assert lines[-1].startswith("エラー: ")


def test_help_stays_bilingual() -> None:
    result = koho("build", "--help")
    assert result.exit_code == 0
    assert "PDFをつくる / Build the document of PROJECT as PDF." in result.stdout
    assert "Usage: " in result.stdout and "使い方" not in result.stdout  # click's own help, as before


@pytest.mark.parametrize(("line", "column", "japanese", "english"), [
    ("first_page = = 2", 14, "値の書き方が正しくありません", "Invalid value"),
    ('title = "広報', 12, "文字列が行の終わりまでに閉じられていません", "Illegal character"),
    ("[build", 7, "表の名前を「]」で閉じてください", "Expected ']' at the end of a table declaration"),
    ('title = "a" "b"', 13, "1行に書けるのは「項目名 = 値」一つです", "Expected newline or end of document"),
])
def test_toml_syntax_errors_name_file_line_and_column_in_japanese(tmp_path: Path, line: str, column: int,
                                                                   japanese: str, english: str) -> None:
    project = copy_project(tmp_path)
    config = project / "koho.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(f"{line}\n{text}", encoding="utf-8")
    result = koho("validate", str(project))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    message = next(line for line in result.stderr.splitlines() if "koho.toml" in line)
    assert message.startswith("  - koho.toml 1行目: 値「"), message
    assert f"TOMLの書き方に誤りがあります({column}文字目: {japanese}" in message
    assert message.index(japanese) < message.index(f" / {english}"), message


def test_a_setting_is_named_as_a_setting_not_a_column(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    replace_in(project / "koho.toml", "first_page = ", 'first_page = "二" #')
    result = koho("validate", str(project))
    assert result.exit_code == 1
    assert "設定 first_page: 値「二」" in result.stderr
    assert "列first_page" not in result.stderr


def test_validate_counts_warnings_instead_of_saying_all_is_well(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    clean = koho("validate", str(project))
    assert clean.exit_code == 0 and clean.stdout.startswith("問題はありません: ")
    set_statuses(project, {"01-2": "達成済"})
    warned = koho("validate", str(project))
    assert warned.exit_code == 0
    assert warned.stdout.startswith("注意 1件、誤り 0件: "), warned.stdout
    assert "問題はありません" not in warned.stdout


def test_a_toml_error_at_the_end_of_the_file_says_so(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config = project / "koho.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\nyears = [\"令和5年度\"", encoding="utf-8")
    result = koho("validate", str(project))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert ("koho.toml: TOMLの書き方に誤りがあります(ファイルの終わり: 配列が「]」で閉じられていません / Unclosed array)"
            in result.stderr), result.stderr


def test_a_reader_that_stops_reading_is_not_an_error(tmp_path: Path) -> None:
    """`koho import big.csv --explain | head -1`: the pipe closes after one line; koho stops quietly,
    without 「ファイルを読み書きできません(Broken pipe)」 (the output is far larger than a pipe's buffer)."""
    import csv
    import subprocess
    import sys

    table = tmp_path / "big.csv"
    with table.open("w", encoding="utf-8", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(["施策番号", "指標名", "単位", "令和4年度", "令和5年度"])
        rows.writerows([f"01-{i}", f"指標{i}", "人", i, i + 1] for i in range(3000))
    run = subprocess.Popen([sys.executable, "-c", "from cli import main; main()", "import", str(table), "--explain"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(__file__).parents[1])
    assert run.stdout is not None and run.stderr is not None
    first = run.stdout.readline()
    run.stdout.close()  # as `head -1` does
    errors = run.stderr.read().decode()
    run.wait(timeout=120)
    assert "題=表の上の行" in first.decode()
    assert "Broken pipe" not in errors and "読み書きできません" not in errors and "Traceback" not in errors, errors
