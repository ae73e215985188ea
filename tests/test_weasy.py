"""Importing WeasyPrint without cffi's library search (report/render/typeset/weasy.py): still needed, same result."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

PROBE = textwrap.dedent("""
    import ctypes.util, json, sys
    searched = []
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: searched.append(name) or search(name)
    if sys.argv[1] == "koho":
        from report.render.typeset.weasy import load
        load()
    else:
        import weasyprint
    from weasyprint.text import ffi
    loaded = sorted({line.split()[-1] for line in open("/proc/self/maps")
                     if any(n in line for n in ("libpango", "libharfbuzz", "libfontconfig", "libgobject"))})
    print(json.dumps({"searched": searched, "loaded": loaded, "pango": ffi.pango.pango_version()}))
""")


def probe(how: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, how], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_weasyprint_still_searches_and_koho_skips_it_for_the_same_libraries() -> None:
    plain, koho = probe("plain"), probe("koho")
    assert plain["searched"], "WeasyPrint no longer asks find_library: report/render/typeset/weasy.py can go"
    assert koho["searched"] == []
    assert koho["loaded"] == plain["loaded"] and koho["pango"] == plain["pango"]
