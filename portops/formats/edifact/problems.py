"""What an import tolerated: the problems found in a file that did not stop it.

Real messages from lines and stowage systems carry faults every production importer lives
with (a UNT count off by one, a VGM without a value, a 1984 size/type code, a mistyped check
digit). Refusing the whole file for those leaves the terminal without its bay plan; taking
them in silently hides them. So each problem has one of three outcomes:

* **fatal** (:data:`FATAL`): the file cannot be understood: an :class:`EdifactError` is
  raised, the import is refused and nothing is written (these never reach this list);
* **box** (:data:`BOX`): that box is skipped, or taken in flagged; the rest go in;
* **warning** (:data:`WARNING`): written as read, and reported.

Readers call :func:`note` where they tolerate something. Inside :func:`collecting` (what
``portops import`` and the console do) the problem is recorded and reading goes on; outside
it (a reader called on its own, a test) :func:`note` raises the :class:`EdifactError` as
before, so no caller tolerates anything without asking to.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from portops.formats.edifact.syntax import EdifactError, Segment, segment_place
from portops.i18n import N_, Said, Translate, localized_value

FATAL, BOX, WARNING = "fatal", "box", "warning"


@dataclass(frozen=True)
class Problem:
    """One problem of a file: ``kind`` (fatal / box / warning), ``where`` (``segment 12
    (EQD)``, or ``""`` for the file as a whole) and ``what`` (one sentence, English)."""

    kind: str
    where: str
    what: str
    segment: int | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.what}" if self.where else self.what

    def localized(self, translate: Translate) -> str:
        """``str()`` in ``translate``'s language (``where`` and ``what`` are :class:`Said`
        when :func:`note` recorded them)."""
        if not self.where:
            return str(localized_value(self.what, translate))
        return Said(N_("{where}: {what}"), where=self.where, what=self.what).localized(translate)


_FOUND: ContextVar[list[Problem] | None] = ContextVar("edifact_problems", default=None)


@contextmanager
def collecting() -> Iterator[list[Problem]]:
    """Tolerate box problems and warnings inside; yields the list they are recorded in
    (nested calls share the outer list)."""
    outer = _FOUND.get()
    if outer is not None:
        yield outer
        return
    found: list[Problem] = []
    token = _FOUND.set(found)
    try:
        yield found
    finally:
        _FOUND.reset(token)


def tolerating() -> bool:
    return _FOUND.get() is not None


def note(kind: str, seg: Segment | None, what: str, outcome: str = "", *,
         number: int | None = None) -> None:
    """Record a box problem or a warning at ``seg`` (``what``, then ``outcome``: what the
    import does about it); raise ``what`` as an error when nobody is collecting."""
    assert kind in (BOX, WARNING), kind
    found = _FOUND.get()
    if found is None:
        if seg is None:
            raise EdifactError(what, number)
        raise seg.error(what)
    where: str
    if seg is not None:
        where, number = Said(N_("segment {number} ({tag})"), number=seg.number,
                             tag=seg.tag), seg.number
    else:
        where = segment_place(number) if number is not None else ""
    found.append(Problem(kind, where, Said(N_("{what}; {outcome}"), what=what, outcome=outcome)
                         if outcome else what, number))


def counts(problems: list[Problem]) -> dict[str, int]:
    """How many problems of each kind (for a summary line)."""
    out: dict[str, int] = {}
    for p in problems:
        out[p.kind] = out.get(p.kind, 0) + 1
    return out
