"""Lay out the HTML with WeasyPrint and produce the PDF bytes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import BinaryIO

from report.assets import STYLES_DIR, TEMPLATES_DIR


def layout(html: str, root: Path, css: str = "", cmyk_profile: Path | None = None,  # noqa: ANN201 - weasyprint.Document
           images: dict | None = None):
    """Lay the document out with koho's generated `css` (report.render.html.generated_css) applied to it; it
    may read only the project folder and koho's own assets. With the printer's `cmyk_profile`,
    every colour and image is converted to CMYK (report.render.pdf.cmyk). `images` receives the
    images WeasyPrint loads, by URL (report/render/typeset/late_charts.py)."""
    from report.render.typeset.weasy import load

    weasyprint = load()
    from report.photos.print import print_photo_response
    from report.render.pdf.cmyk import print_css, print_html, print_response
    from report.render.typeset.fetcher import ProjectURLFetcher
    from report.render.typeset.extensions import copytext, japanese_lines, page_refs, row_breaks
    from report.render.typeset.warm import font_config

    japanese_lines.install()  # Japanese lines justified between characters, not only at spaces
    page_refs.install()  # page references laid out once when their pages are known
    copytext.install()  # composed lines copy as typed (ActualText; pdf.js's space guess widened)
    row_breaks.install()  # a handout row split rather than leave a quarter of the page empty

    class PrintFetcher(ProjectURLFetcher):
        def fetch(self, url: str, headers: dict | None = None):  # noqa: ANN202 - URLFetcherResponse
            return print_response(super().fetch(url, headers), cmyk_profile)

        def photo(self, url: str, path: Path):  # noqa: ANN202 - URLFetcherResponse | None
            return print_photo_response(url, path, cmyk_profile)  # from its file: print ppi, printer's CMYK

    roots = [root, STYLES_DIR, TEMPLATES_DIR]
    fetcher = PrintFetcher(roots) if cmyk_profile else ProjectURLFetcher(roots)
    if cmyk_profile:
        html, css = print_html(html, cmyk_profile), print_css(css, cmyk_profile)
    fonts = font_config(root)
    base_url = root.as_uri() + "/"
    profiles: dict = {}  # @color-profile rules of the generated CSS, for the PDF's output intent
    sheets = [weasyprint.CSS(string=css, base_url=base_url, url_fetcher=fetcher, color_profiles=profiles,
                             font_config=fonts)] if css else []
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=sheets, color_profiles=profiles, font_config=fonts, cache={} if images is None else images)
    return document, fetcher


BLEED_PT = 3 / 25.4 * 72  # 3mm: what Japanese printers ask for (塗り足し)


def _exact_bleed_boxes(pdf) -> None:  # noqa: ANN001 - pydyf.PDF
    """Set each page's BleedBox to exactly 3mm around its TrimBox.

    The CSS bleed is wider (it leaves room for the crop marks outside the bleed), and WeasyPrint
    would put the BleedBox 10pt out; the printer wants the 3mm actually printed to the edge.
    """
    import pydyf

    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and "TrimBox" in item:
            left, top, right, bottom = item["TrimBox"]
            item["BleedBox"] = pydyf.Array([left - BLEED_PT, top - BLEED_PT, right + BLEED_PT, bottom + BLEED_PT])


def page_layout(first_page: int) -> str:
    """How viewers open the PDF: two-up, with the first page on the side its folio puts it."""
    return "/TwoPageLeft" if first_page % 2 == 0 else "/TwoPageRight"


COVER_LABEL = "表紙"  # what a page without a folio is called in viewers' page lists


def page_labels(document, first_page: int) -> "pydyf.Dictionary":  # noqa: ANN001, F821 - weasyprint.Document
    """Viewers' page numbers as printed: folios counted from `first_page`; cover pages (the named
    page `cover`, which prints no folio) labelled 表紙."""
    import pydyf

    nums, previous = pydyf.Array(), None
    for index, page in enumerate(document.pages):
        cover = page._page_box.page_type.name == "cover"  # noqa: SLF001 - the laid-out page's name
        if cover and previous != "cover":
            nums.extend([index, pydyf.Dictionary({"P": pydyf.String(COVER_LABEL)})])
        elif not cover and previous != "folio":
            nums.extend([index, pydyf.Dictionary({"S": "/D", "St": first_page + index})])
        previous = "cover" if cover else "folio"
    return pydyf.Dictionary({"Nums": nums})


def source_attachments(project, created: str) -> list:  # noqa: ANN001 - report.load.model.Project
    """Every input file of the project, to embed in the archive with the relationship Source: the
    bytes read when the project was loaded, so what is attached is what was printed (an imported
    project: the tables as read and the mapping, see report.compose.exported.archive_files)."""
    from weasyprint import Attachment

    from report.compose.exported import archive_files

    moment = dt.datetime.fromisoformat(created) if created else None
    return [Attachment(string=data, name=name, description=f"元データ: {name}",
                       created=moment, modified=moment, relationship="Source")
            for name, data in archive_files(project)]


def output_intent_missing(pdf, document) -> bool:  # noqa: ANN001 - pydyf.PDF, weasyprint.Document
    """Whether a PDF/X lacks its output intent: an OutputIntents entry (GTS_PDFX) carrying the
    printer's profile, the `@color-profile device-cmyk` of the generated CSS."""
    profile = document.color_profiles.get("device-cmyk")
    if profile is None or profile.pdf_reference is None:
        return True
    intents = pdf.catalog.get("OutputIntents") or []
    return not any(intent.get("S") == "/GTS_PDFX" and intent.get("DestOutputProfile") == profile.pdf_reference
                   for intent in intents)


def refuse_claim_without_intent(profile_name: str) -> None:
    """A PDF/X whose output intent was not written is refused, never saved claiming PDF/X."""
    from report.load.project.sources import CONFIG_NAME
    from report.problems import DataError, Problem

    raise DataError([Problem(CONFIG_NAME, "印刷用PDF(PDF/X-4)に必要な出力インテント(印刷所のICCプロファイル)を"
                             "PDFに書き込めませんでした。ICCプロファイルを印刷所から受け取り直してください",
                             column="print.icc_profile", value=profile_name)])


def write_pdf(document, stream: BinaryIO, variant: str | None = None,  # noqa: ANN001 - weasyprint.Document
              two_up_from: int | None = None, attachments: list | None = None, first_page: int = 1,
              trim_marks: bool = False, profile_name: str = "") -> None:
    """Write the laid-out document; `two_up_from` (the first folio) makes viewers open it two-up;
    viewers number the pages as printed from `first_page`; `trim_marks` draws Japanese トンボ
    (in registration colour when the PDF is a PDF/X). A PDF/X is written only with its output
    intent (the printer's profile, `profile_name` in koho.toml): the claim needs it.

    Every variant but PDF/X is tagged (reading order, headings, tables, figures with alt text),
    with WeasyPrint's tag tree repaired by report.render.pdf.tagging.
    """
    from report.render.pdf.deflate import precompress
    from report.render.pdf.marks import add_marks
    from report.render.pdf.tagging import end_trace, finish_tags, start_trace

    trace, token = start_trace()
    if variant and variant.startswith("pdf/x") and not document.metadata.modified:
        document.metadata.modified = document.metadata.created  # else WeasyPrint's pdfx: the machine's local time

    def finish(_document, pdf) -> None:  # noqa: ANN001 - weasyprint and pydyf objects
        if variant and variant.startswith("pdf/x") and output_intent_missing(pdf, document):
            refuse_claim_without_intent(profile_name)
        if two_up_from is not None:
            pdf.catalog["PageLayout"] = page_layout(two_up_from)
        pdf.catalog["PageLabels"] = page_labels(document, first_page)
        _exact_bleed_boxes(pdf)
        finish_tags(pdf, document, trace)
        if trim_marks:
            add_marks(pdf, cmyk=variant == "pdf/x-4")
        precompress(pdf)  # last: nothing may change a stream after this

    try:
        document.write_pdf(stream, pdf_variant=variant, finisher=finish, attachments=attachments,
                           pdf_tags=variant != "pdf/x-4", custom_metadata=True)
    finally:
        end_trace(token)
