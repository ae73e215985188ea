"""Photos in the printer's version: converted from their own ICC profile (sRGB when none) to the
printer's CMYK, as CMYK JPEGs that viewers show uninverted; and the camera photos the photo tests
use are as big as a camera's."""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops, ImageCms

from report.commands.build import BuildResult, build
from report.photos.encoding import jpeg_bytes
from report.photos.print import PRINT_PPI, print_cmyk

from .camera_photos import CAMERA_SIZE, camera_jpeg, photographed_project, secret_byte_strings
from .conftest import with_profile
from .test_structure import CMYK_PROFILE

ADOBE_RGB = Path("/usr/share/color/icc/ghostscript/a98.icc")  # Debian libgs-common, like CMYK_PROFILE
SWATCHES = {"red": (220, 40, 40), "green": (30, 160, 60), "blue": (40, 70, 200), "white": (255, 255, 255)}


@pytest.fixture(scope="module")
def printer() -> Path:
    if not CMYK_PROFILE.is_file() or not ADOBE_RGB.is_file():
        pytest.skip(f"no ICC profiles in {CMYK_PROFILE.parent} (scripts/ensure-icc installs libgs-common)")
    return CMYK_PROFILE


def swatches(size: int = 64) -> Image.Image:
    """Four colours side by side, `size` px square each."""
    image = Image.new("RGB", (size * len(SWATCHES), size))
    for index, colour in enumerate(SWATCHES.values()):
        image.paste(colour, (index * size, 0, (index + 1) * size, size))
    return image


def differences(first: Image.Image, second: Image.Image) -> list[int]:
    """The largest difference of each channel between two images of one size and mode."""
    return [high for _, high in ImageChops.difference(first, second).getextrema()]


def test_camera_photos_weigh_what_a_cameras_do() -> None:
    sizes = [len(camera_jpeg(seed)) for seed in range(1, 5)]
    assert all(3_000_000 <= size <= 8_000_000 for size in sizes), sizes
    assert len(set(sizes)) == 4  # four different photos
    assert Image.open(io.BytesIO(camera_jpeg(1))).size == CAMERA_SIZE
    assert camera_jpeg(2, (400, 300)) == camera_jpeg(2, (400, 300))  # deterministic


def test_a_photos_own_profile_decides_its_print_colours(printer: Path) -> None:
    original = swatches()
    adobe = ImageCms.profileToProfile(original, ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(ADOBE_RGB)),
                                      outputMode="RGB")
    assert max(differences(adobe, original)) > 20  # the same colours, other numbers
    adobe.info["icc_profile"] = ADOBE_RGB.read_bytes()
    as_srgb = print_cmyk(original, printer)
    assert as_srgb.mode == "CMYK"
    assert max(differences(print_cmyk(adobe, printer), as_srgb)) <= 4  # the profile read: the same inks
    adobe.info.clear()
    assert max(differences(print_cmyk(adobe, printer), as_srgb)) > 20  # the numbers alone are other colours


def test_no_profile_or_a_broken_one_is_srgb(printer: Path) -> None:
    original = swatches()
    expected = print_cmyk(original, printer)
    tagged = original.copy()
    tagged.info["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    assert differences(print_cmyk(tagged, printer), expected) == [0, 0, 0, 0]
    broken = original.copy()
    broken.info["icc_profile"] = b"not a profile" * 20
    assert differences(print_cmyk(broken, printer), expected) == [0, 0, 0, 0]
    assert print_cmyk(original, printer).getpixel((3 * 64 + 5, 5)) == (0, 0, 0, 0)  # white paper: no ink


def test_transparency_prints_on_white_paper_and_greys_convert(printer: Path) -> None:
    clear = Image.new("RGBA", (8, 8), (255, 0, 0, 0))
    assert print_cmyk(clear, printer).getpixel((4, 4)) == (0, 0, 0, 0)
    grey = print_cmyk(Image.new("L", (8, 8), 128), printer)
    assert grey.mode == "CMYK" and grey.getpixel((4, 4))[3] > 0
    ready = Image.new("CMYK", (8, 8), (10, 20, 30, 40))
    assert print_cmyk(ready, printer).getpixel((0, 0)) == (10, 20, 30, 40)  # already the printer's inks


def test_converted_colours_survive_the_jpeg(printer: Path) -> None:
    converted = print_cmyk(swatches(), printer)
    data = jpeg_bytes(converted)
    assert b"Adobe" in data[:200]  # the APP14 marker WeasyPrint reads to undo Adobe's inverted channels
    decoded = Image.open(io.BytesIO(data))
    assert decoded.mode == "CMYK" and "exif" not in decoded.info and "icc_profile" not in decoded.info
    inner = [(index * 64 + 32, 32) for index in range(len(SWATCHES))]
    for point in inner:
        assert all(abs(a - b) <= 6 for a, b in zip(decoded.getpixel(point), converted.getpixel(point), strict=True))


def test_print_pdf_photo_is_cmyk_and_shows_its_colours(tmp_path: Path, printer: Path) -> None:
    """Through the print layout (every image fetched is converted): the image is DeviceCMYK and
    viewers (poppler, as in Evince and Okular; PDFium, as in Chrome and Edge) show red as red and
    white as white, not their inverse."""
    from report.render.pdf.pdf import layout

    original = swatches()
    original.save(tmp_path / "photo.png")
    html = ('<html><body style="margin:0"><img src="photo.png" style="width:160mm;display:block"></body></html>')
    document, _ = layout(html, tmp_path, css="@page { size: 200mm 100mm; margin: 10mm }", cmyk_profile=printer)
    document.write_pdf(tmp_path / "out.pdf")
    with pikepdf.open(tmp_path / "out.pdf") as pdf:
        images = [image for page in pdf.pages for image in page.get_images().values()]
        assert [str(image.ColorSpace) for image in images] == ["/DeviceCMYK"]
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", str(tmp_path / "out.pdf"), str(tmp_path / "page")],
                   check=True)
    import pypdfium2

    pages = {"poppler": Image.open(tmp_path / "page.png").convert("RGB"),
             "pdfium": pypdfium2.PdfDocument(tmp_path / "out.pdf")[0].render(scale=1).to_pil().convert("RGB")}
    left, top, width = 10 / 25.4 * 72, 10 / 25.4 * 72, 160 / 25.4 * 72
    for viewer, page in pages.items():
        shown = {name: page.getpixel((round(left + width * (index + 0.5) / len(SWATCHES)), round(top + 10)))
                 for index, name in enumerate(SWATCHES)}
        red, green, blue = shown["red"], shown["green"], shown["blue"]
        assert red[0] > 150 and red[0] > red[1] + 60 and red[0] > red[2] + 60, (viewer, shown)
        assert green[1] > green[0] + 30 and green[1] > green[2] + 20, (viewer, shown)
        assert blue[2] > blue[0] + 60 and blue[2] > blue[1] + 30, (viewer, shown)
        assert min(shown["white"]) > 240, (viewer, shown)


# --- the newsletter of a project with four camera photos, the first carrying GPS, serial and owner ---

NEWSLETTER_BUDGET = 2_000_000  # bytes: a newsletter with four 12-megapixel photos is sent by e-mail


@dataclass(frozen=True)
class ListedImage:
    """One line of `pdfimages -list`: an image as placed on a page."""

    page: int
    width: int
    height: int
    colour: str
    x_ppi: int
    y_ppi: int


def listed_images(pdf: Path) -> list[ListedImage]:
    """Every image placed in the PDF, as poppler's pdfimages lists it (its ppi at the placed size)."""
    lines = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in lines.splitlines()[2:] if line.strip()]
    return [ListedImage(int(r[0]), int(r[3]), int(r[4]), r[5], int(r[12]), int(r[13])) for r in rows if r[2] == "image"]


@pytest.fixture(scope="module")
def camera_builds(tmp_path_factory: pytest.TempPathFactory, printer: Path) -> dict[str, BuildResult]:
    """The newsletter for readers and for the printer (with a CMYK profile) of one project."""
    folder = tmp_path_factory.mktemp("camera-print")
    project = photographed_project(folder, count=4, secrets=True)
    with_profile(project, printer.read_bytes())
    return {"reader": build(project, output=folder / "reader.pdf", print_ready=False),
            "print": build(project, output=folder / "print.pdf", print_ready=True)}


def test_print_photos_are_cmyk_at_no_more_than_350_ppi(camera_builds: dict[str, BuildResult]) -> None:
    images = listed_images(camera_builds["print"].pdf)
    assert len(images) == 4, images  # the four photos (charts are vector drawings)
    assert all(image.colour == "cmyk" for image in images), images
    assert all(300 <= min(image.x_ppi, image.y_ppi) and max(image.x_ppi, image.y_ppi) <= PRINT_PPI + 1
               for image in images), images  # 12 MP is far more: downsampled to the ceiling
    with pikepdf.open(camera_builds["print"].pdf) as pdf:
        spaces = {str(obj.get("/ColorSpace")) for obj in pdf.objects
                  if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"}
        assert spaces == {"/DeviceCMYK"}, spaces  # no DeviceRGB image left
    print(f"print: {[(i.width, i.height, i.x_ppi) for i in images]}")


def test_reader_photos_are_150_to_200_ppi_and_the_newsletter_stays_small(camera_builds: dict[str, BuildResult]) -> None:
    result = camera_builds["reader"]
    images = listed_images(result.pdf)
    assert len(images) == 4 and all(image.colour == "rgb" for image in images), images
    assert all(150 <= min(image.x_ppi, image.y_ppi) and max(image.x_ppi, image.y_ppi) <= 201 for image in images), images
    size = result.pdf.stat().st_size
    assert size < NEWSLETTER_BUDGET, size
    print(f"reader newsletter: {size} bytes; print: {camera_builds['print'].pdf.stat().st_size} bytes")


def test_no_metadata_of_a_photo_reaches_either_pdf(camera_builds: dict[str, BuildResult], chart_cache: Path) -> None:
    source = camera_builds["print"].project.files.root / "photos" / "camera1.jpg"
    before = source.read_bytes()
    assert all(secret in before for secret in secret_byte_strings()[:-2])  # it does carry them
    for result in camera_builds.values():
        data = result.pdf.read_bytes()
        with pikepdf.open(result.pdf) as pdf:  # inside compressed streams too
            streams = [obj.read_raw_bytes() if obj.get("/Filter") == "/DCTDecode" else obj.read_bytes()
                       for obj in pdf.objects if isinstance(obj, pikepdf.Stream)]
        for blob in (data, *streams):
            assert not [secret for secret in secret_byte_strings() if secret in blob]
    for path in chart_cache.rglob("*"):
        if path.is_file():
            assert not [secret for secret in secret_byte_strings() if secret in path.read_bytes()], path
    assert source.read_bytes() == before  # the source is only read
