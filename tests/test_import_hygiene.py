"""The core never imports Textual: it must run in importers, scripts and servers alone."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "portops", "portops.model", "portops.ops", "portops.db", "portops.schema", "portops.codes",
    "portops.flags", "portops.clock", "portops.cli",
]


def test_core_does_not_import_textual() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import portops\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "for info in pkgutil.walk_packages(portops.__path__, 'portops.'):\n"
        "    if info.name.startswith(('portops.ui', 'portops.migrations', "
        "'portops.web')) or info.name == 'portops.__main__':\n"
        "        continue\n"
        "    importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported Textual: {out.stdout.strip()}"
