"""The `koho` command: a thin click layer over the plain functions in `report`."""

from __future__ import annotations

from pathlib import Path

import click

from report import __version__

BUILD_HELP = """Build the document of PROJECT (a folder, an Excel workbook or koho.toml) as PDF.

\b
例 / Examples:
  koho build data                  # data/build/newsletter.pdf
  koho build book.xlsx -o out.pdf
  koho build data --html out.html  # the HTML WeasyPrint lays out
"""
VALIDATE_HELP = """Check PROJECT's data and koho.toml without rendering (データの点検)."""

project_argument = click.argument(
    "project", default=".", type=click.Path(path_type=Path), metavar="[PROJECT]")


def _warn(project) -> None:  # noqa: ANN001 - report.model.Project
    for problem in project.warnings:
        click.echo(f"注意: {problem}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="koho")
def cli() -> None:
    """koho (広報): 施策の進捗データから広報紙のPDFをつくります。"""


@cli.command(help=BUILD_HELP)
@project_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="PDF to write (default: PROJECT/build/KIND.pdf).")
@click.option("--html", "html_output", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the document as one self-contained HTML file.")
@click.option("--kind", type=click.Choice(["newsletter", "handout", "archive"]), default="newsletter",
              show_default=True, help="Which document to build: 広報紙 / 議会資料 / 保存版.")
@click.option("--meeting", help="Handout: the meeting's name (会議名), instead of koho.toml's.")
@click.option("--date", help="Handout: the date printed in the header block (日付).")
@click.option("--print", "print_ready", is_flag=True, default=None,
              help="The printer's version: 3mm bleed and crop marks (PDF/X-4 with [print] icc_profile).")
@click.option("--spread", is_flag=True, help="Also write OUT-spread.pdf: each spread on one A3 sheet.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def build(project: Path, output: Path | None, html_output: Path | None, kind: str, meeting: str | None,
          date: str | None, print_ready: bool | None, spread: bool, quiet: bool) -> None:
    from report.build import build as run_build

    result = run_build(project, output=output, html_output=html_output, kind=kind, print_ready=print_ready,
                       spread=spread, meeting=meeting, date=date)
    if quiet:
        return
    _warn(result.project)
    if result.html:
        click.echo(f"HTML: {result.html}")
    if result.spread:
        click.echo(f"見開き校正紙: {result.spread}")
    click.echo(f"PDF: {result.pdf} ({result.pages}ページ, {result.size / 1024:.0f} KB, "
               f"{result.seconds:.1f}秒)")
    click.echo(f"SHA-256: {result.sha256}")


@cli.command(help=VALIDATE_HELP)
@project_argument
def validate(project: Path) -> None:
    from report.validate import load_project

    loaded = load_project(project)
    _warn(loaded)
    click.echo(f"問題はありません: {len(loaded.areas)}分野、{len(loaded.measures)}施策、"
               f"{sum(len(m.metrics) for m in loaded.measures)}件の実績")


CHARTS_HELP = """Write every chart of PROJECT as SVG and 300 dpi PNG (with its alt text as .txt).

\b
例 / Example:
  koho charts data -o charts-out
"""


@cli.command(help=CHARTS_HELP)
@project_argument
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("charts-out"), show_default=True, help="Folder to write the charts to.")
@click.option("--dpi", type=click.IntRange(72, 1200), default=300, show_default=True, help="PNG resolution.")
def charts(project: Path, out_dir: Path, dpi: int) -> None:
    from report.chart_export import export_charts

    written = export_charts(project, out_dir, dpi=dpi)
    click.echo(f"{len([p for p in written if p.suffix == '.svg'])}枚のグラフを書き出しました: {out_dir}")


def main() -> None:
    """Entry point of the `koho` script."""
    cli()


if __name__ == "__main__":
    main()
