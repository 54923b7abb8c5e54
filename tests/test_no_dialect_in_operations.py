"""No operation body names a database dialect (issue 17): an operation states what it reads,
judges and writes; which database it runs on is asked of ``portops.db`` (row locks, advisory
locks, an insert that ignores a conflict, the next id), and how its transaction ends is the
core's (``portops.ops.ending``), with PostgreSQL's fast path in ``portops/ops/fastpath_pg.py``,
the one module of ``portops/ops`` allowed to know about it."""

from __future__ import annotations

import re
from pathlib import Path

import portops.ops

OPS = Path(portops.ops.__file__).parent
ALLOWED = {"fastpath_pg.py"}
#: Lower case, as code spells them (prose may say PostgreSQL and SQLite).
WORDS = re.compile(r"postgresql|sqlite|dialect|psycopg")


def offences(root: Path) -> list[str]:
    found = []
    for path in sorted(root.glob("*.py")):
        if path.name in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WORDS.search(line):
                found.append(f"{path.name}:{number}: {line.strip()}")
    return found


def test_no_operation_module_names_a_database_dialect():
    assert offences(OPS) == []


def test_the_check_finds_a_dialect_named_in_an_operation(tmp_path):
    (tmp_path / "bad.py").write_text("if tx.conn.dialect.name == 'sqlite':\n    pass\n")
    (tmp_path / "fastpath_pg.py").write_text("import psycopg\n")
    (tmp_path / "good.py").write_text('"""On PostgreSQL and SQLite alike."""\n')
    assert offences(tmp_path) == ["bad.py:1: if tx.conn.dialect.name == 'sqlite':"]
