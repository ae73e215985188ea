"""Browser checks shared by the preview's and the web page's accessibility tests: axe-core with
best practice as well as WCAG 2.1 AA, reflow (nothing scrolls sideways), and the contrast of the
focus outline against the background it is drawn on, read from the browser's computed styles."""

from __future__ import annotations

import pytest

from .conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
WIDTHS = (320, 375, 768, 1280)
# 1280 px zoomed to 200%: a 640 CSS px viewport drawn at two device pixels per CSS pixel (what a
# browser's zoom does to the layout), emulated with Playwright's device_scale_factor.
ZOOMED = {"viewport": {"width": 640, "height": 512}, "device_scale_factor": 2}


def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: `make test` runs scripts/ensure-axe (needs npm)")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, source: str) -> list[tuple[str, str, list]]:  # noqa: ANN001 - playwright Page
    """(rule, impact, first targets) of every violation axe finds on the page as it is now."""
    page.add_script_tag(content=source)
    found = page.evaluate("""async tags => {
        const outcome = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return {violations: outcome.violations, passes: outcome.passes.length};
    }""", AXE_TAGS)
    assert found["passes"] > 10, "axe ran its checks"
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found["violations"]]


def sideways(page) -> list[str]:  # noqa: ANN001 - playwright Page
    """What makes the page wider than its window (empty when it reflows): the document's scroll
    width, and every element reaching past the right edge outside a frame that scrolls on its own."""
    return page.evaluate("""() => {
        const root = document.documentElement, width = root.clientWidth;
        const inFrame = e => { for (let p = e.parentElement; p; p = p.parentElement) {
            if (p.scrollWidth > p.clientWidth && getComputedStyle(p).overflowX === 'auto') return true; }
            return false; };
        const wide = [...document.body.querySelectorAll('*')]
            .filter(e => e.getBoundingClientRect().right > width + 0.5 && !inFrame(e))
            .map(e => e.tagName + '.' + e.className);
        return (root.scrollWidth > width ? ['scrollWidth ' + root.scrollWidth + ' > ' + width] : []).concat(wide);
    }""")


FOCUS_CONTRASTS = """() => {
    // Contrast of the focus outline of every focused element with the colour behind it: the first
    // opaque background of its ancestors (the outline is drawn outside the element).
    const rgb = c => c.match(/[\\d.]+/g).map(Number);
    const lum = c => { const v = rgb(c).slice(0, 3).map(x => x / 255)
        .map(x => x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4);
        return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const behind = e => { for (let p = e.parentElement; p; p = p.parentElement) {
        const c = getComputedStyle(p).backgroundColor; const a = rgb(c)[3];
        if (a === undefined || a === 1) return c; } return 'rgb(255, 255, 255)'; };
    const e = document.activeElement, style = getComputedStyle(e);
    return {element: e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 20),
            style: style.outlineStyle, width: parseFloat(style.outlineWidth), colour: style.outlineColor,
            background: behind(e), ratio: ratio(style.outlineColor, behind(e))};
}"""


def focus_outlines(page, limit: int = 400) -> list[dict]:  # noqa: ANN001 - playwright Page
    """Tab through the page (as a keyboard user: :focus-visible applies) and read each focused
    element's outline and the contrast of its colour with the background behind it."""
    seen, outlines = set(), []
    page.locator("body").focus()
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUS_CONTRASTS)
        key = page.evaluate("() => { const e = document.activeElement; "
                            "return e === document.body ? null : [...document.querySelectorAll('*')].indexOf(e); }")
        if key is None or key in seen:
            break
        seen.add(key)
        outlines.append(found)
    return outlines
