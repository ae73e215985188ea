"""Charts drawn with matplotlib for koho documents: vector SVG in the document's fonts and colours.

Nothing here imports matplotlib until a chart actually has to be drawn.
"""

from .cache import svgs
from .choose import choose_series_kind, is_cumulative, parse_chart
from .spec import KINDS, ChartSpec

__all__ = ["KINDS", "ChartSpec", "choose_series_kind", "is_cumulative", "parse_chart", "svgs"]
