"""The ヘルプ tab of `koho serve`: the Japanese guide (docs/ja/*.md) rendered offline.

The guide is found beside koho's code: `report/docs/` in an installed wheel (pyproject.toml puts
docs/ there as package data), `docs/` next to `report/` in a checkout. Markdown is rendered by
markdown-it-py (CommonMark and tables; raw HTML is escaped, HTML comments such as the guide's
`<!-- runnable -->` marks are dropped). Links between chapters stay `NN-name.md`: the server
renders every .md under the docs folder, so they work inside the tab as on GitHub; images are
served from the same folder. Headings get GitHub's ids, so `chapter.md#heading` links land.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markupsafe import Markup

PACKAGE = Path(__file__).resolve().parent.parent  # report/
GUIDE_LANGUAGE = "ja"
GUIDE_INDEX = "index.md"
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_NOT_IN_SLUG_RE = re.compile(r"[^\w\- ]", re.UNICODE)


def docs_folder() -> Path | None:
    """The folder holding ja/ (the guide) and images/: the wheel's report/docs, else the checkout's docs/."""
    for candidate in (PACKAGE / "docs", PACKAGE.parent / "docs"):
        if (candidate / GUIDE_LANGUAGE / GUIDE_INDEX).is_file():
            return candidate
    return None


@dataclass(frozen=True)
class GuidePage:
    """One rendered page of the guide: its title (the first heading) and its HTML."""

    title: str
    html: Markup


def slug(text: str) -> str:
    """GitHub's heading id: lower case, punctuation dropped, spaces to hyphens (Japanese kept)."""
    return _NOT_IN_SLUG_RE.sub("", text.strip().lower()).replace(" ", "-")


@cache
def _renderer():  # noqa: ANN202 - a markdown_it.MarkdownIt
    from markdown_it import MarkdownIt

    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")

    def heading_ids(state) -> None:  # noqa: ANN001 - markdown_it's StateCore
        seen: dict[str, int] = {}
        tokens = state.tokens
        for index, token in enumerate(tokens):
            if token.type == "heading_open" and index + 1 < len(tokens):
                base = slug(tokens[index + 1].content)
                count = seen.get(base, 0)
                seen[base] = count + 1
                token.attrSet("id", base if count == 0 else f"{base}-{count}")

    markdown.core.ruler.push("heading_ids", heading_ids)
    return markdown


def render_guide(text: str) -> GuidePage:
    """A Markdown page of the guide as HTML, its first heading the title."""
    source = _COMMENT_RE.sub("", text)
    tokens = _renderer().parse(source)
    title = next((tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"), "ヘルプ")
    html = _renderer().renderer.render(tokens, _renderer().options, {})
    if not any(t.type == "heading_open" and t.tag == "h1" for t in tokens):
        html = f"<h1>{Markup.escape(title)}</h1>\n{html}"  # every tab has its h1
    return GuidePage(title, Markup(html))


def guide_page(path: Path | None) -> GuidePage | None:
    """The guide's page at `path` (a .md file under the docs folder), or None if it cannot be read."""
    if path is None or path.suffix != ".md":
        return None
    try:
        return render_guide(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
