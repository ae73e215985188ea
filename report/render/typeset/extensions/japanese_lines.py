"""Japanese line composition installed in WeasyPrint: justify.py's inter-character justification
and line_adjust.py's line edges and paragraph ends, once per process, and only when WeasyPrint's
functions they replace or rely on are the tested code (guard.py)."""

from __future__ import annotations

from report.render.typeset.extensions import justify, line_adjust
from report.render.typeset.extensions.guard import source_sha256, unchanged

# The WeasyPrint versions this is tested with (pyproject.toml pins the same range).
TESTED_VERSIONS = ("70.0",)

# SHA-256 of the source of every upstream function this module replaces or relies on the shape of.
EXTENDED_SOURCE_SHA256 = {
    "weasyprint.layout.inline.justify_line":
        "f83b21ff8793ba6b6dfc5fe8e10e4ab6cd6e02b17de02da97200902166148a81",
    "weasyprint.layout.inline.count_expandable_spaces":
        "175fe6f42576ed3842d240a5048b4816ed702e8f97d49389b5b528aee51476ad",
    "weasyprint.layout.inline.add_word_spacing":
        "879516e71f1b80fa1833aee877e1a34c851248c5fd871d6c855c58f07358d418",
    "weasyprint.layout.inline.text_align":
        "e953d41b87ccfc30405f83f6cc3c73918ef4638662794db4f834b1d788d6ed67",
    "weasyprint.text.line_break.Layout.set_text":
        "fe23ca9937dbf5205bda422f9c01103f301ef2c511228842632ea86e853274f7",
    "weasyprint.text.line_break.Layout.reactivate":
        "0b89ee097104b71376c179f48a98858708b07169dc0212c393263a1a831607c9",
    "weasyprint.layout.inline.iter_line_boxes":
        "04aec48abfcad809bc94c54eeba0e23a389e824cec85fe67bc1b21412d29dc3a",
    "weasyprint.layout.inline.get_next_linebox":
        "67af458c2545e74f0803072103c6c5d392d5e353dfdaa4f5bac5a96e20ed024d",
    "weasyprint.layout.inline.split_inline_box":
        "3a0cb7ca7e34c7ef0feda818cdb8fea64b7a8332ccf83e12506289534f6faeae",
    "weasyprint.layout.inline.split_inline_level":
        "d98c008c8fc005828a5b04864ed3638ab9bb241f27245050e244869c90c490a3",
}

_installed = False


def _targets() -> dict[str, tuple[object, str]]:
    """Each extended function's owner and attribute name, by dotted name."""
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    names = [name.rsplit(".", 1)[1] for name in EXTENDED_SOURCE_SHA256 if name.startswith("weasyprint.layout.inline.")]
    return {
        **{f"weasyprint.layout.inline.{name}": (inline, name) for name in names},
        "weasyprint.text.line_break.Layout.set_text": (line_break.Layout, "set_text"),
        "weasyprint.text.line_break.Layout.reactivate": (line_break.Layout, "reactivate"),
    }


def source_hashes() -> dict[str, str]:
    """SHA-256 of the installed WeasyPrint's source of every function this module extends."""
    return {name: source_sha256(justify.upstream.get(attribute) or getattr(owner, attribute))
            for name, (owner, attribute) in _targets().items()}


def install() -> bool:
    """Extend WeasyPrint's justification and line breaking (once per process); False when its code is
    not the tested code."""
    global _installed
    if _installed:
        return True
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    if not unchanged(EXTENDED_SOURCE_SHA256, source_hashes(), "Japanese lines are left ragged"):
        return False
    replacements = {
        (inline, "justify_line"): justify.justify_line,
        (inline, "text_align"): line_adjust.text_align,
        (inline, "get_next_linebox"): line_adjust.get_next_linebox,
        (inline, "split_inline_box"): line_adjust.split_inline_box,
        (line_break.Layout, "set_text"): justify.set_text,
    }
    for (owner, attribute), function in replacements.items():
        justify.upstream[attribute] = getattr(owner, attribute)
        setattr(owner, attribute, function)
    _installed = True
    return True
