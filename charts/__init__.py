"""Charts drawn with matplotlib for koho documents: vector SVG in the document's fonts and colours."""

from .draw import ChartSpec, chart_for_series, render_svg

__all__ = ["ChartSpec", "chart_for_series", "render_svg"]
