"""Reading the data rows of a CSV feed the same way for every feed (manifest, releases).

Blank rows are skipped; a row with the wrong number of fields becomes a ``SourceError`` for its
line and is left out; every other row comes back as ``(line number, {column: stripped value})``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from portops.formats.yamlsrc import SourceError
from portops.i18n import N_, Said

#: The longest field Python's csv module reads (its default limit). No field of a feed is
#: near it; a file that has one is not the feed it claims to be.
FIELD_LIMIT = csv.field_size_limit()


def reader(text: str, delimiter: str, source: str) -> Iterator[list[str]]:
    """``csv.reader`` over ``text``, whose own errors (a field over the size limit, a line
    break inside an unquoted field) become one ``SourceError`` naming the line, instead of a
    traceback: the file is refused and nothing is written."""
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SourceError(source, max(rows.line_num, 1), _sentence(str(exc))) from None
        yield row


def _sentence(error: str) -> str:
    if "field larger than field limit" in error:
        return Said(N_("has a field longer than {limit:,} characters; no field of this feed "
                       "is that long: is it the right file?"), limit=FIELD_LIMIT)
    if "new-line character seen in unquoted field" in error:
        return Said(N_("has a line break (a carriage return) inside a field that is not in "
                       "quotes; put the field in double quotes or remove the line break"))
    return Said(N_("cannot be read as CSV ({error})"), error=error)


def records(source: str, names: list[str], rows: Iterable[list[str]],
            errors: list[SourceError]) -> Iterator[tuple[int, dict[str, str]]]:
    for number, row in enumerate(rows, start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(names):
            errors.append(SourceError(source, number, Said(N_("has {row} fields, the header has "
                                                              "{names}"),
                                                           row=len(row), names=len(names))))
            continue
        yield number, {n: c.strip() for n, c in zip(names, row, strict=True)}
