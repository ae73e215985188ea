"""Shared fixtures: the sample project, one build of it, and PDF reading helpers."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pypdf import PdfReader

from report.commands.build import BuildResult, build

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data"
SEED = ROOT / "tests" / "fixtures" / "hioki_seed.txt"  # copy of shared/seed/000_96ff7c555208e1b7.txt
EXAMPLE = ROOT / "examples" / "kakuu-city"
KPI_CITY = ROOT / "examples" / "kpi-city"
SHIPPED = {"sample": SAMPLE, "kakuu": EXAMPLE, "kpi": KPI_CITY}  # the projects in the checkout
KINDS = ("newsletter", "handout", "archive")


def pdf_text(path: Path) -> str:
    """All text of a PDF, pages joined, with whitespace removed (Japanese has no spaces to keep)."""
    reader = PdfReader(path)
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def new_project(destination: Path) -> Path:
    """A fresh `koho init` project: one area, one measure, one metric (quick to build)."""
    from report.commands.init import create_project

    target = destination / "new"
    create_project(target)
    return target


def copy_project(destination: Path, source: Path = SAMPLE) -> Path:
    """A copy of a project (without build output) that a test may change."""
    target = destination / "project"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("build"))
    return target


def sample_folder(folder: Path, source: Path = SAMPLE) -> Path:
    """A new folder for the project's tables written anew (a workbook, other encodings), with the
    photos its 写真 cells name."""
    folder.mkdir()
    if (source / "photos").is_dir():
        shutil.copytree(source / "photos", folder / "photos")
    return folder


def with_profile(project: Path, data: bytes) -> None:
    """Give the project a printer's ICC profile with these bytes and name it in koho.toml."""
    (project / "printer.icc").write_bytes(data)
    with (project / "koho.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[print]\nicc_profile = "printer.icc"\n')


@pytest.fixture(scope="session", autouse=True)
def chart_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every test (and every koho it starts) uses a fresh chart cache, never the user's."""
    folder = tmp_path_factory.mktemp("chart-cache")
    os.environ["KOHO_CACHE_DIR"] = str(folder)
    return folder


@dataclass(frozen=True, eq=False)
class ShippedBuilds(Mapping[tuple[str, str], BuildResult]):
    """Every kind of the shipped projects by (project, kind), each with its HTML, built the first
    time a test asks for it and kept for the rest of the test process (one per pytest-xdist
    worker). Read-only for the tests: a test that changes an output copies it first."""

    folder: Path
    names: tuple[str, ...] = tuple(SHIPPED)
    built: dict[tuple[str, str], BuildResult] = field(default_factory=dict)  # shared by every view

    def of(self, *names: str) -> ShippedBuilds:
        """The builds of these projects only (the same builds, not new ones)."""
        return ShippedBuilds(self.folder, names, self.built)

    def __getitem__(self, key: tuple[str, str]) -> BuildResult:
        name, kind = key
        if name not in self.names or kind not in KINDS:
            raise KeyError(key)
        if key not in self.built:
            stem = self.folder / f"{name}-{kind}"
            self.built[key] = build(SHIPPED[name], kind=kind, output=stem.with_suffix(".pdf"),
                                    html_output=stem.with_suffix(".html"))
        return self.built[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((name, kind) for name in self.names for kind in KINDS)

    def __len__(self) -> int:
        return len(self.names) * len(KINDS)


@pytest.fixture(scope="session")
def shipped_documents(tmp_path_factory: pytest.TempPathFactory) -> ShippedBuilds:
    """The sample's, kakuu's and kpi-city's documents, built once per test process for every
    module that only reads them."""
    return ShippedBuilds(tmp_path_factory.mktemp("shipped"))


@pytest.fixture(scope="session")
def sample_build(shipped_documents: ShippedBuilds) -> BuildResult:
    return shipped_documents["sample", "newsletter"]


@pytest.fixture(scope="session")
def kind_builds(shipped_documents: ShippedBuilds) -> ShippedBuilds:
    """Every kind of the sample ('sample') and of the example ('kakuu'), each with its HTML, built
    once (when first read) for the tests that only read them; the sample's newsletter is sample_build's."""
    return shipped_documents.of("sample", "kakuu")


@pytest.fixture(scope="session")
def sample_text(sample_build: BuildResult) -> str:
    return pdf_text(sample_build.pdf)


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str | None:
    """Debian's chromium (scripts/ensure-chromium installs it), never a downloaded browser."""
    return next((path for name in ("chromium", "chromium-browser") if (path := shutil.which(name))), None)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless chromium for the browser tests, driven by Playwright; skipped without one."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make setup)")
    executable = chromium()
    if executable is None:
        pytest.skip("no chromium: `make test` installs Debian's chromium when run as root with apt-get")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
