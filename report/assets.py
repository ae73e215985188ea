"""Where the built-in templates, styles and fonts are: beside the package when installed from a
wheel, or at the top of the checkout when run from source."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def builtin_dir(name: str) -> Path:
    """The built-in `templates` or `styles` folder."""
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name


TEMPLATES_DIR = builtin_dir("templates")
STYLES_DIR = builtin_dir("styles")
FONTS_DIR = STYLES_DIR / "fonts"
