"""Path confinement shared by the renderer's fetcher and the template and style lookup."""

from __future__ import annotations

import os
from pathlib import Path


def inside(path: Path, roots: list[Path]) -> bool:
    """Whether `path`, with every `..` and symbolic link resolved, is in one of the folders."""
    real = Path(os.path.realpath(path))
    return any(real.is_relative_to(os.path.realpath(root)) for root in roots)
