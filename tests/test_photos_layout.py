"""Photos on the page: every kind places a measure's photo at the size its pixels allow (never over
200 ppi in the reader's PDF, never upscaled), the caption under it, the credit small; the handout's
thumbnails follow [handout] photos; each photo is a Figure with its alt text in the tag tree, or
an Artifact when it is 装飾; the preflight warns at the cell of a photo printed under 200 ppi; and
no byte of a source photo's metadata (GPS, owner, camera serial, comment) reaches any output,
while the source files stay as they were."""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from PIL import Image

from report.commands.build import BuildResult, build
from report.load.validate import load_project
from report.photos.encoding import READER_PPI
from report.photos.placing import NEWSLETTER_EMS, PRINT_PPI, placements
from report.photos.source import MM_PER_INCH

from .conftest import KINDS, copy_project
from .pdfcheck import Checked, marks, structure_problems
from .test_photos_data import COMMENT, OWNER, SERIAL, camera_jpeg, row_of, set_photo

PT_PER_MM = 72 / 25.4
LONG_CAPTION = ("土曜日と日曜日にも開いた特定健診の会場で、受付を待つ市民と、予約の方法を案内する保健師。"
                "ネットとコールセンターの予約で待ち時間が短くなりました")
ALTS = {
    "02-1": "健診会場の受付に並ぶ市民と案内する保健師",
    "01-1": "商品券の見本",
    "03-2": "新しいセンターの玄関前で、紅白のテープを持って並ぶ6人の関係者",  # the sample's own
}
SECRETS = [OWNER.encode(), SERIAL.encode(), COMMENT, b"KohoCam", b"Exif\x00\x00"]


def with_photos(project: Path) -> dict[str, Path]:
    """The sample with more photos: a phone's portrait photo (GPS, owner, serial; stored on its
    side) with a long caption, a tiny one, and a decorative one. Returns the source files."""
    photos = project / "photos"
    sources = {
        "02-1": camera_jpeg(photos / "kenshin.jpg", (1800, 1200), orientation=6),
        "01-1": camera_jpeg(photos / "tiny.jpg", (120, 80)),
        "06-1": camera_jpeg(photos / "kazari.jpg", (1500, 1000), colour=(200, 80, 40)),
    }
    set_photo(project, "02-1", photo="photos/kenshin.jpg", photo_caption=LONG_CAPTION, photo_alt=ALTS["02-1"],
              photo_credit="撮影 健康保険課")
    set_photo(project, "01-1", photo="photos/tiny.jpg", photo_caption="商品券", photo_alt=ALTS["01-1"])
    set_photo(project, "06-1", photo="photos/kazari.jpg", photo_decorative="○")
    return {**sources, **{m.id: m.photo.path for m in load_project(project).measures if m.photo}}


@pytest.fixture(scope="module")
def photo_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path], dict[str, str], dict[str, BuildResult]]:
    """The project with photos built in every kind; the sources' hashes taken before."""
    project = copy_project(tmp_path_factory.mktemp("photos"))
    sources = with_photos(project)
    hashes = {key: hashlib.sha256(path.read_bytes()).hexdigest() for key, path in sources.items()}
    out = project.parent / "out"
    results = {kind: build(project, kind=kind, output=out / f"{kind}.pdf", html_output=out / f"{kind}.html")
               for kind in KINDS}
    return project, sources, hashes, results


def images(pdf: Path) -> list[dict]:
    """Every raster image drawn: its page, pixel size and placed size (pt), by pdfplumber."""
    with pdfplumber.open(pdf) as document:
        return [{"page": number, "pixels": tuple(int(v) for v in image["srcsize"]), "width": image["width"],
                 "x0": image["x0"], "x1": image["x1"], "top": image["top"], "bottom": image["bottom"]}
                for number, page in enumerate(document.pages) for image in page.images]


def photo_images(pdf: Path) -> list[dict]:
    """The photos among the images (the QR code is square and tiny)."""
    return [image for image in images(pdf) if image["pixels"][0] != image["pixels"][1]]


def every_byte(pdf: Path) -> bytes:
    """The file's bytes and every stream's, decompressed where it can be (JPEG kept as stored)."""
    parts = [pdf.read_bytes()]
    with pikepdf.open(pdf) as document:
        for obj in document.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    parts.append(obj.read_bytes())
                except pikepdf.PdfError:
                    parts.append(obj.read_raw_bytes())
                for raw in (obj.read_raw_bytes(),):
                    try:
                        parts.append(zlib.decompress(raw))
                    except zlib.error:
                        pass
    return b"".join(parts)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_embeds_its_photos_at_the_readers_resolution(photo_builds, kind: str) -> None:
    project, _, _, results = photo_builds
    placed = placements(results[kind].project, kind, em_mm=10 * 25.4 / 72)
    found = photo_images(results[kind].pdf)
    assert len(found) == len(placed) == 6  # the sample's three and the three added
    for image in found:
        ppi = image["pixels"][0] / (image["width"] / 72)
        assert ppi <= READER_PPI + 1  # downsampled to the reader's version, never more
    widths = sorted(round(p.width_mm * PT_PER_MM, 1) for p in placed.values())
    assert sorted(round(image["width"], 1) for image in found) == pytest.approx(widths, abs=0.6)
    # the tiny photo is printed as it is: never upscaled
    assert (120, 80) in [image["pixels"] for image in found]


def test_the_newsletter_sets_photos_beside_the_text_in_whole_ems(photo_builds) -> None:
    _, _, _, results = photo_builds
    result = results["newsletter"]
    em_mm = 10 * 25.4 / 72
    placed = placements(result.project, "newsletter", em_mm)
    assert placed["03-2"].width_mm == pytest.approx(NEWSLETTER_EMS.landscape * em_mm, abs=0.01)
    assert placed["02-1"].width_mm == pytest.approx(NEWSLETTER_EMS.portrait * em_mm, abs=0.01)  # upright
    assert placed["01-1"].width_mm == pytest.approx(NEWSLETTER_EMS.least * em_mm, abs=0.01)  # too few pixels
    with pdfplumber.open(result.pdf) as pdf:
        for number, page in enumerate(pdf.pages):
            chars = page.chars
            for image in [i for i in photo_images(result.pdf) if i["page"] == number]:
                # the text beside the photo ends an em before it, in the same column
                beside = [w for w in chars if w["top"] < image["bottom"] and w["bottom"] > image["top"]
                          and w["x1"] <= image["x0"] + 0.5 and w["x0"] > image["x0"] - 40 * PT_PER_MM]
                assert beside, f"no text beside the photo on page {number + 1}"
                lines: dict[int, float] = {}
                for char in beside:
                    lines[round(char["top"])] = max(lines.get(round(char["top"]), 0), char["x1"])
                gaps = sorted(image["x0"] - end for end in lines.values())
                # an em (10pt) between the lines and the photo; a line-end 、 set half width shows half
                assert gaps[0] >= 4.9 and gaps[len(gaps) // 2] == pytest.approx(10, abs=0.3), gaps


def test_a_long_caption_wraps_under_its_photo(photo_builds) -> None:
    _, _, _, results = photo_builds
    result = results["newsletter"]
    portrait = next(i for i in photo_images(result.pdf) if i["pixels"][1] > i["pixels"][0] and i["pixels"][0] > 150)
    with pdfplumber.open(result.pdf) as pdf:
        page = pdf.pages[portrait["page"]]
        column = [c for c in page.chars if c["top"] >= portrait["bottom"] and c["x1"] > portrait["x0"] - 60
                  and c["x0"] < portrait["x1"] + 1]
        chars = []
        for top in sorted({round(c["top"], 1) for c in column}):  # the lines under the photo, to the first wider one
            line = [c for c in column if round(c["top"], 1) == top]
            if any(c["x1"] > portrait["x0"] - 4 and c["x0"] < portrait["x0"] - 0.5 for c in line):
                break  # text across the gap beside the photo: the column's full width, under the float
            chars += [c for c in line if c["x0"] >= portrait["x0"] - 0.5]
        caption = "".join(c["text"] for c in chars)
    assert LONG_CAPTION[:12] in caption and LONG_CAPTION[-8:] in caption
    assert len({round(c["top"]) for c in chars}) >= 4  # several lines, each within the photo's width
    assert all(c["size"] == pytest.approx(7, abs=0.1) for c in chars)  # the smallest size, never less
    credit = [c for c in chars if c["top"] > max(c["top"] for c in chars) - 1]  # the last line: the credit
    assert "".join(c["text"] for c in credit).replace(" ", "") == "撮影健康保険課"
    assert max(c["x1"] for c in credit) == pytest.approx(portrait["x1"], abs=1)  # set flush right


def test_photos_are_figures_with_their_alt_text_or_artifacts(photo_builds) -> None:
    _, _, _, results = photo_builds
    for kind in KINDS:
        checked = Checked(results[kind].pdf)
        assert structure_problems(checked) == [], kind
        alts = [str(figure.obj.get("/Alt", "")) for figure in checked.elements("/Figure")]
        for measure, alt in ALTS.items():
            assert alts.count(alt) == 1, (kind, measure)
        # the decorative photo: drawn, inside an Artifact, in no Figure
        placed = placements(results[kind].project, kind, em_mm=10 * 25.4 / 72)["06-1"]
        drawn = [abs(m.points[1][0] - m.points[0][0]) for m in marks(checked) if m.operator == "Do" and m.artifact]
        assert any(abs(width - placed.width_mm * PT_PER_MM) < 0.6 for width in drawn), kind
        assert "" not in alts


def test_the_preflight_warns_at_the_cell_of_a_photo_under_200_ppi(photo_builds) -> None:
    project, _, _, results = photo_builds
    for kind in KINDS:
        warnings = [w for w in results[kind].warnings if w.column == "photo" and "解像度" in w.message]
        assert len(warnings) == 1, (kind, warnings)
        (warning,) = warnings
        assert warning.row == row_of(project, "01-1") and warning.file == "measures.csv"
        assert warning.value == "photos/tiny.jpg"
        assert f"{PRINT_PPI}ppi" in warning.message and "横120画素" in warning.message


def test_no_metadata_of_a_source_photo_reaches_any_output(photo_builds) -> None:
    project, sources, hashes, results = photo_builds
    for kind, result in results.items():
        outputs = [result.pdf, result.html]
        for path in outputs:
            data = every_byte(path) if path.suffix == ".pdf" else path.read_bytes()
            for secret in SECRETS:
                assert secret not in data, (kind, path.name, secret)
        # WeasyPrint read the processed photo, never the file itself
        with pikepdf.open(result.pdf) as pdf:
            embedded = [obj.read_raw_bytes() for obj in pdf.objects
                        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]
        assert not any(source.read_bytes() in embedded for source in sources.values())
    for key, path in sources.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == hashes[key]  # the sources never change


def test_orientation_is_honoured_in_the_pdf(photo_builds) -> None:
    """The phone's photo is stored on its side (orientation 6): printed upright, its marked
    corner (stored top left) at the top right."""
    _, _, _, results = photo_builds
    with pikepdf.open(results["archive"].pdf) as pdf:
        pictures = [pikepdf.PdfImage(obj).as_pil_image() for obj in pdf.objects
                    if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]
    upright = [p for p in pictures if p.height > p.width and p.getpixel((p.width - 3, 3))[2] < 100]
    assert len(upright) == 1
    picture = upright[0]
    assert picture.getpixel((3, 3))[2] > 150 and picture.getpixel((3, picture.height - 3))[2] > 150


def test_the_handout_leaves_photos_out_when_asked(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    with (project / "koho.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[handout]\nphotos = "none"\n')
    result = build(project, kind="handout", output=tmp_path / "h.pdf")
    assert photo_images(result.pdf) == []
    newsletter = build(project, output=tmp_path / "n.pdf")
    assert len(photo_images(newsletter.pdf)) == 3  # the setting is the handout's alone


def test_a_photo_is_placed_smaller_when_its_pixels_are_few(tmp_path: Path) -> None:
    """Between the preferred and the least size, a photo is printed as large as 200 ppi allows."""
    project = copy_project(tmp_path)
    Image.new("RGB", (200, 133), (90, 90, 200)).save(project / "photos" / "small.png")
    set_photo(project, "02-1", photo="photos/small.png", photo_alt="青い四角")
    placed = placements(load_project(project), "archive", 3.5)["02-1"]
    assert placed.width_mm == pytest.approx(40.0)  # the archive's least: 200 px are 25.4mm at 200 ppi
    Image.new("RGB", (520, 347), (90, 90, 200)).save(project / "photos" / "small.png")
    placed = placements(load_project(project), "archive", 3.5)["02-1"]
    assert placed.width_mm == pytest.approx(66.0)  # 520 px at 200 ppi: 66.04mm, in whole mm
    assert placed.ppi >= PRINT_PPI and placed.width_mm < 80
    assert 520 / (placed.width_mm / MM_PER_INCH) == pytest.approx(placed.ppi)


def test_a_photo_at_a_columns_foot_stays_on_its_page(tmp_path: Path) -> None:
    """A tall photo beside the last lines of a column: opening the column's short space (fill.py)
    counts the photo (a float) where it is drawn, so it never pushes the photo over the foot (which
    the build refuses as a cut picture)."""
    project = copy_project(tmp_path)
    Image.new("RGB", (1200, 1800), (90, 120, 200)).save(project / "photos" / "tall.jpg")
    set_photo(project, "06-2", photo="photos/tall.jpg", photo_alt="縦長の写真")
    result = build(project, output=tmp_path / "n.pdf")  # refused as cut, 4.4mm, before
    tall = [image for image in photo_images(result.pdf) if image["pixels"][0] < image["pixels"][1]]
    assert len(tall) == 2  # the sample's stall and this one
    with pdfplumber.open(result.pdf) as pdf:
        for image in tall:
            body = [c["bottom"] for c in pdf.pages[image["page"]].chars if c["size"] > 9]  # text, not the folio
            assert image["bottom"] <= max(body) + 3 * PT_PER_MM
