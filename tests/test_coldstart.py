"""A cold build imports only what its stages need: charts drawn on a second core while WeasyPrint
is imported, no matplotlib in the process that lays out (pandas holds the tables as read)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from charts.cache import SUFFIX

from .conftest import copy_project

PROBE = """
import json, sys
from report.commands.build import build
result = build(sys.argv[1], output=sys.argv[2])
print(json.dumps({"pages": result.pages, "modules": sorted(m for m in ("matplotlib", "pandas", "weasyprint")
                                                          if m in sys.modules)}))
"""


def test_a_cold_build_draws_its_charts_in_a_worker_and_never_imports_matplotlib(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    cache = tmp_path / "cache"
    done = subprocess.run([sys.executable, "-c", PROBE, str(project), str(tmp_path / "out.pdf")],
                          env={**os.environ, "KOHO_CACHE_DIR": str(cache)}, capture_output=True, text=True,
                          check=True)
    found = json.loads(done.stdout.splitlines()[-1])
    assert found == {"pages": 2, "modules": ["pandas", "weasyprint"]}
    assert len(list((cache / "charts").glob("*" + SUFFIX))) >= 4  # drawn by the worker, stored for next time
