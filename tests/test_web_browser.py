"""The web version in a real browser (Debian's chromium, Playwright), opened from the folder as a
USB stick would give it (file: URLs): axe-core finds no WCAG 2.1 A/AA violation, nothing scrolls
sideways at phone width, every vision, action, chart and table is there, the fonts load, and the
page asks for nothing outside its folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.commands.build import BuildResult
from report.kinds import KINDS
from report.compose.figures import project_figures
from report.render.html.markup import plain_text

from .conftest import ROOT
from .test_web import generated_web, kpi_web, sample_web, shown_measures  # noqa: F401 - fixtures

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE, DESKTOP = 375, 1280


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: `make test` runs scripts/ensure-axe (needs npm)")
    return AXE.read_text(encoding="utf-8")


def open_page(browser, result: BuildResult, width: int):  # noqa: ANN001, ANN201 - playwright objects
    """The page at `width` px, loaded with its fonts, and every URL it asked for."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(result.web.as_uri())
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, requested


@pytest.mark.parametrize("which", ["sample_web", "generated_web", "kpi_web"])
def test_no_wcag_21_aa_violation(browser, axe_source: str, which: str, request: pytest.FixtureRequest) -> None:  # noqa: ANN001
    result = request.getfixturevalue(which)
    for width in (PHONE, DESKTOP):
        page, _ = open_page(browser, result, width)
        try:
            page.add_script_tag(content=axe_source)
            outcome = page.evaluate("""async tags => {
                const outcome = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                // What axe could not decide must be chart text only (black on the chart's white).
                const undecided = outcome.incomplete.flatMap(r => r.nodes.map(n => [r.id, n.target[0]]))
                    .filter(([id, target]) => !document.querySelector(target).closest('svg'));
                return {violations: outcome.violations, passes: outcome.passes.length, undecided};
            }""", WCAG_21_AA)
            problems = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in outcome["violations"]]
            assert problems == [], f"{which} at {width}px: {problems}"
            assert outcome["undecided"] == [], f"{which} at {width}px"
            assert outcome["passes"] > 10, "axe ran its checks"
        finally:
            page.close()


@pytest.mark.parametrize("which", ["sample_web", "generated_web", "kpi_web"])
def test_phone_width_never_scrolls_sideways(browser, which: str, request: pytest.FixtureRequest) -> None:  # noqa: ANN001
    result = request.getfixturevalue(which)
    page, _ = open_page(browser, result, PHONE)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
        wide = page.evaluate(f"""[...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > {PHONE} + 0.5).map(e => e.tagName + '.' + e.className)""")
        assert wide == []
    finally:
        page.close()


@pytest.mark.parametrize("which", ["sample_web", "generated_web", "kpi_web"])
def test_everything_is_on_the_page_from_the_folder_alone(browser, which: str,  # noqa: ANN001
                                                         request: pytest.FixtureRequest) -> None:
    result = request.getfixturevalue(which)
    folder = result.web.parent.as_uri() + "/"
    page, requested = open_page(browser, result, DESKTOP)
    try:
        text = page.evaluate("document.body.textContent")
        for measure in shown_measures(result.project):
            assert plain_text(measure.vision) in text
            for action in measure.actions:
                assert plain_text(action) in text
        charts = page.get_by_role("img")
        names = [charts.nth(i).get_attribute("aria-label") for i in range(charts.count())]
        drawn = project_figures(result.project, years=KINDS["newsletter"].years(result.project),
                                measures={m.id for m in shown_measures(result.project)})
        figures = [f for m in shown_measures(result.project) for f in drawn[m.id] if f.chart]
        assert names == [f.alt for f in figures]
        for figure in figures:
            assert page.get_by_role("img", name=figure.alt, exact=True).is_visible()
        assert page.locator("figure table").count() == len(figures)
        assert page.locator("figure table th[scope]").count() > 0
        faces = page.evaluate("[...document.fonts].map(f => [f.family, f.weight, f.status])")
        assert faces and all(status == "loaded" for _, _, status in faces), faces
        assert {"\"BIZ UDPGothic\"", "BIZ UDPGothic"} & {family for family, _, _ in faces}
        assert requested and all(url.startswith(folder) for url in requested), requested
        assert page.evaluate("document.scripts.length") == 0
    finally:
        page.close()
