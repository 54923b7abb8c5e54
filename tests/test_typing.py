"""The model as type checkers see it matches the model as it loads (issue 17).

``portops.model`` loads each aggregate's module on first use (``MODULES``, ``__getattr__``),
which type checkers cannot follow: they read the ``if TYPE_CHECKING:`` imports beside it.
The two lists must name the same things, or a class is ``Any`` to mypy again (or a name mypy
accepts is missing at run time).
"""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys
import tomllib

import portops.model as model

SOURCE = pathlib.Path(model.__file__)


def type_checking_imports() -> dict[str, tuple[str, ...]]:
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If)
                 and isinstance(n.test, ast.Name) and n.test.id == "TYPE_CHECKING")
    return {stmt.module.removeprefix("portops.model."): tuple(a.name for a in stmt.names)
            for stmt in block.body if isinstance(stmt, ast.ImportFrom) and stmt.module}


def test_type_checkers_see_every_name_the_model_exports() -> None:
    seen = {m: sorted(names) for m, names in type_checking_imports().items()}
    assert seen == {m: sorted(names) for m, names in model.MODULES.items()}


def test_the_names_still_load_lazily() -> None:
    """The TYPE_CHECKING imports cost nothing at run time: importing the package loads no
    aggregate (the console's start depends on it, issue 3)."""
    code = ("import sys, portops.model as m\n"
            "print(sorted(k for k in sys.modules if k.startswith('portops.model.')))\n"
            "m.Container\n"
            "print('portops.model.containers' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[0] == "[]" and out[1] == "True"


def test_ci_type_checks_every_package_of_the_core() -> None:
    """CI's ``mypy`` checks what pyproject.toml's ``[tool.mypy] files`` names: the core's
    packages whole, so a module added to one is checked without being listed (issue 17). A
    list of files put back in their place would let a new module go unchecked."""
    pyproject = pathlib.Path(__file__).parents[1] / "pyproject.toml"
    files = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["mypy"]["files"]
    core = {"portops/model", "portops/ops", "portops/queries", "portops/planning",
            "portops/formats"}
    assert core <= set(files), sorted(core - set(files))
