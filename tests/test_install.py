"""``pip install .`` (not ``-e``): the installed package works outside the checkout.

The demo's files once lay in the checkout's ``schedules/`` only, so ``portops init --demo``
ended in a traceback (``…/site-packages/schedules/demo/layout.yaml: no such file``) for anyone
who installed portops the ordinary way. Here the wheel is built as pip builds it, installed
into a fresh virtual environment (its dependencies taken from this one, nothing downloaded
but the build backend pip fetches for any ``pip install .``), and run from elsewhere.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _run(*cmd: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PORTOPS_DB", "PORTOPS_USER", "PORTOPS_LANG")}
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A venv holding the built wheel (not the checkout); returns its bin directory."""
    tmp = tmp_path_factory.mktemp("install")
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp / "wheel",
                 ROOT, cwd=tmp)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (tmp / "wheel").glob("portops-*.whl")
    venv = tmp / "venv"
    made = _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp)
    assert made.returncode == 0, made.stderr
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                     cwd=tmp).stdout.strip())
    # The dependencies: this environment's site-packages, as a plain path (its own .pth
    # files, among them the editable install of the checkout, are not run from there).
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    put = _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-index",
               "--no-deps", "-q", wheel, cwd=tmp)
    assert put.returncode == 0, put.stderr[-3000:]
    return bin_dir


def test_installed_package_is_not_the_checkout(installed, tmp_path):
    out = _run(installed / "python", "-c", "import portops; print(portops.__file__)",
               cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert not out.stdout.strip().startswith(str(ROOT)), out.stdout


def test_installed_package_has_its_data(installed, tmp_path):
    """What the console and the importers read at run time is in the wheel."""
    check = ("from importlib.resources import files; p = files('portops'); "
             "names = ['data/checklists.yaml', 'data/demo/layout.yaml', "
             "'data/demo/schedule.yaml', 'ui/portops.tcss', "
             "'locale/zh_CN/LC_MESSAGES/portops.mo']; "
             "print([n for n in names if not p.joinpath(n).is_file()])")
    out = _run(installed / "python", "-c", check, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_installed_version_and_demo(installed, tmp_path):
    version = _run(installed / "portops", "--version", cwd=tmp_path)
    assert version.returncode == 0, version.stderr
    assert re.fullmatch(r"portops \S+\n", version.stdout)
    db = tmp_path / "demo.db"
    init = _run(installed / "portops", "init", "--demo", "--db", db, cwd=tmp_path)
    assert init.returncode == 0, init.stderr[-3000:]
    assert "Traceback" not in init.stderr
    assert re.search(r"demo terminal as of .*: \d+ visits", init.stdout), init.stdout
    events = _run(installed / "portops", "events", "--db", db, "--limit", "3", cwd=tmp_path)
    assert events.returncode == 0 and events.stdout.strip(), events.stderr


def test_portops_never_imports_pydifact():
    """pydifact is a test extra only (a cross-check of the EDIFACT tokenizer)."""
    uses = [str(p.relative_to(ROOT)) for p in (ROOT / "portops").rglob("*.py")
            if re.search(r"^\s*(import|from)\s+pydifact", p.read_text(), re.M)]
    assert uses == []
