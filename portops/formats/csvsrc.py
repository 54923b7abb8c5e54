"""Reading the data rows of a CSV feed the same way for every feed (manifest, releases).

Blank rows are skipped; a row with the wrong number of fields becomes a ``SourceError`` for its
line and is left out; every other row comes back as ``(line number, {column: stripped value})``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from portops.formats.yamlsrc import SourceError


def records(source: str, names: list[str], rows: Iterable[list[str]],
            errors: list[SourceError]) -> Iterator[tuple[int, dict[str, str]]]:
    for number, row in enumerate(rows, start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(names):
            errors.append(SourceError(source, number, f"has {len(row)} fields, the header "
                                      f"has {len(names)}"))
            continue
        yield number, {n: c.strip() for n, c in zip(names, row, strict=True)}
