"""Pages laid out while their charts are still being drawn.

Every chart has a size known before it is drawn (ChartSpec.frame_svg: its width, height and
viewBox as matplotlib writes them), and a page's layout depends on nothing else of it. So when
charts must be drawn (an empty chart cache), one worker process (charts/cache.py's `Drawing`,
which `koho build` starts before it even reads the data) draws them on the second core while
this process lays the pages out with empty frames of their sizes; before the pages are checked
and written, each frame's picture is replaced by its chart's. A chart whose drawn size differs from its frame
(never seen; tests/test_late_charts.py forces it) makes the pages laid out again with the real
charts, so nothing is ever drawn at a size it was not laid out for.

This uses WeasyPrint's image cache (the `cache` option of `HTML.render`) and its `SVGImage`
(its `_svg`, `_url_fetcher` and `_context`), tested with WeasyPrint 70.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from charts import ChartSpec, svgs
from charts.cache import Drawing, start_drawing

from report.compose.figures import svg_data_uri

SIZE = ("width", "height", "viewBox")


def _size(root: ET.Element) -> list[str | None]:
    return [root.get(name) for name in SIZE]


class LateCharts:
    """The charts of one build: drawn already, or being drawn while the pages are laid out."""

    def __init__(self, specs: list[ChartSpec], font_dir: Path, jobs: int, wait: bool = False,
                 meanwhile: Callable[[], object] | None = None) -> None:
        """Start drawing what the chart cache misses; with `wait` (or when drawing in the
        background would not pay) draw it now. `meanwhile` (a cold process's import of the
        renderer) runs while the charts are drawn."""
        self._specs = {spec.key(): spec for spec in specs}
        self._drawing: Drawing | None = None if wait else start_drawing(specs, font_dir, jobs, meanwhile is not None)
        if self._drawing is None:
            self._drawn = svgs(specs, font_dir, jobs=jobs, meanwhile=meanwhile)
        else:
            self._drawn = dict(self._drawing.found)
            if meanwhile is not None:
                meanwhile()
        self.frames = {key: svg_data_uri(spec.frame_svg())
                       for key, spec in self._specs.items() if key not in self._drawn}

    @property
    def uris(self) -> dict[str, str]:
        """Each chart's data: URI by key, a frame of its size where it is still being drawn."""
        return {key: svg_data_uri(self._drawn[key]) if key in self._drawn else self.frames[key]
                for key in self._specs}

    def all_drawn(self) -> dict[str, str]:
        """Every chart's SVG by key, waiting for those still being drawn."""
        if self._drawing is not None:
            self._drawn = self._drawing.result()
            self._drawing = None
        return self._drawn

    def drawn_uris(self) -> dict[str, str]:
        """Each chart's data: URI by key, once every chart is drawn."""
        self.all_drawn()
        return self.uris

    def real_html(self, html: str) -> str:
        """`html` with every frame replaced by its chart."""
        if not self.frames:
            return html
        drawn = self.all_drawn()
        for key, frame in self.frames.items():
            html = html.replace(frame, svg_data_uri(drawn[key]))
        return html

    def fill_in(self, images: dict) -> bool:
        """Give each frame WeasyPrint loaded (`images`: the layout's image cache) its chart's
        picture. False, changing nothing, when a drawn chart's size differs from its frame's."""
        if not self.frames:
            return True
        drawn = self.all_drawn()
        trees = {key: ET.fromstring(drawn[key].encode("utf-8")) for key in self.frames}
        if any(_size(tree) != _size(ET.fromstring(self._specs[key].frame_svg())) for key, tree in trees.items()):
            return False
        from weasyprint.images import SVGImage

        for key, frame in self.frames.items():
            image = images.get(frame)
            if image is None:  # not on any page
                continue
            chart = SVGImage(trees[key], frame, image._url_fetcher, image._context)  # noqa: SLF001 - WeasyPrint's
            image._svg = chart._svg  # noqa: SLF001
        return True
