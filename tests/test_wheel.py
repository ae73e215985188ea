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
                     "report/commands/preview/static/preview.js", "report/commands/preview/static/preview.css"):
        assert expected in names, expected


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
