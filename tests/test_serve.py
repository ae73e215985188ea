"""koho serve without a browser: what it serves and refuses, rebuilds, problems, clean stop."""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path

import pytest

from report.commands import serve as serve_module
from report.problems import DataError, KohoError
from report.commands.serve import PreviewServer
from report.commands.watch import Watcher, is_input

from .conftest import new_project
from .serving import edit_workbook, get, running_server


def test_serves_the_pages_the_web_version_and_the_pdf(tmp_path: Path) -> None:
    with running_server(tmp_path) as server:
        status, headers, body = get(server, "/")
        page = body.decode("utf-8")
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert "koho プレビュー" in page and "/_koho/static/preview.js" in page
        images = re.findall(r'<img src="(/_koho/pages/(\d+)\.png\?v=[^"]+)" alt="(\d+)ページ"', page)
        assert [(number, folio) for _, number, folio in images] == [("1", "1")], "a new project: one page"
        status, headers, png = get(server, images[0][0])
        assert status == 200 and headers["Content-Type"] == "image/png" and png.startswith(b"\x89PNG")
        assert get(server, "/_koho/pages/2.png")[0] == 404 and get(server, "/_koho/pages/../x.png")[0] == 404
        status, _, body = get(server, "/_koho/web/")
        web = body.decode("utf-8")
        assert status == 200 and "子育て支援" in web and "koho-bar" in web and "file:" not in web
        assert get(server, "/_koho/web/style.css")[0] == 200
        font = re.search(r'url\("(fonts/[^"]+\.woff2)"\)', get(server, "/_koho/web/style.css")[2].decode()).group(1)
        assert get(server, "/_koho/web/" + font)[0] == 200
        assert get(server, "/_koho/web/metrics.csv")[2].startswith(b"\xef\xbb\xbf")
        assert get(server, "/_koho/static/preview.css")[0] == 200
        status, headers, pdf = get(server, "/newsletter.pdf")
        assert status == 200 and headers["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF-")
        assert b'class="koho-pdf"' in get(server, "/pdf")[2]


def test_refuses_other_hosts_and_anything_outside_the_project(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    with running_server(tmp_path) as server:
        (server.root / "link.txt").symlink_to(outside)
        assert get(server, "/", host="attacker.example:80")[0] == 403
        assert get(server, "/", host=f"localhost:{server.port}")[0] == 200
        for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/_koho/styles/../../../etc/passwd",
                     "/_koho/web/../../secret.txt", "/_koho/web/%2e%2e/%2e%2e/%2e%2e/secret.txt",
                     "/_koho/templates/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/link.txt", "/etc/passwd"):
            status, _, body = get(server, path)
            assert status == 404 and b"secret" not in body and b"root:" not in body, path
        assert get(server, "/koho.toml")[0] == 200, "the project's own files may be served"
    assert server.url.startswith("http://127.0.0.1:")


def test_a_failed_build_keeps_the_last_good_document_and_shows_the_problem(tmp_path: Path) -> None:
    with running_server(tmp_path) as server:
        good = get(server, "/newsletter.pdf")[2]
        edit_workbook(server.root, lambda book: book["実績"].cell(row=2, column=4, value="たくさん"))
        failed = server.rebuild()
        assert failed.failed and failed.document is not None
        page = get(server, "/_koho/web/")[2].decode("utf-8")
        for fragment in ("作成できませんでした", "manifesto.xlsx", "実績", "2行目", "「実績値」(value)", "たくさん",
                         "子育て支援"):
            assert fragment in page, fragment
        assert "作成できませんでした" in get(server, "/")[2].decode("utf-8")
        assert get(server, "/_koho/pages/1.png")[0] == 200, "the last good pages stay"
        assert get(server, "/newsletter.pdf")[2] == good
        edit_workbook(server.root, lambda book: book["実績"].cell(row=2, column=4, value=25))
        fixed = server.rebuild()
        assert not fixed.failed and fixed.problems == ()
        assert "作成できませんでした" not in get(server, "/")[2].decode("utf-8")


def test_a_template_error_shows_its_file_and_line(tmp_path: Path) -> None:
    with running_server(tmp_path) as server:
        (server.root / "templates").mkdir()
        (server.root / "templates" / "newsletter.html").write_text(
            '{% extends "koho/newsletter.html" %}\n\n{% block body %}{{ super( }}{% endblock %}\n', encoding="utf-8")
        problem = server.rebuild().problems[0]
        assert (problem.file, problem.row) == (str(Path("templates") / "newsletter.html"), 3)


def test_a_change_rebuilds_by_itself_and_wakes_waiting_pages(tmp_path: Path) -> None:
    with running_server(tmp_path) as server:
        token = server.state.token
        assert server.wait_for_change(token, timeout=0.01) == token
        waiting: list[bytes] = []
        thread = threading.Thread(target=lambda: waiting.append(get(server, f"/_koho/changes?token={token}")[2]))
        thread.start()
        edit_workbook(server.root, lambda book: book["分野"].cell(row=2, column=2, value="子育て・教育"))
        new_token = server.wait_for_change(token, timeout=60)
        thread.join(timeout=60)
        assert new_token != token and waiting == [f'{{"token": "{new_token}"}}'.encode()]
        assert "子育て・教育" in get(server, "/_koho/web/")[2].decode("utf-8")


def test_stop_ends_threads_and_removes_the_temporary_folder(tmp_path: Path) -> None:
    with running_server(tmp_path) as server:
        workdir = server._workdir
        assert any(workdir.iterdir())
        threads = list(server._threads)
    assert not workdir.exists()
    assert not any(thread.is_alive() for thread in threads)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=5).close()


def test_the_watcher_reports_a_burst_of_input_saves_once_and_ignores_the_rest(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    watcher = Watcher(project, settle=0.2)
    stop = threading.Event()
    try:
        (project / "templates").mkdir()
        (project / "templates" / "newsletter.html").write_text("x", encoding="utf-8")
        (project / "data" / "~$manifesto.xlsx").write_bytes(b"lock")
        (project / "build").mkdir()
        (project / "build" / "newsletter.pdf").write_bytes(b"%PDF-")
        (project / "koho.toml").write_text('title = "x"\n', encoding="utf-8")
        assert watcher.wait(stop) == [project / "koho.toml", project / "templates" / "newsletter.html"]
        (project / "build" / "other.pdf").write_bytes(b"%PDF-")  # not an input: no report
        timer = threading.Timer(1.5, stop.set)
        timer.start()
        assert watcher.wait(stop) is None
        timer.join()
    finally:
        watcher.close()
    assert is_input(project, project / "data" / "metrics.csv")
    assert not is_input(project, project / "data" / "old" / "metrics.csv")
    assert not is_input(project, project / ".git" / "index")
    assert not is_input(tmp_path / "elsewhere", project / "koho.toml")


def test_a_busy_port_is_a_clean_error_and_the_default_falls_back(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    project = new_project(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(KohoError, match=str(port)):
            PreviewServer(project, port=port)
        monkeypatch.setattr(serve_module, "PREFERRED_PORT", port)
        fallback = PreviewServer(project, port=None)
        try:
            assert fallback.port not in (0, port)
        finally:
            fallback.stop()


def test_a_missing_project_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="見つかりません"):
        PreviewServer(tmp_path / "nowhere")


def test_every_request_gets_an_answer(tmp_path: Path) -> None:
    with running_server(tmp_path) as server:
        for path in ("/%00", "/_koho/fonts/%00x.ttf", "/project/a%00b", "/" + "a" * 5000, "/%ff%fe",
                     "/project/" + "../" * 50 + "etc/passwd"):
            status, _, body = get(server, path)
            assert status == 404, (path, status, body)
        assert get(server, "/")[0] == 200  # and still serving


def test_ctrl_c_during_the_first_build_removes_the_temporary_folder(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import report.commands.serve

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(report.commands.serve, "build", interrupted)
    server = PreviewServer(new_project(tmp_path), port=0)
    workdir = server._workdir  # noqa: SLF001 - the folder the test is about
    assert workdir.is_dir()
    with pytest.raises(KeyboardInterrupt):
        server.start()
    assert not workdir.exists()


def test_the_preview_lists_the_build_s_preflight_warnings(tmp_path: Path) -> None:
    """Not only the data's warnings: what the laid-out document shows wrong, too."""
    from report.assets import STYLES_DIR

    with running_server(tmp_path) as server:
        (server.root / "styles").mkdir()
        css = (STYLES_DIR / "newsletter.css").read_text(encoding="utf-8")
        (server.root / "styles" / "newsletter.css").write_text(css + "\n.measure { display: none }\n",
                                                               encoding="utf-8")
        state = server.rebuild()
        assert not state.failed
        assert any("載っていません" in p.message and p.severity == "warning" for p in state.problems)
        page = get(server, "/")[2].decode("utf-8")
        assert f"注意が{len(state.problems)}件あります" in page and "載っていません" in page


def test_a_builds_page_images_are_drawn_before_it_is_shown_and_its_views_made_once(tmp_path: Path) -> None:
    """The reloading browser finds the new pages ready (drawn as the build is published), and a
    browser polling a view costs the server one rendering of it per build."""
    with running_server(tmp_path) as server:
        state = server.state
        folder = state.pdf.parent / "pages"
        assert sorted(p.name for p in folder.glob("*.png")) == [f"{n}.png" for n in range(1, state.pages + 1)]
        assert (folder / "1.png").read_bytes() == get(server, "/_koho/pages/1.png")[2]
        first = server.page("pages")
        assert server.page("pages") is first, "the same build's view is made once"
        assert server.page("web") is not first and "子育て支援" in server.page("web")
        new = server.rebuild()
        assert new.token != state.token
        assert server.page("pages") is not first and new.token in server.page("pages")
        assert (new.pdf.parent / "pages" / "1.png").is_file()


def test_a_provisional_build_waits_for_its_page_images_before_the_exact_fit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After showing a provisional copy-fit, the build goes on (to lay out the exact fit) once the
    browser has fetched the shown pages, or after SHOWN_WAIT_SECONDS when nobody fetches them."""
    real_build = serve_module.build
    went_on: list[float] = []

    def provisional_build(*args, provisional=None, **kwargs):  # noqa: ANN002, ANN003, ANN202
        result = real_build(*args, **kwargs)
        shown = time.perf_counter()
        provisional(result)  # as build() does with a line height that fitted last time
        went_on.append(time.perf_counter() - shown)
        return result

    with running_server(tmp_path) as server:
        monkeypatch.setattr(serve_module, "build", provisional_build)
        monkeypatch.setattr(serve_module, "SHOWN_WAIT_SECONDS", 1.5)
        before = server.state.token

        def fetch_images_later() -> None:
            server.wait_for_change(before, timeout=30)  # the provisional build is shown
            time.sleep(0.3)
            for number in range(1, server.state.pages + 1):
                assert get(server, f"/_koho/pages/{number}.png")[0] == 200

        fetcher = threading.Thread(target=fetch_images_later)
        fetcher.start()
        server.rebuild()
        fetcher.join()
        assert 0.3 <= went_on[-1] < 1.2, "went on once the browser had the pages"
        server.rebuild()  # nobody fetches this time
        assert went_on[-1] >= 1.45, "waited SHOWN_WAIT_SECONDS"
