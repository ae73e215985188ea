"""The guard of every WeasyPrint extension (justify, line_adjust, copytext, page_refs): an
extension replaces WeasyPrint's functions only when their source is the code it was written
against. Each extension lists the SHA-256 of that source (its EXTENDED_SOURCE_SHA256, checked by a
test), asks `unchanged` before it installs, and otherwise leaves WeasyPrint as it is."""

from __future__ import annotations

import hashlib
import inspect
import logging
from collections.abc import Callable

LOGGER = logging.getLogger(__name__)


def source_sha256(function: Callable) -> str:
    """SHA-256 of a function's source (of the function it wraps, if it is a wrapper of ours:
    `inspect.getsource` follows `__wrapped__`)."""
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def unchanged(tested: dict[str, str], found: dict[str, str], otherwise: str) -> bool:
    """Whether the installed WeasyPrint's code is the code an extension was tested with (`tested`
    and `found`: SHA-256 of each function's source by name); if not, a warning says which
    functions differ and what koho does `otherwise`."""
    changed = [name for name, digest in found.items() if digest != tested[name]]
    if changed:
        LOGGER.warning("WeasyPrint's code differs from the tested version (%s): %s", ", ".join(changed), otherwise)
    return not changed
