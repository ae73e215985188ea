"""Photos as data: the measures table's photo columns read into the model, every bad photo an
error naming its cell (missing, outside the project, unreadable, not JPEG/PNG/WebP, HEIC with how
to convert it), an alt-less photo a warning, and the picture koho prints upright, cut where asked
and stripped of its metadata. The failure cases join tests/test_no_traceback.py's set (CASES)."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from report.load.project.config import load_config
from report.load.tables.schema import MEASURES
from report.load.validate import load_project
from report.load.values.photo_cells import read_focus
from report.photos.encoding import JPEG_QUALITY, in_srgb, jpeg_bytes, resampled
from report.photos.source import CROP_ASPECT, effective_ppi, open_photo
from report.problems import DataError

from .conftest import copy_project
from .test_inputs import read_rows, write_rows

GPS_LATITUDE = (31.0, 36.0, 12.345)  # 日置市 — what a phone writes, and what must never be printed
OWNER = "Hanako Yamada-owner"
SERIAL = "SN-0042-CAMERA-77"
COMMENT = b"private-comment-xyz"


def camera_jpeg(path: Path, size: tuple[int, int] = (1800, 1200), orientation: int = 1,
                colour: tuple[int, int, int] = (40, 120, 200)) -> Path:
    """A JPEG as a phone writes it: GPS position, the owner's name, the camera's serial number,
    an orientation tag, a comment, and an sRGB profile; a bright square marks its top left."""
    image = Image.new("RGB", size, colour)
    image.paste((250, 240, 20), (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    exif[0x010F] = "KohoCam"  # Make
    exif[0x0112] = orientation
    exif[0x013B] = OWNER  # Artist
    exif[0x8298] = OWNER  # Copyright
    exif.get_ifd(0x8769)[0xA431] = SERIAL  # BodySerialNumber
    exif.get_ifd(0x8769)[0xA430] = OWNER  # CameraOwnerName
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", GPS_LATITUDE, "E", (130.0, 20.0, 54.321)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(path, "JPEG", exif=exif, comment=COMMENT, icc_profile=srgb, quality=90)
    return path


def set_photo(project: Path, measure: str, **cells: str) -> None:
    """Write photo cells (by column name: photo, photo_alt, …) into one row of measures.csv,
    adding the columns the file does not have yet."""
    rows = read_rows(project / "measures.csv")
    header = rows[0]
    for name, value in cells.items():
        label = MEASURES.column(name).label
        if label not in header:
            header.append(label)
            for row in rows[1:]:
                row.append("")
        row = next(r for r in rows[1:] if r[0] == measure)
        row[header.index(label)] = value
    write_rows(project / "measures.csv", rows, "utf-8")


def without_photos(project: Path) -> Path:
    """The project with no photo columns in measures.csv: the sample as its article printed it."""
    labels = {column.label for column in MEASURES.columns if column.name.startswith("photo")}
    rows = read_rows(project / "measures.csv")
    keep = [index for index, label in enumerate(rows[0]) if label not in labels]
    write_rows(project / "measures.csv", [[row[i] for i in keep] for row in rows], "utf-8")
    return project


def row_of(project: Path, measure: str) -> int:
    """The spreadsheet row number of a measure in measures.csv."""
    return next(number for number, row in enumerate(read_rows(project / "measures.csv"), start=1) if row[0] == measure)


def problems_of(project: Path) -> list:
    with pytest.raises(DataError) as raised:
        load_project(project)
    return raised.value.problems


def _with_photo(data: bytes | None = None, name: str = "photos/a.jpg", typed: str | None = None,
                prepare: Callable[[Path], object] | None = None) -> Callable[[Path], None]:
    """A breaker: the sample's measure 02-1 given the photo `typed` (default `name`), the file
    `name` holding `data` when given."""
    def breaker(project: Path) -> None:
        if data is not None:
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            (project / name).write_bytes(data)
        if prepare is not None:
            prepare(project)
        set_photo(project, "02-1", photo=typed or name, photo_alt="健診会場の受付")
    return breaker


def _heic_bytes() -> bytes:
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(200)


def _gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (40, 30)).save(buffer, "GIF")
    return buffer.getvalue()


def _huge_png(width: int = 20000, height: int = 20000) -> bytes:
    """A PNG whose header says 20000×20000 (400 megapixels): Pillow refuses it on opening, as a
    decompression bomb, before any pixel is read, so the test needs no memory for it."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


def _animated_webp() -> bytes:
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (60, 40), colour) for colour in ("red", "blue")]
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:], duration=200)
    return buffer.getvalue()


def _truncated_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()[:3000]


def _link_out(project: Path) -> None:
    outside = project.parent / "elsewhere.jpg"
    camera_jpeg(outside, (300, 200))
    (project / "photos").mkdir(exist_ok=True)
    (project / "photos" / "link.jpg").symlink_to(outside)


# Each case: a name, what breaks the sample project, the fragments the message must hold.
CASES: list[tuple[str, Callable[[Path], object], list[str]]] = [
    ("photo: missing file", _with_photo(typed="photos/nothere.jpg"),
     ["measures.csv", "列「写真」(photo)", "写真のファイルがありません"]),
    ("photo: parent folder", _with_photo(typed="../outside.jpg"),
     ["列「写真」(photo)", "プロジェクトのフォルダの外のファイルは使えません"]),
    ("photo: absolute path", _with_photo(typed="/etc/hostname"),
     ["列「写真」(photo)", "プロジェクトのフォルダの外のファイルは使えません"]),
    ("photo: a web address", _with_photo(typed="https://www.city.example.jp/photos/a.jpg"),
     ["列「写真」(photo)", "URL は使えません"]),
    ("photo: windows drive", _with_photo(typed="C:\\Users\\hanako\\a.jpg"),
     ["列「写真」(photo)", "プロジェクトのフォルダの外のファイルは使えません"]),
    ("photo: symbolic link out", _with_photo(typed="photos/link.jpg", prepare=_link_out),
     ["列「写真」(photo)", "シンボリックリンクを通って"]),
    ("photo: not an image", _with_photo(b"this is a text file, not a photo\n" * 20),
     ["列「写真」(photo)", "画像として読めません"]),
    ("photo: cut-off JPEG", _with_photo(_truncated_jpeg()),
     ["列「写真」(photo)", "画像として読めません"]),
    ("photo: 400 megapixels", _with_photo(_huge_png(), "photos/huge.png"),
     ["列「写真」(photo)", "画像が大きすぎます"]),
    ("photo: animated WebP", _with_photo(_animated_webp(), "photos/anime.webp"),
     ["列「写真」(photo)", "動く画像"]),
    ("photo: GIF", _with_photo(_gif_bytes(), "photos/a.gif"),
     ["列「写真」(photo)", "GIF形式の画像は使えません"]),
    ("photo: HEIC from an iPhone", _with_photo(_heic_bytes(), "photos/IMG_0001.HEIC"),
     ["列「写真」(photo)", "HEIC形式", "互換性優先", "JPEG に書き出す"]),
    ("photo: a folder", _with_photo(typed="photos", prepare=lambda p: (p / "photos").mkdir(exist_ok=True)),
     ["列「写真」(photo)", "フォルダです"]),
    ("photo: focus point", lambda p: set_photo(p, "02-1", photo_crop="ななめ"),
     ["列「トリミング」(photo_crop)", "中央"]),
    ("photo: decorative word", lambda p: set_photo(p, "02-1", photo_decorative="たぶん"),
     ["列「装飾」(photo_decorative)", "○"]),
]


@pytest.mark.parametrize("name, breaker, fragments", CASES, ids=[case[0] for case in CASES])
def test_a_bad_photo_is_an_error_naming_its_cell(tmp_path: Path, name: str, breaker: Callable[[Path], object],
                                                 fragments: list[str]) -> None:
    import weasyprint  # noqa: F401 - as in a warm process: it tells Pillow to accept cut-off images

    project = copy_project(tmp_path)
    breaker(project)
    errors = [p for p in problems_of(project) if p.severity == "error"]
    assert len(errors) == 1, errors
    said = str(errors[0])
    assert f"{row_of(project, '02-1')}行目" in said
    for fragment in fragments:
        assert fragment in said, said


def test_a_photo_is_read_into_its_measure(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "photos").mkdir(exist_ok=True)
    source = camera_jpeg(project / "photos" / "kenshin.jpg", (1800, 1200), orientation=6)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    set_photo(project, "02-1", photo="photos\\kenshin.jpg", photo_caption="土曜日の健診会場",
              photo_alt="受付に並ぶ市民", photo_credit="撮影 健康保険課", photo_crop="上")
    measure = next(m for m in load_project(project).measures if m.id == "02-1")
    photo = measure.photo
    assert photo is not None and photo.path == source.resolve()
    assert (photo.caption, photo.alt, photo.credit, photo.decorative) == ("土曜日の健診会場", "受付に並ぶ市民", "撮影 健康保険課", False)
    assert photo.crop == (0.5, 0.0)
    # orientation 6 stands the 1800×1200 picture up (1200×1800); 上 cuts it to 3:2 from the top
    assert photo.pixels == (1200, 800)
    assert photo.source.row == row_of(project, "02-1")
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before  # the source is only read
    assert next(m for m in load_project(project).measures if m.id == "02-2").photo is None  # no 写真 cell


def test_a_photo_without_alt_text_is_a_warning_at_its_cell(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "photos").mkdir(exist_ok=True)
    camera_jpeg(project / "photos" / "a.jpg")
    set_photo(project, "02-1", photo="photos/a.jpg", photo_alt="")
    warnings = [p for p in load_project(project).warnings if p.column == "photo_alt"]
    assert len(warnings) == 1 and warnings[0].severity == "warning"
    assert f"{row_of(project, '02-1')}行目" in str(warnings[0]) and "代替テキスト" in warnings[0].message
    set_photo(project, "02-1", photo_decorative="○")
    loaded = load_project(project)
    assert not [p for p in loaded.warnings if p.column == "photo_alt"]
    assert next(m for m in loaded.measures if m.id == "02-1").photo.decorative


def test_photo_text_without_a_photo_is_a_warning(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    set_photo(project, "02-1", photo="", photo_caption="写真の説明だけ")
    warnings = [p for p in load_project(project).warnings if p.column == "photo_caption"]
    assert len(warnings) == 1 and "写真の列が空欄" in warnings[0].message


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_read(tmp_path: Path, fmt: str) -> None:
    project = copy_project(tmp_path)
    (project / "photos").mkdir(exist_ok=True)
    Image.new("RGBA", (640, 480), (10, 200, 30, 128)).save(project / "photos" / f"a.{fmt.lower()}", fmt)
    set_photo(project, "02-1", photo=f"photos/a.{fmt.lower()}", photo_alt="緑の四角")
    assert next(m for m in load_project(project).measures if m.id == "02-1").photo.pixels == (640, 480)


@pytest.mark.parametrize("typed, point", [("中央", (0.5, 0.5)), ("右下", (1.0, 1.0)), ("50%,30%", (0.5, 0.3)),
                                          ("２０％、８０％", (0.2, 0.8)), ("0,100", (0.0, 1.0))])
def test_focus_points(typed: str, point: tuple[float, float]) -> None:
    assert read_focus(typed) == point


@pytest.mark.parametrize("typed", ["150%,20%", "真上", "50%"])
def test_bad_focus_points(typed: str) -> None:
    with pytest.raises(ValueError, match="トリミング"):
        read_focus(typed)


def test_open_photo_is_upright_cut_and_without_metadata(tmp_path: Path) -> None:
    path = camera_jpeg(tmp_path / "a.jpg", (1800, 1200), orientation=6)
    before = path.read_bytes()
    image = open_photo(path)
    assert image.size == (1200, 1800)
    # orientation 6: the stored top left (the bright square) is shown at the top right
    assert image.getpixel((1150, 50))[2] < 100 and image.getpixel((50, 50))[2] > 150
    assert set(image.info) == {"icc_profile"} and not image.getexif()
    cut = open_photo(path, crop=(0.5, 1.0))
    assert cut.size == (1200, 800) and cut.width / cut.height == CROP_ASPECT
    wide = open_photo(camera_jpeg(tmp_path / "wide.jpg", (3000, 1000)), crop=(0.0, 0.5))
    assert wide.size == (1500, 1000) and wide.getpixel((10, 10))[2] < 100  # the left end kept
    assert path.read_bytes() == before


def test_encoded_photo_carries_no_metadata(tmp_path: Path) -> None:
    image = open_photo(camera_jpeg(tmp_path / "a.jpg", (2400, 1600)))
    smaller = resampled(image, placed_width_mm=80, ppi=200)
    assert smaller.width == round(80 / 25.4 * 200)
    assert resampled(image, placed_width_mm=500, ppi=200).size == image.size  # never upscaled
    data = jpeg_bytes(in_srgb(smaller))
    for secret in (OWNER.encode(), SERIAL.encode(), COMMENT, b"GPS", b"Exif", b"KohoCam", b"http://ns.adobe.com"):
        assert secret not in data
    assert Image.open(io.BytesIO(data)).size == smaller.size
    assert 0 < JPEG_QUALITY <= 95
    assert effective_ppi(1600, 203.2) == pytest.approx(200)


ADOBE_RGB = Path("/usr/share/color/icc/ghostscript/a98.icc")  # Debian's ghostscript ships it


@pytest.mark.skipif(not ADOBE_RGB.is_file(), reason="no Adobe RGB profile on this system")
def test_in_srgb_converts_from_the_photos_own_profile() -> None:
    """An Adobe RGB photo's numbers mean more saturated colours than sRGB's: they are converted."""
    photo = Image.new("RGB", (10, 10), (60, 170, 80))
    photo.info["icc_profile"] = ADOBE_RGB.read_bytes()
    converted = in_srgb(photo)
    assert converted.mode == "RGB" and "icc_profile" not in converted.info
    red, green, blue = converted.getpixel((0, 0))
    assert green == pytest.approx(170, abs=6) and red < 40  # a greener green, as Adobe RGB meant it
    assert in_srgb(Image.new("RGB", (2, 2), (60, 170, 80))).getpixel((0, 0)) == (60, 170, 80)  # sRGB as it is
    flat = in_srgb(Image.new("RGBA", (4, 4), (0, 0, 0, 0)))
    assert flat.getpixel((0, 0)) == (255, 255, 255)  # transparency on white paper


def test_the_init_workbook_has_the_photo_columns_with_hints(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from report.commands.init import create_project

    create_project(tmp_path / "new")
    sheet = load_workbook(tmp_path / "new" / "data" / "manifesto.xlsx")["施策"]
    headers = [cell.value for cell in sheet[1]]
    for label in ("写真", "写真説明", "代替テキスト", "撮影・提供", "装飾", "トリミング"):
        assert label in headers
    prompts = {v.promptTitle: v.prompt for v in sheet.data_validations.dataValidation}
    assert "photos/" in prompts["写真"] and "HEIC" in prompts["写真"]
    assert "中央" in prompts["トリミング"] and "○" in prompts["装飾"]
    load_project(tmp_path / "new")  # the example row, photo cells empty, still loads


def test_handout_photos_setting_is_checked(tmp_path: Path) -> None:
    toml = tmp_path / "koho.toml"
    toml.write_text('[handout]\nmeeting = "総務委員会"\nphotos = "large"\n', encoding="utf-8")
    with pytest.raises(DataError) as raised:
        load_config(toml)
    (problem,) = raised.value.problems
    assert problem.row == 3 and problem.column == "handout.photos" and "thumbnail" in problem.message
    toml.write_text('[handout]\nphotos = "none"\n', encoding="utf-8")
    assert load_config(toml)[0].handout.photos == "none"
    assert load_config(None)[0].handout.photos == "thumbnail"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_photo_is_named(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "photos").mkdir(exist_ok=True)
    path = camera_jpeg(project / "photos" / "a.jpg")
    path.chmod(0)
    set_photo(project, "02-1", photo="photos/a.jpg", photo_alt="x")
    assert any("写真のファイルを読めません" in p.message for p in problems_of(project))


def test_the_fetcher_serves_a_photo_processed_and_only_inside_the_project(tmp_path: Path) -> None:
    """The URL a template gives a photo carries its placed width and focus point; koho's fetcher
    answers it with the processed picture (cut, at most 200 ppi, no metadata, no file path for
    WeasyPrint to read again), and refuses it outside the project like any other file."""
    from report.photos.fetch import placed_size
    from report.photos.urls import photo_url
    from report.render.typeset.fetcher import ProjectURLFetcher, RefusedURL

    project = tmp_path / "project"
    project.mkdir()
    source = camera_jpeg(project / "a.jpg", (3000, 1000))
    url = photo_url(source, 40.0, (0.0, 0.5))
    assert placed_size(url) == (40.0, (0.0, 0.5)) and placed_size(source.as_uri()) is None
    response = ProjectURLFetcher([project]).fetch(url)
    assert response.path is None and response.content_type == "image/jpeg"
    data = response.read()
    picture = Image.open(io.BytesIO(data))
    assert picture.size == (round(40 / 25.4 * 200), round(40 / 25.4 * 200 / CROP_ASPECT))  # cut to 3:2, 200 ppi
    assert picture.getpixel((3, 3))[2] < 100  # the left end kept: the bright corner
    assert OWNER.encode() not in data and b"Exif" not in data
    outside = camera_jpeg(tmp_path / "outside.jpg", (300, 200))
    with pytest.raises(RefusedURL):
        ProjectURLFetcher([project]).fetch(photo_url(outside, 40.0, None))


def test_a_changed_photo_rebuilds_the_preview(tmp_path: Path) -> None:
    """koho serve watches photos/, where the 写真 column's files usually are."""
    from report.commands.watch import is_input

    assert is_input(tmp_path, tmp_path / "photos" / "hibinoba.jpg")
    assert is_input(tmp_path, tmp_path / "photos" / "2024" / "a.jpg")
    assert not is_input(tmp_path, tmp_path / "photos" / ".DS_Store")


def test_a_sixteen_bit_grey_photo_keeps_its_greys(tmp_path: Path) -> None:
    """A scanner's 16-bit greyscale PNG (Pillow's mode I;16): a 0–65535 ramp prints as a 0–255
    ramp, not clipped to white by Pillow's own conversion."""
    import numpy

    ramp = numpy.tile(numpy.linspace(0, 65535, 400), (300, 1)).astype(numpy.uint16)
    Image.fromarray(ramp).save(tmp_path / "scan.png")
    shown = numpy.asarray(in_srgb(open_photo(tmp_path / "scan.png")))
    assert 120 < shown.mean() < 135
    assert shown[:, 0].max() < 5 and shown[:, -1].min() > 250


def test_a_photo_over_pillow_s_own_limit_prints_no_python_warning(tmp_path: Path) -> None:
    """9500×9500 (90 megapixels): over Pillow's warning limit, under koho's; no
    DecompressionBombWarning reaches the console (here: raised as an error if it were given)."""
    import warnings

    project = copy_project(tmp_path)
    _with_photo(_huge_png(9500, 9500), "photos/big.png")(project)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:  # its pixels are not there (only the header is): whether that is said is another test's
            load_project(project)
        except DataError as error:
            assert all("大きすぎます" not in str(p) for p in error.problems)
