"""The `koho` command: a thin click layer over the plain functions in `report`.

Like mkdocs' __main__: help texts are constants, the shared -q/-v options are declared once, and
each command imports its module only when it runs, so `koho --help` stays fast.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from report import __version__
from report.kinds import KIND_NAMES, DocumentKind, kind_named


def _document_kind(context: click.Context, parameter: click.Parameter, name: str | None) -> DocumentKind | None:
    """--kind as the DocumentKind it names: the one place a kind's name is read."""
    return kind_named(name) if name else None


CLI_HELP = """koho (広報): 施策の進捗データ(Excel・CSV)から広報紙のPDFをつくります。

Turns a municipality's manifesto-progress data (Excel or CSV) into newsletter PDFs.

\b
はじめかた / Getting started:
  koho init mycity            # 新しいプロジェクト / create a project
  koho serve mycity --open    # ブラウザでプレビュー / live preview in the browser
  koho build mycity --open    # PDFをつくって開く / write the PDF and open it

\b
終了ステータス / Exit status:
  0  成功 / success
  1  データや koho.toml の問題(内容は標準エラーに表示) / a problem in the data or koho.toml
  2  コマンドの使い方の誤り / wrong usage (unknown option, missing argument)

\b
シェル補完 / Shell completion (bash; zsh and fish likewise with zsh_source, fish_source):
  eval "$(_KOHO_COMPLETE=bash_source koho)"    # ~/.bashrc に書いておく / put it in ~/.bashrc
"""
CHARTS_HELP = """グラフを書き出す / Write every chart of PROJECT as SVG and 300 dpi PNG.

ウェブページやスライド用に、グラフを SVG と PNG(300dpi)で、代替テキストを .txt で書き出します。

\b
例 / Example:
  koho charts data -o charts-out
  koho charts data --kind archive     # 保存版のグラフ(全年度) / the archive's charts, every year
"""
BATCH_HELP = """まとめてつくる / Build many projects at once, on every core.

各プロジェクトの build/KIND.pdf(--kind web では build/web/ のウェブ版)をつくります。失敗したプロジェクトがあっても残りは続け、
最後に失敗の件数を示して終了ステータス1で終わります。

Builds PROJECT/build/KIND.pdf (--kind web: PROJECT/build/web/) for every PROJECT in worker
processes (default: one per core).
A project that fails is reported and the others go on; the exit status is 1 if any failed.

\b
例 / Examples:
  koho batch city-a city-b city-c
  koho batch prefecture/*/ --jobs 2 --kind handout
  koho batch prefecture/*/ --kind web      # ウェブ版 / each project's build/web/
"""
INIT_HELP = """新しいプロジェクトをつくる / Create a new project in DIR.

DIR に koho.toml(設定、日本語の説明つき)と data/manifesto.xlsx(分野・施策・実績の3シートの
入力用ブック、記入例つき)をつくります。すでにプロジェクトがあるときは上書きしません(--force で上書き)。

Writes koho.toml (every setting explained in Japanese) and data/manifesto.xlsx (the three
sheets with headers, input hints and one example row each). Refuses to overwrite an existing
project unless --force is given.

\b
例 / Examples:
  koho init mycity
  koho init .            # いまのフォルダに / in the current folder
"""
BUILD_HELP = """PDFをつくる / Build the document of PROJECT as PDF.

PROJECT はフォルダ、Excelブック、koho.toml のいずれか(省略時はいまのフォルダ)。
koho.toml の [build] 表に output・html・kind を書いておけます。コマンドで指定した値が優先します。

PROJECT is a folder, an Excel workbook or a koho.toml (default: the current folder).
Defaults for -o, --html and --kind can be set in koho.toml's [build] table; options given
here win.

\b
例 / Examples:
  koho build mycity                   # mycity/build/newsletter.pdf
  koho build book.xlsx -o out.pdf
  koho build mycity --html out.html   # the HTML WeasyPrint lays out, too
  koho build mycity --open            # PDFを開く / open the PDF when done
  koho build mycity --kind web        # ウェブ版 / mycity/build/web/: index.html, CSV, PDF
"""
SERVE_HELP = """ブラウザでプレビューする / Live preview of PROJECT in the browser.

127.0.0.1 でプレビュー用のサーバーを起動します。印刷されるページ(PDFから描いた画像、広報紙は見開き)と
ウェブ版を表示します。データ・koho.toml・templates/・styles/ を
保存するたびに作り直し、ページは自動で再読み込みされます。データに誤りがあるときは、
ファイル・行・列をページに表示します。Ctrl+C で終了。

Starts a local server on 127.0.0.1 that shows the printed pages (rasterised from the PDF,
two-up as spreads for the newsletter) and the web version, rebuilds whenever the data,
koho.toml, templates/ or styles/ change, and reloads the page by itself.
Data problems show on the page. Stop it with Ctrl+C.

\b
例 / Examples:
  koho serve mycity --open
  koho serve --port 8001
"""
VALIDATE_HELP = """データを点検する / Check PROJECT's data and koho.toml without rendering.

誤りがあれば終了ステータス1(--strict では注意も誤りとして扱います)。--format json は
問題の一覧を JSON で出します(ほかのツール向け)。

Exit status 1 when there is an error (with --strict, also a warning). --format json prints
the problems as a JSON list, for other tools.

\b
例 / Examples:
  koho validate mycity
  koho validate book.xlsx --format json
"""
IMPORT_HELP = """市の表を取り込む / Make a project from the city's own spreadsheet.

SOURCE は市がふだん使っている進捗管理表(.xlsx・.xlsm・.csv)そのもの。表の形を調べて、読み方(取り込みの設定)を
PROJECT/koho.toml の [import] 表に書きます(既定の PROJECT は SOURCE と同じ名前のフォルダ)。元の表は変換せず、
プロジェクトの data/ に置いて参照します。来年度は同じ表を更新して koho build するだけです。
見つけたもの(シート、見出しの行、階層、年度、列の意味)と、わからないこと(質問)を表示します。

SOURCE is the city's own workbook or CSV, as it is. The drafted [import] mapping goes into
PROJECT/koho.toml; the source is put in PROJECT/data/ and read through the mapping on every build.

\b
例 / Examples:
  koho import 進捗管理表.xlsx -o mycity
  koho import 進捗管理表.xlsx --explain     # セルごとに、どう読んだかを表示(何も書きません)
  koho import mycity --explain             # プロジェクトの設定で読んだ結果を表示
  koho import mycity                       # 下書きし直す(書き直した意味と答えは残します)
"""
EXPORT_HELP = """読んだ表を書き出す / Write the three tables exactly as koho read them.

PROJECT のデータを koho が読んだとおりに、分野・施策・実績の3つの表(areas.csv、measures.csv、metrics.csv、
UTF-8 BOM付き)と koho.toml([import] を除く)として DIR に書き出します。確認用、オープンデータ用。
書き出したフォルダを koho build すると、同じ紙面になります。

\b
例 / Example:
  koho export mycity -o mycity-tables
"""
QUIET_HELP = "エラーのほかは表示しない / Print nothing but errors."
VERBOSE_HELP = "詳しく表示する / Print more detail (each stage and its time)."
OPEN_PDF_HELP = "できたPDFを開く / Open the PDF when done."
STRICT_HELP = "注意も誤りとして扱い、何も書き出さない / Treat warnings (注意) as errors: exit 1, write nothing."

project_argument = click.argument(
    "project", default=".", type=click.Path(path_type=Path), metavar="[PROJECT]")


def verbosity_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """-q/--quiet and -v/--verbose for every command, passed on as one `verbosity`: 0, 1 or 2."""
    @functools.wraps(command)
    def wrapper(*args: Any, quiet: bool, verbose: bool, **kwargs: Any) -> Any:
        verbosity = 0 if quiet else 2 if verbose else 1
        _log_to_stderr(verbosity)
        return command(*args, verbosity=verbosity, **kwargs)

    wrapper = click.option("-v", "--verbose", is_flag=True, help=VERBOSE_HELP)(wrapper)
    return click.option("-q", "--quiet", is_flag=True, help=QUIET_HELP)(wrapper)


def _log_to_stderr(verbosity: int) -> None:
    logger = logging.getLogger("koho")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel((logging.WARNING, logging.INFO, logging.DEBUG)[verbosity])


strict_option = click.option("--strict", is_flag=True, help=STRICT_HELP)


def _warn(problems) -> None:  # noqa: ANN001 - Iterable[report.problems.Problem]
    from report.problems import SEVERITY_PREFIX

    for problem in problems:
        click.echo(f"{SEVERITY_PREFIX.get(problem.severity, '注意: ')}{problem}", err=True)


class _Commands(click.Group):
    """Lists commands in the order of the daily workflow (init, serve, build, validate), and turns
    every failure into a message and exit status 1: never a traceback (KOHO_DEBUG=1 shows it)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        from report.usage import japanese_usage_error

        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as error:  # `koho --no-such-option`: in Japanese, then click's English
            raise japanese_usage_error(error) from None

    def invoke(self, ctx: click.Context) -> Any:
        import os

        try:
            return super().invoke(ctx)
        except click.UsageError as error:  # a command's usage: in Japanese, then click's English
            from report.usage import japanese_usage_error

            if error.ctx is None and (command := self.get_command(ctx, ctx.invoked_subcommand or "")) is not None:
                # click's parser says 「requires an argument」 without the command's context: given
                # it, the message shows the command's 使い方 lines as every other usage error does
                error.ctx = click.Context(command, info_name=ctx.invoked_subcommand, parent=ctx)
            raise japanese_usage_error(error) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # `koho import --explain | head`: the reader stopped; click ends quietly
            raise
        except Exception as error:
            if os.environ.get("KOHO_DEBUG"):
                raise
            from report.problems import unexpected

            raise unexpected(error) from None


@click.group(cls=_Commands, help=CLI_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="koho")
def cli() -> None:
    pass


@cli.command(help=INIT_HELP, short_help="新しいプロジェクト / Create a new project.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), metavar="DIR")
@click.option("-f", "--force", is_flag=True,
              help="既存の koho.toml とブックを上書きする / Overwrite an existing project's files.")
@verbosity_options
def init(directory: Path, force: bool, verbosity: int) -> None:
    from report.commands.init import create_project

    written = create_project(directory, force=force)
    if verbosity:
        for path in written:
            click.echo(f"作成: {path}")
        click.echo(f"\n次に / Next:\n  1. {written[-1]} に入力し、{written[0]} を編集\n"
                   f"  2. koho serve {directory} --open    # プレビュー / preview\n"
                   f"  3. koho build {directory} --open    # PDF")


@cli.command(help=SERVE_HELP, short_help="ブラウザでプレビュー / Live preview in the browser.")
@project_argument
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=None,
              help="ポート番号 / Port on 127.0.0.1 (default: 8000, or a free one if taken).")
@click.option("--open", "open_browser", is_flag=True,
              help="ブラウザで開く / Open the preview in the browser.")
@click.option("--kind", type=click.Choice(KIND_NAMES), default=None, callback=_document_kind,
              help="プレビューする文書の種類 / Which document to preview (default: [build] kind, or "
                   "newsletter; the web version is always the second view).")
@verbosity_options
def serve(project: Path, port: int | None, open_browser: bool, kind: DocumentKind | None, verbosity: int) -> None:
    from report.commands.serve import serve as run_serve

    run_serve(project, port=port, open_browser=open_browser, kind=kind)


@cli.command(help=BUILD_HELP, short_help="PDFをつくる / Build the PDF.")
@project_argument
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="書き出すPDF(--kind web ではフォルダ) / PDF to write (default: [build] output, or "
                   "PROJECT/build/KIND.pdf); --kind web: the folder, or its index.html.")
@click.option("--html", "html_output", type=click.Path(dir_okay=False, path_type=Path),
              help="HTMLも書き出す / Also write the document as one self-contained HTML file.")
@click.option("--kind", type=click.Choice(KIND_NAMES), default=None, callback=_document_kind,
              help="つくる文書の種類(広報紙 / 議会資料 / 保存版 / ウェブ版) / Which document to build "
                   "(default: [build] kind, or newsletter). web: a folder to upload (-o DIR/index.html, "
                   "default PROJECT/build/web/) with the newsletter's PDF.")
@click.option("--no-pdf", is_flag=True,
              help="ウェブ版だけ(PDFなし) / With --kind web: the web folder without the PDF.")
@click.option("--meeting", help="議会資料の会議名 / Handout: the meeting's name, instead of koho.toml's.")
@click.option("--date", help="議会資料の日付 / Handout: the date printed in the header block.")
@click.option("--print", "print_ready", is_flag=True, default=None,
              help="印刷所向け(塗り足し3mm・トンボ、既定の名前は KIND-print.pdf) / The printer's version: 3mm "
                   "bleed and crop marks (PDF/X-4 with [print] icc_profile), written as KIND-print.pdf beside "
                   "the reader's PDF unless -o names it.")
@click.option("--spread", is_flag=True, help="見開き校正紙も書き出す / Also write OUT-spread.pdf: each spread "
                                             "on one A3 sheet.")
@click.option("--open", "open_pdf", is_flag=True, help=OPEN_PDF_HELP)
@strict_option
@verbosity_options
def build(project: Path, output: Path | None, html_output: Path | None, kind: DocumentKind | None, no_pdf: bool,
          meeting: str | None, date: str | None, print_ready: bool | None, spread: bool, open_pdf: bool,
          strict: bool, verbosity: int) -> None:
    if _one_shot:  # the `koho` program itself: one build, then the process ends
        from charts.cache import prestart
        from report.assets import FONTS_DIR
        from report.commands.collection import no_collection_after_build

        no_collection_after_build()  # report/commands/collection.py
        prestart(FONTS_DIR)  # a chart worker warms up while koho's libraries are imported (charts/cache.py)
    from report.commands.build import build as run_build
    from report.commands.progress import stage_display

    with stage_display(verbosity) as progress:
        result = run_build(project, output=output, html_output=html_output, kind=kind, pdf=not no_pdf,
                           print_ready=print_ready, spread=spread, meeting=meeting, date=date, strict=strict,
                           progress=progress)
    if verbosity:
        _warn((*result.warnings, *result.advice))
        if result.html:
            click.echo(f"HTML: {result.html}")
        if result.spread:
            click.echo(f"見開き校正紙: {result.spread}")
        if result.web:
            click.echo(f"ウェブ版: {result.web} (フォルダごと公開できます / upload the folder as it is)")
        for path in result.removed:
            click.echo(f"以前のPDFを取り除きました: {path} (--no-pdf のため。古いPDFが公開されないように / "
                       "removed the previous PDF)")
        if result.kind.attachments:
            from report.compose.exported import archive_files

            names = "、".join(name for name, _ in archive_files(result.project))
            click.echo(f"添付したファイル: {names}")
        if result.pdf:
            click.echo(f"PDF: {result.pdf} ({result.pages}ページ, {result.size / 1024:.0f} KB, "
                       f"{result.seconds:.1f}秒, SHA-256 {result.sha256})")
    if open_pdf:
        click.launch(str(result.web or result.pdf))


@cli.command(help=VALIDATE_HELP, short_help="データを点検する / Check the data.")
@project_argument
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="問題の出し方 / How to print the problems.")
@strict_option
@verbosity_options
def validate(project: Path, output_format: str, strict: bool, verbosity: int) -> None:
    from report.commands.build import check
    from report.problems import DataError

    try:
        loaded, warnings = check(project, strict)
    except DataError as error:
        if output_format != "json":
            raise
        _echo_json([p.to_dict() for p in error.problems])
        raise click.exceptions.Exit(1) from None
    if output_format == "json":
        _echo_json([p.to_dict() for p in warnings])
        return
    if verbosity:
        _warn(warnings)
        verdict = f"注意 {len(warnings)}件、誤り 0件" if warnings else "問題はありません"
        click.echo(f"{verdict}: {len(loaded.areas)}分野、{len(loaded.measures)}施策、"
                   f"{sum(len(m.metrics) for m in loaded.measures)}件の実績")


def _on_terminal() -> bool:
    """Whether someone can answer questions: stdin is a terminal (not a pipe, a file or a test)."""
    import sys

    return sys.stdin is not None and sys.stdin.isatty()


@cli.command("import", help=IMPORT_HELP, short_help="市の表を取り込む / Import the city's own table.")
@click.argument("source", type=click.Path(path_type=Path), metavar="SOURCE")
@click.option("-o", "--output", "project", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="つくる(または更新する)プロジェクトのフォルダ / The project folder to create or update.")
@click.option("--explain", is_flag=True, help="セルごとに、見出し・データ・注記・階層・読まないものを表示する(何も書きません) / "
                                              "Show cell by cell what was taken as what; write nothing.")
@verbosity_options
def import_(source: Path, project: Path | None, explain: bool, verbosity: int) -> None:
    from report.commands.import_ import explain_source, import_project, summary

    if explain:
        for line in explain_source(source):
            click.echo(line)
        return
    result = import_project(source, project, interactive=_on_terminal())
    if verbosity:
        for line in summary(result):
            click.echo(line)
        click.echo(f"\n次に / Next:\n  1. {result.config} の [import] を確かめる(質問には answer を書く)\n"
                   f"  2. koho import {result.project} --explain    # セルごとの読み方\n"
                   f"  3. koho build {result.project} --open")


@cli.command(help=EXPORT_HELP, short_help="読んだ表を書き出す / Export the tables as read.")
@project_argument
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="書き出すフォルダ / Folder to write the tables to.")
@verbosity_options
def export(project: Path, out_dir: Path, verbosity: int) -> None:
    from report.commands.export import export as run_export

    written, warnings = run_export(project, out_dir)
    if verbosity:
        _warn(warnings)
        for path in written:
            click.echo(f"書き出し: {path}")


@cli.command(help=CHARTS_HELP, short_help="グラフを書き出す / Export the charts.")
@project_argument
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("charts-out"), show_default=True, help="書き出し先 / Folder to write the charts to.")
@click.option("--dpi", type=click.IntRange(72, 1200), default=300, show_default=True,
              help="PNGの解像度 / PNG resolution.")
@click.option("--kind", type=click.Choice(KIND_NAMES), default=None, callback=_document_kind,
              help="どの文書のグラフか(施策と年度が同じになります) / The document whose charts to write: the same "
                   "measures and years (default: [build] kind, or newsletter).")
@verbosity_options
def charts(project: Path, out_dir: Path, dpi: int, kind: DocumentKind | None, verbosity: int) -> None:
    from report.commands.chart_export import export_charts

    written = export_charts(project, out_dir, dpi=dpi, kind=kind)
    if verbosity:
        click.echo(f"{len([p for p in written if p.suffix == '.svg'])}枚のグラフを書き出しました: {out_dir}")


@cli.command(help=BATCH_HELP, short_help="まとめてつくる / Build many projects at once.")
@click.argument("projects", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="同時に動かす数(既定: CPUコア数) / Worker processes (default: one per core).")
@click.option("--kind", type=click.Choice(KIND_NAMES), default=None, callback=_document_kind, help="つくる文書の種類 / Which document to build.")
@verbosity_options
def batch(projects: tuple[Path, ...], jobs: int | None, kind: DocumentKind | None, verbosity: int) -> None:
    import time

    from report.commands.batch import build_many

    started = time.perf_counter()

    def report(item) -> None:  # noqa: ANN001 - report.commands.batch.BatchItem
        if item.ok and verbosity:
            web = f", ウェブ版 {item.web}" if item.web else ""
            click.echo(f"OK {item.project}: {item.pdf}{web} ({item.pages}ページ, {item.seconds:.1f}秒"
                       + (f", 注意{len(item.warnings)}件" if item.warnings else "") + ")")
            for problem in item.warnings:
                click.echo(f"注意: {item.project}: {problem}", err=True)
        elif not item.ok:
            click.echo(f"NG {item.project}: {item.error}", err=True)

    items = build_many(list(projects), jobs=jobs, kind=kind, done=report)
    failed = [item for item in items if not item.ok]
    seconds = time.perf_counter() - started
    if verbosity:
        click.echo(f"{len(items) - len(failed)}/{len(items)}件できました({seconds:.1f}秒、"
                   f"{len(items) / seconds:.2f}件/秒)")
    if failed:
        raise click.exceptions.Exit(1)


def _tolerant_streams() -> None:
    """A console that cannot show a character (cp932 and an emoji) gets an escape, not a crash."""
    import sys

    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(errors="backslashreplace")


def _echo_json(items: list[dict[str, Any]]) -> None:
    """JSON on stdout, safe on any console encoding: non-ASCII is escaped where the console cannot
    encode it (JSON's \\uXXXX escapes read back as the same text)."""
    import json
    import sys

    text = json.dumps(items, ensure_ascii=False, indent=2)
    try:
        text.encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        text = json.dumps(items, ensure_ascii=True, indent=2)
    click.echo(text)


_one_shot = False  # True in the `koho` program, not where the commands are invoked in a longer process


def main() -> None:
    """Entry point of the `koho` script."""
    global _one_shot
    _one_shot = True
    _tolerant_streams()
    cli()


if __name__ == "__main__":
    main()
