"""Page references laid out once when their pages are already known (a WeasyPrint extension).

The archive gives page numbers with `target-counter(attr(href), page)`: its contents page (pointing
forward) and its index (pointing back to the measures). WeasyPrint 70 lays out every page holding
such a reference three times, the index's pages included, though every page it points to is laid
out before it: 0.45 s of the large example's archive. Two of WeasyPrint's quirks cause it:

1. `compute_content_list` rebinds its list of the box's own missing counters to the target's list
   and records the target under the name None when it comes from `attr()`. The reference then
   counts as waiting for a counter of its own page: it is parsed again, and its page laid out
   again, when its page's counters change, which they do once more when `pages` is known after
   the first pass. The news that a target was placed never reaches it by name.
2. A reference whose target is placed before the reference itself is laid out is only marked
   pending, so its page is laid out once with an empty number and then again.

Here, for a `content` with no `counter()` of its own (strings and target counters only), the
reference is recorded as it should be: no counters of its own page, its targets by their anchor
names. WeasyPrint's own bookkeeping then lays out a page again exactly when a target it names
moves (the contents page twice: once to find the pages, once to print them). And after each page
is laid out, a pending reference that is still to come (not on that page or any before it) is
filled in at once, so the index is laid out once, with its numbers. Any other content keeps
WeasyPrint's own behaviour, as does a WeasyPrint whose code differs from the tested code
(tests/test_page_refs.py checks the hashes, and that every number printed is its target's page).
"""

from __future__ import annotations

from report.render.typeset.extensions.guard import source_sha256, unchanged

# SHA-256 of the source of every upstream function whose behaviour this module corrects or relies on.
EXTENDED_SOURCE_SHA256 = {
    "weasyprint.formatting_structure.build.compute_content_list":
        "3a5674cabd84f48ae9247650a73ad3c0fe690c10a3b7fb0ff6209f8b4b0bf671",
    "weasyprint.css.targets.TargetCollector.collect_missing_counters":
        "24ea43be86560c9db5b931269d67af82528cb44a8ced2a25e57036859bebe0cc",
    "weasyprint.css.targets.TargetCollector.cache_target_page_counters":
        "545eb30bb50f0e4921f6405ed31cfcc20bb92f32c85b549fe81507cbf27d6dee",
    "weasyprint.css.targets.TargetCollector.lookup_target":
        "cc606c47e1954d3bdacca44d231305cd486f3f79183e7eddda0a41dfd489fb31",
    "weasyprint.layout.page.make_page":
        "656f183328e8b1b56311a342621442056c067422958dcaf6730acdfb6c7b8971",
}

_OWN_COUNTERS = ("counter()", "counters()")
_TARGET_COUNTERS = ("target-counter()", "target-counters()")
_installed = False


def _targets() -> dict[str, tuple[object, str]]:
    from weasyprint.css import targets
    from weasyprint.formatting_structure import build
    from weasyprint.layout import page

    return {
        "weasyprint.formatting_structure.build.compute_content_list": (build, "compute_content_list"),
        "weasyprint.css.targets.TargetCollector.collect_missing_counters":
            (targets.TargetCollector, "collect_missing_counters"),
        "weasyprint.css.targets.TargetCollector.cache_target_page_counters":
            (targets.TargetCollector, "cache_target_page_counters"),
        "weasyprint.css.targets.TargetCollector.lookup_target": (targets.TargetCollector, "lookup_target"),
        "weasyprint.layout.page.make_page": (page, "make_page"),
    }


def source_hashes() -> dict[str, str]:
    """SHA-256 of the installed WeasyPrint's source of every function this module extends."""
    return {name: source_sha256(getattr(owner, attribute)) for name, (owner, attribute) in _targets().items()}


def _anchor_name(token: tuple, box) -> str | None:  # noqa: ANN001 - a WeasyPrint box
    """The anchor a target token names, as `TargetCollector.lookup_target` resolves it; None for a
    form this module leaves to WeasyPrint."""
    from weasyprint.css.targets import anchor_name_from_token

    if token[0] == "attr()":
        attribute, kind, fallback = token[1]
        if kind != "string":
            return None
        token = ("string", box.element.get(attribute, fallback))
    name = anchor_name_from_token(token)
    return name if isinstance(name, str) else None


def _target_counters(collector, box, content) -> dict[str, list[str]] | None:  # noqa: ANN001
    """The counters a content list still needs from each target's page, by anchor name; None when the
    content counts on its own page too (or names its target in a form not handled here)."""
    if not isinstance(content, tuple):
        return None
    missing: dict[str, list[str]] = {}
    for kind, value in content:
        if kind in _OWN_COUNTERS:
            return None
        if kind in _TARGET_COUNTERS:
            name = _anchor_name(value[0], box)
            item = collector.target_lookup_items.get(name)
            if name is None or item is None or item.state != "up-to-date":
                return None
            counter = value[1]
            if counter not in item.target_box.cached_counter_values and counter not in missing.get(name, []):
                missing.setdefault(name, []).append(counter)
    return missing


def _recorded_by_name(collect):  # noqa: ANN001, ANN202 - TargetCollector.collect_missing_counters
    def collect_missing_counters(self, parent_box, css_token, parse_again_function, missing_counters,
                                 missing_target_counters):  # noqa: ANN001, ANN202
        if css_token == "content" and missing_target_counters:
            named = _target_counters(self, parent_box, parent_box.style["content"])
            if named is not None:
                missing_counters, missing_target_counters = [], named
        return collect(self, parent_box, css_token, parse_again_function, missing_counters,
                       missing_target_counters)

    collect_missing_counters.__wrapped__ = collect
    return collect_missing_counters


def _filled_ahead(make_page):  # noqa: ANN001, ANN202 - weasyprint.layout.page.make_page
    def make_page_then_fill(context, *args, **kwargs):  # noqa: ANN001, ANN202
        result = make_page(context, *args, **kwargs)
        for item in context.target_collector.counter_lookup_items.values():
            # Still pending after this page: its box was on no page so far. A reference that needs
            # only its targets' pages is filled in now, before its own page is laid out.
            if item.pending and item.page_maker_index is None and not item.missing_counters:
                item.parse_again(None)
                item.pending = False
        return result

    make_page_then_fill.__wrapped__ = make_page
    return make_page_then_fill


def install() -> bool:
    """Correct WeasyPrint's page references (once per process); False, leaving WeasyPrint's own
    behaviour, when its code is not the tested code."""
    global _installed
    if _installed:
        return True
    from weasyprint.css import targets
    from weasyprint.layout import page

    if not unchanged(EXTENDED_SOURCE_SHA256, source_hashes(),
                     "pages with page references are laid out as WeasyPrint does"):
        return False
    targets.TargetCollector.collect_missing_counters = _recorded_by_name(
        targets.TargetCollector.collect_missing_counters)
    page.make_page = _filled_ahead(page.make_page)
    _installed = True
    return True
