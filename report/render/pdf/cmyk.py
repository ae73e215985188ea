"""The printer's version in CMYK: every colour of the laid-out HTML (CSS, inline styles, the charts'
and the QR code's SVG, raster images) turned into `device-cmyk()` before WeasyPrint lays it out,
so that the PDF/X-4 has no DeviceRGB anywhere and black is K100 (C0 M0 Y0 K100), never
four-colour black.

- Black, white and greys: K only (text and thin rules stay sharp when the plates are off register).
- The CUD colours: their print values (CUD_CMYK below).
- Any other colour (a project's own area colours): through the printer's ICC profile with
  LittleCMS (Pillow's ImageCms), perceptual intent, from sRGB.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

# CUD 推奨配色セット ver.4, print (CMYK %) values for the screen colours of report.load.values.colors, as given
# for offset printing in カラーユニバーサルデザイン推奨配色セット ガイドブック 第2版 (CUD推奨配色
# セット制作委員会, 2018). Transcribed by hand: check against the printed guidebook before relying
# on a shade.
CUD_CMYK: dict[str, tuple[int, int, int, int]] = {
    "#FF4B00": (0, 80, 100, 0),    # 赤 red
    "#FFF100": (0, 0, 100, 0),     # 黄色 yellow
    "#03AF7A": (80, 0, 70, 0),     # 緑 green
    "#005AFF": (100, 50, 0, 0),    # 青 blue
    "#4DC4FF": (60, 0, 0, 0),      # 空色 sky
    "#FF8082": (0, 60, 40, 0),     # ピンク pink
    "#F6AA00": (0, 40, 100, 0),    # オレンジ orange
    "#990099": (50, 100, 0, 0),    # 紫 purple
    "#804000": (0, 60, 100, 50),   # 茶色 brown
    "#FFCABF": (0, 30, 20, 0),     # 明るいピンク light pink
    "#FFFF80": (0, 0, 60, 0),      # クリーム cream
    "#D8F255": (20, 0, 75, 0),     # 明るい黄緑 light yellow-green
    "#BFE4FF": (30, 5, 0, 0),      # 明るい空色 light sky
    "#FFCA80": (0, 25, 50, 0),     # ベージュ beige
    "#77D9A8": (50, 0, 45, 0),     # 明るい緑 light green
    "#C9ACE6": (25, 35, 0, 0),     # 明るい紫 light purple
}
NEUTRAL_SPREAD = 4  # channels this close together are a grey: printed with K only
CUD_GREYS = ("#C8C8CB", "#84919E")  # 明るいグレー, グレー: neutrals of the set, printed with K only too
NAMED = {"black": "#000000", "white": "#FFFFFF"}

_HEX = r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?![\w-])"
_HEX_RE = re.compile(rf"{_HEX}(?!\s*\{{)")  # never an id selector such as `#abc {{`
_NAMED_RE = re.compile(r"([:=]\s*[\"']?)(black|white)(?=[\s;,)!}\"'])", re.IGNORECASE)  # a value, not a word
_STYLE_BLOCK_RE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.DOTALL | re.IGNORECASE)
_STYLE_ATTR_RE = re.compile(r"(\sstyle=\")([^\"]*)(\")")


def _hex6(value: str) -> str:
    value = NAMED.get(value.lower(), value)
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits.upper()


@lru_cache(maxsize=4)
def _transform(profile: Path):  # noqa: ANN202 - PIL.ImageCms transform
    from PIL import ImageCms

    return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(profile)),
                                   "RGB", "CMYK", renderingIntent=ImageCms.Intent.PERCEPTUAL)


def cmyk_of(colour: str, profile: Path) -> tuple[float, float, float, float]:
    """A '#RRGGBB' (or black/white) screen colour as C, M, Y, K fractions for print."""
    value = _hex6(colour)
    if value in CUD_CMYK:
        return tuple(part / 100 for part in CUD_CMYK[value])  # type: ignore[return-value]
    channels = [int(value[i:i + 2], 16) for i in (1, 3, 5)]
    if max(channels) - min(channels) <= NEUTRAL_SPREAD or value in CUD_GREYS:
        return 0.0, 0.0, 0.0, round(1 - sum(channels) / 3 / 255, 3)
    from PIL import Image

    from PIL import ImageCms

    from report.problems import DataError, Problem

    pixel = Image.new("RGB", (1, 1), tuple(channels))
    try:
        converted = _transform(profile).apply(pixel).getpixel((0, 0))
    except (ImageCms.PyCMSError, OSError) as error:
        raise DataError([Problem(profile.name, "このICCプロファイルではRGBの色をCMYKに変換できません(印刷用の出力プロファイルを指定してください)",
                                 column="print.icc_profile", value=str(error))]) from None
    return tuple(round(part / 255, 3) for part in converted)  # type: ignore[return-value]


def css_cmyk(colour: str, profile: Path) -> str:
    return "device-cmyk({:g} {:g} {:g} {:g})".format(*cmyk_of(colour, profile))


def _colours(text: str, profile: Path) -> str:
    text = _HEX_RE.sub(lambda m: css_cmyk(m.group(0), profile), text)
    return _NAMED_RE.sub(lambda m: m.group(1) + css_cmyk(m.group(2), profile), text)


def cmyk_svg(svg: str, profile: Path) -> str:
    """An SVG with every colour in CMYK, its initial fill (black) K100."""
    svg = _colours(svg, profile)
    return re.sub(r"<svg\b", f'<svg fill="{css_cmyk("#000000", profile)}"', svg, count=1)


def cmyk_image(data: bytes, profile: Path) -> bytes:
    """A raster image converted through the printer's profile from its own (sRGB when it has
    none), as a CMYK JPEG (quality 95): report.photos.print."""
    from PIL import Image

    from report.photos.encoding import jpeg_bytes
    from report.photos.print import print_cmyk

    image = Image.open(io.BytesIO(data))
    if image.mode == "CMYK":
        return data
    return jpeg_bytes(print_cmyk(image, profile), quality=95)


def print_css(css: str, profile: Path) -> str:
    """A stylesheet with every colour in CMYK for the printer's profile."""
    return _colours(css, profile)


def print_html(html: str, profile: Path) -> str:
    """The document's CSS (style elements and attributes) in CMYK for the printer's profile, black
    text K100. Images, data: URIs included, are converted as they are fetched (print_response)."""
    html = _STYLE_BLOCK_RE.sub(lambda m: m.group(1) + _colours(m.group(2), profile) + m.group(3), html)
    html = _STYLE_ATTR_RE.sub(lambda m: m.group(1) + _colours(m.group(2), profile) + m.group(3), html)
    # Text with no colour of its own is the initial colour, black: K100 too.
    return html.replace("<style", "<style>:root { color: device-cmyk(0 0 0 1); }</style>\n<style", 1)


RASTER_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def print_response(response, profile: Path):  # noqa: ANN001, ANN201 - weasyprint URLFetcherResponse
    """A fetched image in CMYK: raster images through the profile, SVG with CMYK colours."""
    from weasyprint.urls import URLFetcherResponse

    class Converted(URLFetcherResponse):
        path = None  # WeasyPrint would read the original file again from a file: URL's path

    if response.content_type in RASTER_TYPES:
        return Converted(response.url, cmyk_image(response.read(), profile), {"Content-Type": "image/jpeg"})
    if response.content_type == "image/svg+xml":
        svg = cmyk_svg(response.read().decode("utf-8"), profile)
        return Converted(response.url, svg.encode("utf-8"), {"Content-Type": "image/svg+xml"})
    return response
