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
VALIDATE_HELP = """Check PROJECT's data and koho.toml without rendering (データの点検).

\b
Exit status 1 when there is an error (with --strict, also a warning).
--format json prints the problems as a JSON list, for other tools.
"""
STRICT_HELP = "Treat warnings (注意) as errors: exit 1 and write nothing."

project_argument = click.argument(
    "project", default=".", type=click.Path(path_type=Path), metavar="[PROJECT]")


strict_option = click.option("--strict", is_flag=True, help=STRICT_HELP)


def _warn(problems) -> None:  # noqa: ANN001 - Iterable[report.problems.Problem]
    for problem in problems:
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
@click.option("--kind", type=click.Choice(["newsletter"]), default="newsletter", show_default=True,
              help="Which document to build.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@strict_option
def build(project: Path, output: Path | None, html_output: Path | None, kind: str, quiet: bool,
          strict: bool) -> None:
    from report.build import build as run_build

    result = run_build(project, output=output, html_output=html_output, kind=kind, strict=strict)
    if quiet:
        return
    _warn(result.warnings)
    if result.html:
        click.echo(f"HTML: {result.html}")
    click.echo(f"PDF: {result.pdf} ({result.pages}ページ, {result.size / 1024:.0f} KB, "
               f"{result.seconds:.1f}秒)")


@cli.command(help=VALIDATE_HELP)
@project_argument
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print the problems.")
@strict_option
def validate(project: Path, output_format: str, strict: bool) -> None:
    import json

    from report.build import check
    from report.problems import DataError

    try:
        loaded, warnings = check(project, strict)
    except DataError as error:
        if output_format != "json":
            raise
        click.echo(json.dumps([p.to_dict() for p in error.problems], ensure_ascii=False, indent=2))
        raise click.exceptions.Exit(1) from None
    if output_format == "json":
        click.echo(json.dumps([p.to_dict() for p in warnings], ensure_ascii=False, indent=2))
        return
    _warn(warnings)
    click.echo(f"問題はありません: {len(loaded.areas)}分野、{len(loaded.measures)}施策、"
               f"{sum(len(m.metrics) for m in loaded.measures)}件の実績")


def main() -> None:
    """Entry point of the `koho` script."""
    cli()


if __name__ == "__main__":
    main()
