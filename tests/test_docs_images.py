"""The pictures of the README and the guide are the program's own: scripts/readme_images.py makes
them again into a temporary folder, and each must match the committed one in docs/images/ but for a
small share of pixels (the preview's clock and build time; antialiasing). Nothing is skipped: the
browser pictures need chromium, which `make test` installs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.image_diff import changed_share

IMAGES = ROOT / "docs" / "images"
SCRIPT = ROOT / "scripts" / "readme_images.py"
PAGE_TOLERANCE = 0.002  # PDF pages: the same code draws the same pixels
SCREEN_TOLERANCE = 0.01  # browser pictures: the preview's toolbar shows the time of the build
PAGES = ("sample-page", "handout-page", "archive-page", "print-page")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every picture made anew from the current code, by the script as a user runs it: in a process
    of its own (its Playwright must not meet the one the browser tests keep open in this process)."""
    folder = tmp_path_factory.mktemp("images")
    done = subprocess.run([sys.executable, str(SCRIPT), "--out", str(folder)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return {path.name: path for path in folder.glob("*.png")}


def test_every_committed_picture_is_made_again(fresh: dict[str, Path]) -> None:
    committed = {path.name for path in IMAGES.glob("*.png")}
    assert sorted(fresh) == sorted(committed), "run scripts/readme_images.py (needs chromium) and commit docs/images/"


@pytest.mark.parametrize("name", sorted(path.name for path in IMAGES.glob("*.png")))
def test_picture_matches_the_program(name: str, fresh: dict[str, Path]) -> None:
    assert name in fresh, f"{name} was not made (chromium missing?)"
    tolerance = PAGE_TOLERANCE if name.startswith(PAGES) else SCREEN_TOLERANCE
    share = changed_share(fresh[name], IMAGES / name)
    assert share <= tolerance, (f"docs/images/{name}: {share:.2%} of its pixels differ from what the program draws now "
                                f"(at most {tolerance:.1%}); run scripts/readme_images.py and commit the pictures")


def test_every_picture_is_shown_and_every_shown_picture_exists() -> None:
    """The pages show each picture, and name none that the script does not make."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    shown = set()
    for page in pages:
        for target in re.findall(r'(?:src="|\]\()([^")]+\.png)', page.read_text(encoding="utf-8")):
            picture = (page.parent / target).resolve()
            assert picture.is_file(), f"{page.relative_to(ROOT)} shows {target}, which does not exist"
            shown.add(picture.name)
    assert shown == {path.name for path in IMAGES.glob("*.png")}


def test_the_comparison_sees_a_change(tmp_path: Path) -> None:
    """A changed line of text is more than the tolerance; the same picture is no change at all."""
    from PIL import Image, ImageDraw

    page = IMAGES / "sample-page-1.png"
    changed = tmp_path / "changed.png"
    with Image.open(page) as image:
        drawn = image.convert("RGB")
    ImageDraw.Draw(drawn).rectangle((60, 100, 400, 140), fill="black")
    drawn.save(changed)
    assert changed_share(page, page) == 0
    assert changed_share(page, changed) > PAGE_TOLERANCE
