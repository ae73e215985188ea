"""matplotlib set-up: the bundled UD fonts, deterministic SVG output, no chart junk.

Charts use koho's bundled fonts only: the text's family is a bundled one, and every generic
family (sans-serif, serif, monospace, …) names bundled fonts too, so neither matplotlib's own
DejaVu nor a font of the machine is measured or drawn (the PNGs of `koho charts` included).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONT_FAMILY = "BIZ UDPGothic"
MM = 1 / 25.4  # inches per millimetre

# The documents' ink and greys (styles/variables.css --ink, --grey, --rule; a test keeps them equal).
INK = "#000000"
GREY = "#84919E"
RULE = "#C8C8CB"
PAPER = "#FFFFFF"

RC = {
    "font.family": FONT_FAMILY,
    "font.size": 8,
    "svg.fonttype": "none",  # text stays text, set by the page in the page's embedded font
    "svg.hashsalt": "koho",  # stable ids: same data, same bytes
    "text.parse_math": False,  # a label with $…$ is text, never a formula
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.spines.left": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": RULE,
    "grid.linewidth": 0.4,
    "axes.axisbelow": True,
    "axes.edgecolor": GREY,
    "xtick.color": INK,
    "ytick.color": INK,
    "ytick.left": False,
    "figure.dpi": 72,
    # Generic families resolve to bundled fonts, never to DejaVu (matplotlib's) or the machine's.
    "font.sans-serif": [FONT_FAMILY],
    "font.serif": ["BIZ UDPMincho"],
    "font.monospace": ["BIZ UDGothic"],
    "font.cursive": [FONT_FAMILY],
    "font.fantasy": [FONT_FAMILY],
}


@cache
def setup(font_dir: Path) -> None:
    """Register the bundled fonts with matplotlib once per process."""
    import matplotlib

    matplotlib.use("svg")
    from matplotlib import font_manager

    for path in sorted(font_dir.glob("*.ttf")):
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams.update(RC)
