"""`koho serve`: build a project into a temporary folder, serve it on 127.0.0.1, rebuild on change.

Like mkdocs serve: the build runs in this process (warm: fonts, matplotlib and WeasyPrint stay
loaded), a failed build keeps the last good output and its problems show on the page, and a
small script in the page reloads it when a new build is ready (a long poll on /_koho/changes).
The main view shows the real pages, rasterised from the PDF (two-up as spreads for the
newsletter); the second view is the web version. The server reads nothing but the project
folder, koho's own assets and its temporary folder.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import os
import re
import secrets
import shutil
import signal
import tempfile
import threading
import webbrowser
from dataclasses import dataclass, replace
from report.clock import japan_now
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import jinja2

from report.assets import FONTS_DIR, STYLES_DIR, TEMPLATES_DIR
from report.commands.build import BuildResult, build
from report.commands.collection import collect_after
from report.commands.guide import GUIDE_INDEX, docs_folder, guide_page
from report.commands.progress import STAGES, no_progress
from report.kinds import DEFAULT, DocumentKind, kind_named
from report.commands.pages import page_png, render_pages
from report.problems import DataError, KohoError, Problem
from report.load.project.sources import project_root
from report.render.pdf.spread import spreads
from report.render.html.template_errors import shown_name as _shown_name
from report.render.html.template_errors import template_problem
from report.commands.watch import Watcher
from report.render.web.web import INDEX

log = logging.getLogger("koho.serve")

HOST = "127.0.0.1"  # never another interface: the preview is for the person at this computer
PREFERRED_PORT = 8000
PREVIEW_DIR = Path(__file__).resolve().parent / "preview"
LONG_POLL_SECONDS = 25.0
SHOWN_WAIT_SECONDS = 1.0  # how long a provisional build waits for the browser to fetch its pages
WEB_PREFIX = "/_koho/web/"  # the web version's folder
PAGES_PREFIX = "/_koho/pages/"  # page N of the PDF as PNG: /_koho/pages/N.png
SOURCE_PATH = "/_koho/source"  # the 取り込み元 tab of an imported project (report/commands/source_view.py)
DOCS_PREFIX = "/_koho/docs/"  # the ヘルプ tab: koho's docs/, each .md rendered (report/commands/guide.py)
HELP_PATH = DOCS_PREFIX + "ja/"
_PAGE_RE = re.compile(r"^([1-9][0-9]{0,4})\.png$")
_BODY_RE = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class PreviewState:
    """What the server shows: the last good document and the latest build's problems."""

    token: str
    document: str | None = None  # the last good build's web version (index.html)
    pdf: Path | None = None
    web: Path | None = None  # the folder of the web version
    kind: DocumentKind = DEFAULT
    pages: int = 0
    rows: tuple[tuple[int | None, ...], ...] = ()  # page indexes per row: spreads, or one page each
    first_page: int = 1  # the folio of the first page
    built_at: str = ""
    seconds: float = 0.0
    problems: tuple[Problem, ...] = ()  # of the latest build: errors if it failed, else warnings
    failed: bool = False


def _inside(path: Path, folder: Path) -> Path | None:
    """`folder / path` if it is an existing file inside `folder` (after resolving links), else None."""
    try:
        base = Path(os.path.realpath(folder))
        target = Path(os.path.realpath(base / path))
        return target if target.is_relative_to(base) and target.is_file() else None
    except (ValueError, OSError):  # a NUL byte (%00), a name too long, …: nothing to serve
        return None


def describe_failure(error: Exception, root: Path) -> list[Problem]:
    """Problems to show for a failed build: the data's own, or where a template went wrong."""
    if isinstance(error, DataError):
        return list(error.problems)
    if isinstance(error, KohoError):
        return [Problem("koho", error.format_message())]
    problem = template_problem(error, root)
    if problem is not None:
        return [problem]
    return [Problem("koho", f"{type(error).__name__}: {error}")]


class PreviewServer:
    """A live preview of one project. Use as a context manager, or call start() and stop()."""

    def __init__(self, project: Path, port: int | None = 0, kind: str | DocumentKind | None = None,
                 settle: float = 0.03) -> None:
        self.project = Path(project)
        if not self.project.exists():
            raise DataError([Problem(str(self.project), "ファイルまたはフォルダが見つかりません")])
        self.root = project_root(self.project).resolve()
        self.kind = kind_named(kind).content if kind else None  # the web view is always there
        self.docs = docs_folder()  # the guide, or None (then the ヘルプ tab says it is missing)
        self.mounts = (("/_koho/static/", PREVIEW_DIR / "static"), ("/_koho/styles/", STYLES_DIR),
                       ("/_koho/templates/", TEMPLATES_DIR),
                       *([(DOCS_PREFIX, self.docs)] if self.docs else []), ("/", self.root))
        self.pages = jinja2.Environment(loader=jinja2.FileSystemLoader(str(PREVIEW_DIR)), autoescape=True)
        self._fitted: float | None = None  # the line height copy-fitting chose last time: tried first
        self._instance = secrets.token_hex(4)
        self._version = 0
        self._state = PreviewState(token=self._token())
        self._page_cache: tuple[tuple[str, ...] | None, str] = (None, "")
        self._images_served = threading.Event()  # every page image of the shown build was fetched
        self._served_pages: set[int] = set()
        self._changed = threading.Condition()
        self._build_lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = _bind(port, self)
        self.watcher = Watcher(self.root, settle)  # watching starts now: edits during the first build count
        self._workdir = Path(tempfile.mkdtemp(prefix="koho-serve-"))
        self._threads: list[threading.Thread] = []

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    @property
    def state(self) -> PreviewState:
        with self._changed:
            return self._state

    def _token(self) -> str:
        return f"{self._instance}-{self._version}"

    def start(self) -> PreviewServer:
        """Build once, then serve and watch in background threads. Interrupted (Ctrl+C during the
        first build), it cleans up as stop() does: the temporary folder is removed."""
        try:
            self.rebuild()
        except BaseException:
            self.stop()
            raise
        for name, target in (("koho-http", self._httpd.serve_forever), ("koho-watch", self._watch),
                             ("koho-warm", self._warm_charts)):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop serving and watching, wake waiting browsers, remove the temporary folder."""
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        if self._threads:
            self._httpd.shutdown()
        self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=60)
        self.watcher.close()
        shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def interrupt(self) -> None:
        """Make wait() return (safe from a signal handler); stop() then cleans up."""
        self._stop.set()

    def wait(self) -> None:
        """Block until stop() (or Ctrl+C in the main thread)."""
        while not self._stop.wait(1.0):
            pass

    def _warm_charts(self) -> None:
        """matplotlib imported and warm in this process while nobody waits (the first build drew
        its charts in a worker): the first edit that changes a chart then redraws it at once.
        Under the build lock: matplotlib is not to be used by two threads at once."""
        from charts.draw import warm_up

        with self._build_lock:
            if not self._stop.is_set():
                warm_up(FONTS_DIR)

    def _watch(self) -> None:
        while (changed := self.watcher.wait(self._stop)) is not None:
            names = ", ".join(_shown_name(str(path), self.root) for path in changed[:3])
            log.info("変更: %s%s", names, " …" if len(changed) > 3 else "")
            self.rebuild()

    def rebuild(self) -> PreviewState:
        """Build into a fresh folder; on success show it, on failure keep the last good one.
        The cycles the build left are freed after it is shown."""
        try:
            return self._rebuild()
        finally:
            collect_after()

    def _rebuild(self) -> PreviewState:
        with self._build_lock:
            staging = Path(tempfile.mkdtemp(prefix="build-", dir=self._workdir))
            first = self.state.built_at == "" and not self.state.failed
            if first:  # the first build takes a while (fonts, charts): say what it is doing
                log.info("%s を作っています(最初の1回は時間がかかります) / first build", self.root.name)
            shown: list[BuildResult] = []  # a provisional copy-fit, shown while the exact one is checked

            def show(early: BuildResult) -> None:
                shown.append(early)
                self._publish(result=early)
                # The exact copy-fit is checked next, a whole layout: first let the browser fetch
                # what was just shown, so that its requests do not wait behind that work.
                self._images_served.wait(SHOWN_WAIT_SECONDS)

            try:
                result = build(self.project, output=staging / "document.pdf", web_output=staging / "web" / INDEX,
                               kind=self.kind, fit_first=self._fitted, provisional=show,
                               progress=_say_stage if first else no_progress)
            except Exception as error:  # noqa: BLE001 - a preview shows any failure and keeps serving
                if not shown:  # else the provisional copy-fit in it is the last good document
                    shutil.rmtree(staging, ignore_errors=True)
                problems = describe_failure(error, self.root)
                if not isinstance(error, KohoError):
                    log.debug("build failed", exc_info=error)
                log.warning("作成できませんでした / build failed:\n%s", "\n".join(f"  - {p}" for p in problems))
                return self._publish(problems=tuple(problems))
            self._fitted = result.line_height
            log.info("更新しました: %dページ (%.1f秒)", result.pages, result.seconds)
            if shown and shown[-1].sha256 == result.sha256:
                return self.state  # the provisional copy-fit was the exact one: already shown
            return self._publish(result=result)

    def _publish(self, result: BuildResult | None = None, problems: tuple[Problem, ...] = ()) -> PreviewState:
        """Show a new build, or (without a result) the last good one with the failure's problems.
        A new build's pages are drawn first, so the reloading browser finds its images ready."""
        document = result.web.read_text(encoding="utf-8") if result is not None else None
        if result is not None and result.pdf is not None:
            render_pages(result.pdf, result.pdf.parent / "pages")
        with self._changed:
            self._version += 1
            old = self._state
            if result is None:
                self._state = replace(old, token=self._token(), problems=problems, failed=True)
            else:
                two_up = result.kind.content.two_up  # folios and spreads from first_page
                first_page = result.project.config.first_page if two_up else 1
                rows = (tuple(spreads(first_page, result.pages)) if two_up
                        else tuple((index,) for index in range(result.pages)))
                self._state = PreviewState(
                    token=self._token(), document=document, pdf=result.pdf, web=result.web.parent,
                    kind=result.kind, pages=result.pages, rows=rows, first_page=first_page,
                    built_at=japan_now(reproducible=False).strftime("%H:%M:%S"),
                    seconds=result.seconds, problems=result.warnings)
                if old.pdf is not None and old.pdf.parent != result.pdf.parent:
                    shutil.rmtree(old.pdf.parent, ignore_errors=True)
            self._served_pages = set()
            self._images_served.clear()
            self._changed.notify_all()
            return self._state

    def wait_for_change(self, token: str, timeout: float = LONG_POLL_SECONDS) -> str:
        """The current token, once it differs from `token` (or after `timeout`, or on stop)."""
        with self._changed:
            self._changed.wait_for(lambda: self._state.token != token or self._stop.is_set(), timeout)
            return self._state.token

    def page(self, view: str, guide: str = "") -> str:
        """The page for the browser: the printed pages (view "pages"), the web version ("web"),
        the PDF ("pdf"), the source ("source") or the guide's page `guide` ("help"), with the toolbar,
        the problems of the latest build and the reload script.
        Made once per build and view: a polling browser costs the build in progress nothing."""
        state = self.state
        key = (state.token, view, guide)
        if self._page_cache[0] != key:
            self._page_cache = (key, self._make_page(state, view, guide))
        return self._page_cache[1]

    def _make_page(self, state: PreviewState, view: str, guide: str = "") -> str:
        from report.commands.source_view import QUESTION, ROLES, has_source, source_view

        source = source_view(self.root) if view == "source" else None  # the grid: on its own tab only
        context = {"s": state, "view": view, "project": self.root.name, "web_url": WEB_PREFIX,
                   "pages_url": PAGES_PREFIX, "pdf_url": f"/{state.kind}.pdf?v={state.token}",
                   "source_url": SOURCE_PATH if source is not None or has_source(self.root) else None, "v": source,
                   "roles": ROLES, "question": QUESTION, "help_url": HELP_PATH, "docs": self.docs,
                   "guide": guide_page(_inside(Path(guide), self.docs)) if view == "help" and self.docs else None}
        chrome = self.pages.get_template("chrome.html").render(context)
        script = self.pages.get_template("script.html").render(context)
        if view == "web" and state.document is not None:
            return _inject(state.document, chrome, script)
        return self.pages.get_template("shell.html").render(context, chrome=chrome, script=script)

    def page_image(self, name: str) -> bytes | None:
        """Page N of the current PDF as PNG (`name` is "N.png"), rendered once per build."""
        state = self.state
        match = _PAGE_RE.match(name)
        if state.pdf is None or match is None or not 1 <= int(match.group(1)) <= state.pages:
            return None
        try:
            image = page_png(state.pdf, int(match.group(1)) - 1, state.pdf.parent / "pages")
        except OSError:  # a newer build replaced it just now
            return None
        with self._changed:
            if state.token == self._state.token:
                self._served_pages.add(int(match.group(1)))
                if len(self._served_pages) >= state.pages:
                    self._images_served.set()
        return image

    def file(self, path: str) -> Path | None:
        """The file a URL path of this server names, if it may be served."""
        state = self.state
        if path == f"/{state.kind}.pdf":
            return state.pdf
        if path.startswith(WEB_PREFIX):
            return _inside(Path(path[len(WEB_PREFIX):]), state.web) if state.web else None
        for prefix, folder in self.mounts:
            if path.startswith(prefix):
                return _inside(Path(path[len(prefix):]), folder)
        return None


def _say_stage(stage: str) -> None:
    """The first build's progress on the console, one line per stage as it starts."""
    log.info("  %s…", STAGES.get(stage, stage))


def _inject(document: str, chrome: str, script: str) -> str:
    """Put the preview's stylesheet, toolbar and script into the document's HTML."""
    link = '<link rel="stylesheet" href="/_koho/static/preview.css">'
    chrome += '<div class="koho-spacer"></div>'  # the fixed toolbar never covers the page's top
    head_end = document.lower().find("</head>")
    if head_end >= 0:
        document = document[:head_end] + link + document[head_end:]
    body = _BODY_RE.search(document)
    at = body.end() if body else 0
    document = document[:at] + chrome + document[at:]
    body_end = document.lower().rfind("</body>")
    at = body_end if body_end >= 0 else len(document)
    return document[:at] + script + document[at:]


class _Handler(BaseHTTPRequestHandler):
    """GET and HEAD only; requests must name this server as 127.0.0.1 or localhost."""

    server_version = "koho"

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        """Every request gets an answer: an unforeseen failure is a 500, never a dropped connection."""
        try:
            self._respond(body)
        except Exception as error:  # noqa: BLE001 - the server must keep answering
            log.debug("request failed: %s", self.path, exc_info=error)
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8",
                       "プレビューの内部エラー / internal error".encode(), body)

    def _respond(self, body: bool) -> None:
        port = self.server.server_address[1]
        if self.headers.get("Host") not in (f"{HOST}:{port}", f"localhost:{port}"):
            return self._send(HTTPStatus.FORBIDDEN, "text/plain", b"forbidden host", body)
        url = urlsplit(self.path)
        path = unquote(url.path)
        preview = self.server.preview  # type: ignore[attr-defined]
        views = {"/": "pages", "/index.html": "pages", "/pdf": "pdf", WEB_PREFIX: "web", WEB_PREFIX + INDEX: "web",
                 SOURCE_PATH: "source"}
        if path in views:
            page = preview.page(views[path])
            return self._send(HTTPStatus.OK, "text/html; charset=utf-8", page.encode("utf-8"), body)
        if path.startswith(DOCS_PREFIX) and path.endswith((".md", "/")):  # the ヘルプ tab: a page of the guide
            guide = path[len(DOCS_PREFIX):] + (GUIDE_INDEX if path.endswith("/") else "")
            page = preview.page("help", guide)
            found = preview.docs is None or _inside(Path(guide), preview.docs) is not None
            return self._send(HTTPStatus.OK if found else HTTPStatus.NOT_FOUND, "text/html; charset=utf-8",
                              page.encode("utf-8"), body)
        if path.startswith(PAGES_PREFIX):
            image = preview.page_image(path[len(PAGES_PREFIX):])
            if image is None:
                return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", "見つかりません".encode(), body)
            return self._send(HTTPStatus.OK, "image/png", image, body)
        if path == "/_koho/changes":
            token = parse_qs(url.query).get("token", [""])[0]
            answer = json.dumps({"token": preview.wait_for_change(token)})
            return self._send(HTTPStatus.OK, "application/json", answer.encode(), body)
        file = preview.file(path)
        if file is None or not file.is_file():
            return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", "見つかりません".encode(), body)
        try:
            data = file.read_bytes()
        except OSError:  # a newer build replaced it just now
            return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", "見つかりません".encode(), body)
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return self._send(HTTPStatus.OK, mime, data, body)

    def _send(self, status: HTTPStatus, mime: str, data: bytes, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the browser left (reload, new page)
                pass

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
        log.debug("%s %s", self.address_string(), format % args)


def _bind(port: int | None, preview: PreviewServer) -> ThreadingHTTPServer:
    """A server on 127.0.0.1: on `port`, or 8000 when free and None, else any free port."""
    candidates = [PREFERRED_PORT, 0] if port is None else [port]
    for candidate in candidates:
        try:
            httpd = ThreadingHTTPServer((HOST, candidate), _Handler)
        except OSError as error:
            if candidate == candidates[-1]:
                raise KohoError(f"ポート {candidate} を使えません({error.strerror})。--port で別の番号を"
                                f"指定してください / port {candidate} is not available") from None
            continue
        httpd.daemon_threads = True
        httpd.preview = preview  # type: ignore[attr-defined]
        return httpd
    raise AssertionError("unreachable")


def serve(project: Path, port: int | None = None, open_browser: bool = False,
          kind: str | DocumentKind | None = None) -> None:
    """Run the preview until Ctrl+C (the `koho serve` command)."""
    with PreviewServer(project, port=port, kind=kind) as server:
        if threading.current_thread() is threading.main_thread():  # `kill` stops it cleanly too
            signal.signal(signal.SIGTERM, lambda signum, frame: server.interrupt())
        log.info("プレビュー / preview: %s (Ctrl+C で終了 / to stop)", server.url)
        if open_browser:
            webbrowser.open(server.url)
        try:
            server.wait()
        except KeyboardInterrupt:
            log.info("終了します / stopping")
