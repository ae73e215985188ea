"""koho works installed from a wheel, not only from the checkout: assets are package data."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE, pdf_text


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True)
    return next(out.glob("koho-*.whl"))


def test_wheel_carries_templates_styles_fonts_and_preview_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("cli.py", "report/commands/build.py", "charts/draw.py", "report/templates/newsletter.html",
                     "report/styles/page-newsletter.css", "report/styles/fonts/BIZUDPGothic-Bold.ttf",
                     "report/styles/fonts/OFL.txt", "report/commands/skeleton/koho.toml", "report/commands/preview/chrome.html",
                     "report/commands/preview/static/preview.js", "report/commands/preview/static/preview.css",
                     "report/commands/guide.py", "report/docs/images/preview.png"):
        assert expected in names, expected
    guide = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "docs" / "ja").glob("*.md"))
    for chapter in guide:  # the ヘルプ tab's guide, every chapter of it
        assert f"report/{chapter}" in names, chapter


def test_installed_wheel_finds_its_guide(wheel: Path, tmp_path: Path) -> None:
    """The ヘルプ tab of an installed koho shows the guide inside the package, never the checkout's."""
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    script = ("from report.commands.guide import docs_folder, PACKAGE; folder = docs_folder(); "
              "print(PACKAGE); print(folder or '')")
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(target)})
    assert result.returncode == 0, result.stderr
    package, folder = result.stdout.splitlines()
    assert Path(package) == target / "report"
    if (ROOT / "docs" / "ja" / "index.md").is_file():
        assert Path(folder) == target / "report" / "docs"
        assert (Path(folder) / "ja" / "index.md").read_bytes() == (ROOT / "docs" / "ja" / "index.md").read_bytes()
    else:  # a checkout without the guide makes a wheel without it: the tab says so
        assert folder == ""


def test_installed_wheel_builds_the_sample(wheel: Path, tmp_path: Path, sample_text: str) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    out = tmp_path / "wheel.pdf"
    script = ("import report, sys; from cli import main; "
              "assert report.__file__.startswith(sys.argv[1]), report.__file__; "
              "sys.argv = ['koho', 'build', sys.argv[2], '-o', sys.argv[3]]; main()")
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run([sys.executable, "-c", script, str(target), str(SAMPLE), str(out)],
                            cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert pdf_text(out) == sample_text
