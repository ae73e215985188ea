"""Hostile input: markup in cells prints literally; rendering reads nothing outside the project and
koho's assets, fetches nothing from the network and follows no redirect."""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.request import HTTPRedirectHandler

import pytest
from pypdf import PdfReader

from report.assets import STYLES_DIR, TEMPLATES_DIR
from report.commands.build import build
from report.render.typeset.fetcher import ProjectURLFetcher, RefusedURL
from report.problems import DataError

from .composition import without_composition
from .conftest import copy_project, pdf_text
from .test_inputs import read_rows, write_rows

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=file:///etc/passwd>",
    "{{ config }}",
    "{{ 7*7 }}",
    '{% include "base.html" %}',
    "</p><style>*{display:none}</style>",
    "<link rel=attachment href=file:///etc/passwd>",
    "url(file:///etc/passwd)",
    "@import url(http://127.0.0.1:9/x.css);",
    "&lt;b&gt;&amp;",
    "<!-- hidden -->",
    "<svg onload=alert(1)><image href='file:///etc/passwd'/></svg>",
    "{# comment #}",
    "]]><![CDATA[",
]

# (file, row index below the header, column header): every printed text cell of the sample
CELLS = [
    ("areas.csv", 0, "分野名"), ("areas.csv", 1, "副題"), ("measures.csv", 0, "ビジョン内容"),
    ("measures.csv", 1, "取組内容"), ("metrics.csv", 0, "指標名"), ("metrics.csv", 9, "単位"),
    ("metrics.csv", 10, "単位"), ("metrics.csv", 1, "備考"),
    ("measures.csv", 5, "写真説明"), ("measures.csv", 8, "撮影・提供"),  # a photo's caption and credit
]
CONFIG_KEYS = ["title", "lead", "closing_note", "municipality", "newsletter", "issue"]


def squash(text: str) -> str:
    return "".join(text.split())


def hostile_project(tmp_path: Path) -> tuple[Path, list[str]]:
    """The sample with a payload in every printed cell and setting; returns what must be printed."""
    project = copy_project(tmp_path)
    printed = []
    tables = {name: read_rows(project / name) for name in {file for file, _, _ in CELLS}}
    for index, (file, row, column) in enumerate(CELLS):
        payload = PAYLOADS[index % len(PAYLOADS)]
        rows = tables[file]
        rows[row + 1][rows[0].index(column)] = payload
        printed.append(payload)
    for name, rows in tables.items():
        write_rows(project / name, rows, "utf-8")
    values = [PAYLOADS[(i + len(CELLS)) % len(PAYLOADS)] for i in range(len(CONFIG_KEYS))]
    settings = [f"{key} = {json.dumps(value)}" for key, value in zip(CONFIG_KEYS, values)]
    printed += values
    contact = '[contact]\ndepartment = "<b>企画課</b>"\nphone = "{{ 1 + 1 }}"\n'
    (project / "koho.toml").write_text("\n".join(settings) + "\nfirst_page = 2\n" + contact, encoding="utf-8")
    return project, [*printed, "<b>企画課</b>", "{{ 1 + 1 }}"]


def test_markup_in_every_text_cell_prints_literally(tmp_path: Path) -> None:
    project, printed = hostile_project(tmp_path)
    result = build(project, output=tmp_path / "h.pdf", html_output=tmp_path / "h.html")
    text = pdf_text(result.pdf)
    for payload in printed:
        assert squash(payload) in text, payload
    html = without_composition((tmp_path / "h.html").read_text(encoding="utf-8"))
    for raw in ("<script", "<img src=file", "<link rel=attachment", "<svg onload", "<!-- hidden", "<style>*"):
        assert raw not in html, raw
    assert "&lt;script&gt;" in html and "&amp;lt;b&amp;gt;&amp;amp;" in html
    reader = PdfReader(result.pdf)
    assert not reader.attachments
    assert all("/Annots" not in page for page in reader.pages)
    assert result.refused == ()
    photos = {m.photo.path for m in result.project.measures if m.photo}  # the sample's own, read to be processed
    assert all(path.is_relative_to(STYLES_DIR) or path in photos for path in result.opened)  # fonts and photos only
    archive = build(project, output=tmp_path / "a.pdf", kind="archive")  # its cells are set in phrases too
    archived = pdf_text(archive.pdf)
    assert all(squash(payload) in archived for payload in printed[:len(CELLS)])
    assert archive.refused == ()


def test_colours_reach_css_only_as_hex(sample_build) -> None:  # noqa: ANN001
    html = sample_build.html.read_text(encoding="utf-8")
    colours = re.findall(r"--area-(?:color|ink): ([^;\"]*)", html)
    assert len(colours) == 16
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colours), colours


# --- the fetcher ---------------------------------------------------------------------------------

@pytest.fixture
def trap(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A web server on the loopback address that records requests and redirects each to a file."""
    hits: list[str] = []
    secret = tmp_path / "secret.txt"

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            hits.append(self.path)
            self.send_response(302)
            self.send_header("Location", secret.as_uri())
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    """A project folder with a stylesheet, and a secret file beside it, outside the project."""
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    project = tmp_path / "project"
    (project / "styles").mkdir(parents=True)
    (project / "styles" / "ok.css").write_text("p { color: red }", encoding="utf-8")
    (project / "styles" / "link.css").symlink_to(tmp_path / "secret.txt")
    (project / "escape").symlink_to(tmp_path)
    return project


def refused_urls(project: Path, address: str) -> list[str]:
    secret = project.parent / "secret.txt"
    return [
        f"http://{address}/evil.css", f"https://{address}/evil.css", f"ftp://{address}/evil.css",
        f"HTTP://{address}/evil.css", secret.as_uri(), "file:///etc/passwd", f"file://localhost{secret}",
        f"file://{address.split(':')[0]}{secret}", f"{project.as_uri()}/../secret.txt",
        f"{project.as_uri()}/styles/%2e%2e/%2e%2e/secret.txt", f"{project.as_uri()}/styles/link.css",
        f"{project.as_uri()}/escape/secret.txt", f"{project.as_uri()}/styles/missing.css", "styles/ok.css",
        "javascript:alert(1)", f"//{address}/evil.css",
    ]


def test_the_fetcher_refuses_everything_outside_the_project(sandbox: Path, trap: tuple[str, list[str]]) -> None:
    address, hits = trap
    fetcher = ProjectURLFetcher([sandbox, STYLES_DIR, TEMPLATES_DIR])
    for url in refused_urls(sandbox, address):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
        assert fetcher.refused[-1] == url
    assert hits == []  # nothing reached the network, so no redirect could be followed
    assert fetcher.opened == []
    assert not any(isinstance(handler, HTTPRedirectHandler) for handler in fetcher.handlers)


def test_the_fetcher_serves_the_project_assets_and_data_urls(sandbox: Path) -> None:
    fetcher = ProjectURLFetcher([sandbox, STYLES_DIR])
    assert fetcher.fetch(f"{sandbox.as_uri()}/styles/ok.css").read() == b"p { color: red }"
    assert b"SIL OPEN FONT LICENSE" in fetcher.fetch((STYLES_DIR / "fonts" / "OFL.txt").as_uri()).read()
    assert fetcher.fetch("data:text/css;base64,cCB7fQ==").read() == b"p {}"
    assert fetcher.opened == [sandbox / "styles" / "ok.css", STYLES_DIR / "fonts" / "OFL.txt"]
    assert fetcher.refused == []


def hostile_styles(project: Path, address: str) -> None:
    """Override koho's fonts.css and page-newsletter.css with copies that try every way out of the project."""
    secret = project.parent / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (project / "styles").mkdir()
    (project / "styles" / "link.png").symlink_to(secret)
    imports = f"""@import url("http://{address}/evil.css");
@import "ftp://{address}/evil.css";
"""  # @import counts only at the start: fonts.css is the first stylesheet
    rules = f"""
@font-face {{ font-family: "Evil"; src: url({secret}); }}
.lead {{ background: url(file://{secret}); }}
.kicker {{ background: url(../../secret.txt); }}
.period {{ background: url(link.png); }}
h1 {{ background: url("https://{address}/evil.png"); }}
.legend {{ background: url("file://localhost/etc/passwd"); }}
"""
    for name, added in (("fonts.css", imports), ("page-newsletter.css", rules)):
        builtin = (STYLES_DIR / name).read_text(encoding="utf-8")
        (project / "styles" / name).write_text(added + builtin, encoding="utf-8")


def test_a_hostile_project_stylesheet_is_refused(tmp_path: Path, trap: tuple[str, list[str]]) -> None:
    address, hits = trap
    project = copy_project(tmp_path)
    hostile_styles(project, address)
    result = build(project, output=tmp_path / "out.pdf")
    assert hits == []
    refused = " ".join(result.refused)
    for marker in (f"http://{address}/evil.css", f"ftp://{address}/evil.css", f"https://{address}/evil.png",
                   (tmp_path / "secret.txt").as_uri(), "file://localhost/etc/passwd"):
        assert marker in refused, (marker, result.refused)
    roots = [project, STYLES_DIR]
    assert all(any(p.is_relative_to(root) for root in roots) for p in result.opened), result.opened
    assert [w.value for w in result.warnings if "拒否" in w.message] == list(dict.fromkeys(result.refused))
    assert PdfReader(result.pdf).pages


AUDITED_BUILD = """
import json, os, sys
from pathlib import Path
opened = []
sys.addaudithook(lambda event, args: opened.append(os.fsdecode(args[0]))
                 if event == "open" and isinstance(args[0], (str, bytes)) else None)
from report.commands.build import build
build(Path(sys.argv[1]), output=Path(sys.argv[2]))
Path(sys.argv[3]).write_text(json.dumps(opened))
"""


def test_no_file_outside_the_project_is_opened(tmp_path: Path, trap: tuple[str, list[str]]) -> None:
    """Every open() of the whole build, audited in a fresh interpreter: the secret is never read."""
    address, hits = trap
    project = copy_project(tmp_path)
    hostile_styles(project, address)
    log = tmp_path / "opened.json"
    subprocess.run([sys.executable, "-c", AUDITED_BUILD, str(project), str(tmp_path / "out.pdf"), str(log)],
                   check=True, capture_output=True, timeout=300)
    opened = {os.path.realpath(path) for path in json.loads(log.read_text(encoding="utf-8"))}
    assert str(project / "styles" / "page-newsletter.css") in opened  # the audit sees the build's reads
    assert os.path.realpath(tmp_path / "secret.txt") not in opened
    assert "/etc/passwd" not in opened
    assert hits == []


@pytest.mark.parametrize("folder, name", [("styles", "page-newsletter.css"), ("templates", "newsletter.html")])
def test_an_override_that_links_outside_the_project_is_refused(tmp_path: Path, folder: str, name: str) -> None:
    project = copy_project(tmp_path)
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (project / folder).mkdir()
    (project / folder / name).symlink_to(tmp_path / "secret.txt")
    with pytest.raises(DataError, match="プロジェクトのフォルダの外を指すファイル") as error:
        build(project, output=tmp_path / "out.pdf")
    assert error.value.problems[0].file == f"{folder}/{name}"
    assert not (tmp_path / "out.pdf").exists()
