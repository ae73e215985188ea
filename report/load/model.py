"""The validated document model: areas, their measures, and the measures' metrics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from report.load.project.config import Config
from report.kinds import DocumentKind
from report.load.project.sources import ProjectFiles


@dataclass(frozen=True)
class Source:
    """Where one row of the model was typed: file, sheet and the row number a spreadsheet shows."""

    file: str
    sheet: str | None
    row: int


def _source() -> Source | None:
    """A row's source: carried for messages, never part of the value (compare=False)."""
    return field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Metric:
    """One figure of one measure in one fiscal year (草の根対話 72自治会 in 令和4年度)."""

    measure: str
    label: str
    fiscal_year: int
    value: Decimal
    unit: str
    target: Decimal | None = None
    as_of: dt.date | None = None
    note: str = ""
    chart: str = ""  # bar / progress / share / none; empty: chosen from the data
    target_qualifier: str = ""  # 以上 / 超 / 以下 / 未満, as written after the target
    target_year: int | None = None  # the fiscal year the target is set for
    baseline: Decimal | None = None  # 基準値 (現状値), measured in baseline_year
    baseline_year: int | None = None
    direction: str = ""  # up / down as typed; empty: from the qualifier, else up
    cumulative: bool | None = None  # True: yearly amounts add up toward the target; False: single-year
    running: bool | None = None  # True: each cell already holds the running total (累計値): printed as given
    undecided: bool | None = None  # True: 累計 not decided yet (未確定): each value its own figure, no rate
    final_target: Decimal | None = None  # 最終目標値: the plan's last target, beside the yearly ones
    final_target_qualifier: str = ""
    final_target_year: int | None = None  # 最終目標年度
    grade: str = ""  # the city's own grade (評価) for this year, as typed
    calendar: bool = False  # the year is a calendar year (暦年), not a fiscal year
    source: Source | None = _source()


@dataclass(frozen=True)
class Photo:
    """A measure's photo (写真): a file inside the project, and how it is told and shown."""

    path: Path = field(compare=False)  # resolved, inside the project folder (where it is, not what it is)
    file: str = ""  # as typed, relative to the project folder: photos/hibinoba.jpg
    caption: str = ""  # 写真説明: printed under the photo
    alt: str = ""  # 代替テキスト: what the photo shows, for readers who cannot see it
    credit: str = ""  # 撮影・提供: printed small
    decorative: bool = False  # 装飾: adds nothing a reader needs (an Artifact, no alt)
    crop: tuple[float, float] | None = None  # トリミング: the focus point (0–1 across, 0–1 down), None: uncut
    pixels: tuple[int, int] = (0, 0)  # width and height as printed: upright, cropped
    source: Source | None = _source()  # the measures row; the cell's column is the problem's


@dataclass(frozen=True)
class Measure:
    """One measure (施策): its vision, the actions taken, and its figures."""

    id: str
    area: int
    vision: str
    actions: tuple[str, ...]
    status: str = ""
    department: str = ""
    featured: bool = True
    metrics: tuple[Metric, ...] = ()
    photo: Photo | None = None
    source: Source | None = _source()

    def appears_in(self, kind: DocumentKind) -> bool:
        """Whether the document kind prints this measure (the newsletter: featured ones only)."""
        return kind.shows(self)

    @property
    def metric_series(self) -> dict[str, tuple[Metric, ...]]:
        """The metrics grouped by label, each series in fiscal-year order."""
        series: dict[str, list[Metric]] = {}
        for metric in self.metrics:
            series.setdefault(metric.label, []).append(metric)
        return {label: tuple(sorted(items, key=lambda m: m.fiscal_year)) for label, items in series.items()}


@dataclass(frozen=True)
class Area:
    """One policy area (分野), numbered 【01】…"""

    number: int
    title: str
    subtitle: str
    color: str
    measures: tuple[Measure, ...] = ()
    source: Source | None = _source()


@dataclass(frozen=True)
class Project:
    """Everything one document is made from."""

    config: Config
    files: ProjectFiles
    areas: tuple[Area, ...]
    warnings: tuple = field(default=())
    inputs: dict = field(default_factory=dict, compare=False, repr=False)  # path → the bytes read, once
    tables: dict = field(default_factory=dict, compare=False, repr=False)  # name → RawTable as read (koho export)
    provenance: object = field(default=None, compare=False, repr=False)  # an import's report.ingest.apply.Provenance

    def traced(self, problems: list) -> list:
        """Problems about an imported project's rows named at their source cells (report.ingest);
        the same problem of one source cell read into several rows is said once."""
        return problems if self.provenance is None else self.provenance.resolve_all(problems)

    def input_bytes(self, path: Path) -> bytes:
        """An input file's bytes as read when the project was loaded (never read again)."""
        return self.inputs[path] if path in self.inputs else path.read_bytes()

    @property
    def measures(self) -> tuple[Measure, ...]:
        return tuple(m for area in self.areas for m in area.measures)

    @property
    def fiscal_years(self) -> list[int]:
        return sorted({m.fiscal_year for measure in self.measures for m in measure.metrics})
