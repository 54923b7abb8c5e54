"""The UN/EDIFACT syntax layer: text to segments and back, fast.

pydifact reads a message one character at a time in Python, which takes ~10 s for a
20,000-box BAPLIE. Here the text is cut with ``str.split`` wherever no release character
occurs (nearly always) and with one compiled regular expression where one does, so the same
file tokenizes in a fraction of a second. pydifact stays in the tests as a cross-check.

Every segment carries its number in the interchange (``UNB`` is segment 1), so that readers
can refuse a message with ``bayplan.edi: segment 1234 (EQD): ...``.
"""

from __future__ import annotations

import gc
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from portops.i18n import N_, Said

__all__ = [
    "DEFAULT", "EdifactError", "EdifactText", "Segment", "Separators", "interchange_text",
    "iter_segments", "serialize", "tokenize",
]

def segment_place(number: int, tag: str = "") -> Said:
    """``segment 12 (EQD)``, or ``segment 12`` without a tag: where in a message."""
    if tag:
        return Said(N_("segment {number} ({tag})"), number=number, tag=tag)
    return Said(N_("segment {number}"), number=number)


#: EDIFACT text as the readers take it: a string, or an open text file read as a stream.
EdifactText = str | TextIO


def _printable(text: str) -> str:
    """One line, whatever a damaged file put into a value (``\\n``, ``\\x1e`` shown escaped)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class EdifactError(ValueError):
    """A message that cannot be accepted: where (file, segment number and tag) and why."""

    def __init__(self, reason: str, segment: int | None = None, tag: str = "",
                 source: str = ""):
        self.reason, self.segment, self.tag, self.source = reason, segment, tag, source
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.segment is not None:
            where.append(f"segment {self.segment}" + (f" ({self.tag})" if self.tag else ""))
        # the tag too comes from the file, so a damaged one may hold a line break
        return _printable(": ".join([*where, self.reason]))

    def said(self) -> Said:
        """The same text as ``str()``, kept as templates and values (see :class:`Said`): where
        and why, each translatable where it is shown."""
        reason: str = self.reason
        if not reason.isprintable():
            reason = _printable(reason)
        if self.segment is not None:
            reason = Said(N_("{place}: {reason}"),
                          place=segment_place(self.segment, _printable(self.tag)), reason=reason)
        if self.source:
            reason = Said("{source}: {reason}", source=self.source, reason=reason)
        return reason if isinstance(reason, Said) else Said(reason)

    def at(self, source: str) -> EdifactError:
        """The same error, naming the file it came from."""
        self.source = source
        self.args = (str(self),)
        return self


@dataclass(frozen=True)
class Separators:
    """The service characters (UNA): component, element, decimal, release, repetition, segment."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = " "
    segment: str = "'"

    @property
    def una(self) -> str:
        return ("UNA" + self.component + self.element + self.decimal + self.release
                + self.repetition + self.segment)


DEFAULT = Separators()
_TAG = re.compile(r"^[A-Z][A-Z0-9]{2}$")


class Segment:
    """One segment: its tag, its data elements (each a list of components) and its number.

    ``seg[i]`` is data element ``i`` (0 = the first after the tag) as a list of components;
    ``seg.get(i, j)`` is component ``j`` of element ``i`` or ``""`` when absent.

    The tokenizer stores an element without release characters as its text and splits it into
    components only when asked: most elements are read once or never, and one string per
    element instead of one list is a third of the objects to build (and to collect).
    """

    __slots__ = ("_comp", "_els", "number", "tag")

    def __init__(self, tag: str, elements: list, number: int = 0, component: str = ":"):
        self.tag = tag
        self._els = elements  # each a list of components, or unsplit text
        self.number = number
        self._comp = component

    @property
    def elements(self) -> list[list[str]]:
        comp = self._comp
        return [e.split(comp) if type(e) is str else e for e in self._els]

    def __getitem__(self, i: int) -> list[str]:
        els = self._els
        if i < len(els):
            e = els[i]
            return e.split(self._comp) if type(e) is str else e
        return []

    def get(self, i: int, j: int = 0) -> str:
        els = self._els
        if i < len(els):
            e = els[i]
            if type(e) is str:
                if j == 0:
                    k = e.find(self._comp)
                    return e if k < 0 else e[:k]
                e = e.split(self._comp)
            if j < len(e):
                return e[j]
        return ""

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Segment) and self.tag == other.tag
                and _trim(self.elements) == _trim(other.elements))

    def __hash__(self) -> int:  # pragma: no cover - segments are not used as keys
        return hash(self.tag)

    def __repr__(self) -> str:
        return f"Segment({self.number}, {serialize_segment(self)!r})"

    def error(self, reason: str) -> EdifactError:
        """An error located at this segment."""
        return EdifactError(reason, self.number, self.tag)


def _trim(elements: list[list[str]]) -> list[list[str]]:
    """Drop trailing empty components and elements: ``A+B::+`` and ``A+B`` mean the same."""
    out = []
    for el in elements:
        comps = list(el)
        while comps and comps[-1] == "":
            comps.pop()
        out.append(comps)
    while out and not out[-1]:
        out.pop()
    return out


_SPLITTERS: dict[tuple[str, str], re.Pattern[str]] = {}


def _split_escaped(text: str, sep: str, rel: str) -> list[str]:
    """Split ``text`` on ``sep`` not released by ``rel``, keeping the escapes (regex, in C)."""
    rx = _SPLITTERS.get((sep, rel))
    if rx is None:
        rx = _SPLITTERS[(sep, rel)] = re.compile(
            f"(?:[^{re.escape(rel)}{re.escape(sep)}]|{re.escape(rel)}.)*", re.S)
    parts: list[str] = []
    pos, n = 0, len(text)
    while True:
        match = rx.match(text, pos)
        assert match is not None  # a starred pattern matches the empty string at least
        end = match.end()
        if end < n and text[end] != sep:  # a lone release character at the very end
            end = n
        parts.append(text[pos:end])
        if end >= n:
            return parts
        pos = end + 1
        if pos == n:
            parts.append("")
            return parts


def _unescape(text: str, rel: str) -> str:
    if rel not in text:
        return text
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch == rel and i + 1 < n:
            out.append(text[i + 1])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _service(text: str) -> tuple[Separators, int]:
    """The separators and where the segments start (after the UNA service string advice).

    An offset, not the rest of the text: slicing it off would copy the whole file."""
    start, n = 0, len(text)
    while start < n and text[start] in "\ufeff \r\n\t":
        start += 1
    if text.startswith("UNA", start):
        c = text[start + 3:start + 9]
        if len(c) < 6:
            raise EdifactError(Said(N_("the UNA service string advice is shorter than 9 "
                                       "characters")), 0,
                               "UNA")
        seps = Separators(c[0], c[1], c[2], c[3], c[4], c[5])
        specials = [seps.component, seps.element, seps.release, seps.segment]
        if len(set(specials)) != 4:
            raise EdifactError(Said(N_("UNA {text!r} uses one character for two purposes"),
                                    text=text[start:start + 9]), 0, "UNA")
        return seps, start + 9
    return DEFAULT, start


#: How much text is cut at a time: big enough for ``str.split`` to do the work, small enough
#: that a whole file's segment texts never exist at once.
CHUNK = 1 << 16


def _blocks(source: str | TextIO) -> Iterator[str]:
    """The text a block at a time: slices of a string, or reads from an open text file (so
    that the file's text is never whole in memory)."""
    size = CHUNK
    if isinstance(source, str):
        for i in range(0, len(source), size):
            yield source[i:i + size]
    else:
        while block := source.read(size):
            yield block


def _released(piece: str, rel: str) -> bool:
    """Whether the terminator after ``piece`` is released: an odd run of release characters
    ends it (``??`` is a released ``?``, ``???`` a released one and a release)."""
    return (len(piece) - len(piece.rstrip(rel))) % 2 == 1


def _cut(body: str, term: str) -> str:
    """What to split ``body`` at: the terminator with the line break that follows every one
    of them, when one does (most files hold one segment a line), so that no segment needs
    its line break stripped (a new string each); else the terminator alone."""
    n = body.count(term)
    for cut in (term + "\n", term + "\r\n"):
        if body.count(cut) == n:
            return cut
    return term


def _raw_segments(blocks: Iterator[str], term: str, rel: str) -> Iterator[list[str]]:
    """The segments' texts, without their terminators, a list per block of the file.

    Each block (with what the last one left after its last terminator) is cut with
    ``str.split`` at every terminator; where a piece ends with a released terminator (only
    possible where the release character occurs) it is joined to the next piece again, so one
    ``?'`` in a file no longer sends all of it down a slow path. Text after the last
    terminator that is not blank is an error."""
    rest = ""  # after the last terminator so far
    # the pieces (with the terminators between them) of a segment whose terminators so far
    # were released: joined once it ends, so that a segment of 100,000 '?'' costs one join
    held: list[str] | None = None
    count = 0
    escapes = rel != " "
    for block in blocks:
        text = rest + block if rest else block
        end = text.rfind(term)
        if end < 0:
            rest = text
            continue
        body, rest = text[:end], text[end + 1:]
        cut = _cut(body, term)
        parts = body.split(cut)
        if escapes and (held is not None or rel in text):
            joined: list[str] = []
            last = len(parts) - 1
            for i, p in enumerate(parts):
                released = p.endswith(rel) and _released(p, rel)
                if held is None and not released:
                    joined.append(p)
                    continue
                if held is None:
                    held = []
                held.append(p)
                if released:  # what separated it from the next piece belongs to the segment
                    held.append(cut if i < last else term)
                else:
                    joined.append("".join(held))
                    held = None
            parts = joined
        count += len(parts)
        yield parts
    if held is not None:
        rest = "".join(held) + rest
    if rest.strip("\r\n\t \x1a\x00"):
        tail = rest.strip()
        raise EdifactError(Said(N_("the text ends without a segment terminator {term!r} after "
                                   "{tail!r}"), term=term, tail=tail[:20]), count + 1,
                                   tail[:3] if _TAG.match(tail[:3]) else "")


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small lists.

    A 20,000-box bay plan is ~150,000 segments and ~500,000 lists, none of them cyclic; the
    collector would otherwise rescan them again and again (it triples the tokenizing time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _check_tag(tag: str, raw: str, number: int) -> None:
    if _TAG.match(tag):
        return
    shown = raw[:30] + ("..." if len(raw) > 30 else "")
    raise EdifactError(Said(N_("{shown!r} does not start with a segment tag (3 capital letters "
                               "or digits, e.g. EQD)"), shown=shown) if raw else
                       Said(N_("empty segment (two segment terminators in a row)")), number,
                       tag[:3] if _TAG.match(tag[:3]) else "")


def tokenize(text: str | TextIO) -> tuple[Separators, list[Segment]]:
    """Cut EDIFACT text into numbered segments (UNA is read, not returned)."""
    with paused_gc():
        seps, segments = iter_segments(text)
        return seps, list(segments)


def iter_segments(source: str | TextIO) -> tuple[Separators, Iterator[Segment]]:
    """The separators (read now: a bad UNA is refused at once) and the segments, made one at
    a time as they are asked for, from a string or an open text file: a reader that keeps
    only what it needs holds a block of text and one box's segments, not the file's (a
    20,000-box bay plan is ~150,000 segments)."""
    blocks = _blocks(source)
    first = ""
    for block in blocks:  # enough to see past leading blanks and a UNA
        first += block
        if len(first.lstrip("\ufeff \r\n\t")) >= 9:
            break
    seps, start = _service(first)
    return seps, _segments(itertools.chain((first[start:],), blocks), seps)


def _segments(blocks: Iterator[str], seps: Separators) -> Iterator[Segment]:
    comp, elem, rel = seps.component, seps.element, seps.release
    escapes = rel != " "
    tags: set[str] = set()  # tags already checked: one regex match per tag, not per segment
    number = 0
    elements: list[list[str]] | list[str]  # split into components, or each element's text
    for chunk in _raw_segments(blocks, seps.segment, rel):
        for raw in chunk:  # the hot loop
            number += 1
            if raw[:1] in "\r\n\t ":
                raw = raw.lstrip("\r\n\t ")
            if escapes and rel in raw:
                parts = _split_escaped(raw, elem, rel)
                elements = [[_unescape(c, rel) for c in _split_escaped(p, comp, rel)]
                            for p in parts[1:]]
                tag = _unescape(parts[0], rel)
            else:
                elements = raw.split(elem)
                tag = elements.pop(0)
            if tag not in tags:
                _check_tag(tag, raw, number)
                tags.add(tag)
            yield Segment(tag, elements, number, comp)


# -- serialising ---------------------------------------------------------------------------

def _escaper(seps: Separators):
    specials = {seps.release, seps.component, seps.element, seps.segment}
    table = str.maketrans({ch: seps.release + ch for ch in specials})

    def escape(value: str) -> str:
        return value.translate(table) if any(ch in value for ch in specials) else value

    return escape


def serialize_segment(segment: Segment | Sequence, seps: Separators = DEFAULT) -> str:
    """One segment as text, without its terminator (trailing empty parts dropped).

    A ``str`` is taken as segment text already escaped (a segment kept from a read message)."""
    if isinstance(segment, str):
        return segment
    escape = _escaper(seps)
    if isinstance(segment, Segment):
        tag, elements = segment.tag, segment.elements
    else:
        tag, elements = segment[0], [_as_components(e) for e in segment[1:]]
    parts = [tag] + [seps.component.join(escape(str(c)) for c in comps)
                     for comps in _trim(elements)]
    return seps.element.join(parts)


def _as_components(element) -> list[str]:
    if element is None:
        return []
    if isinstance(element, list | tuple):
        return ["" if c is None else str(c) for c in element]
    return [str(element)]


def serialize(segments: Iterable[Segment | Sequence], seps: Separators = DEFAULT, *,
              una: bool = True, newline: bool = True) -> str:
    """Segments as EDIFACT text. A plain segment may be given as ``("EQD", "CN", [a, b])``:
    a string is a simple element, a list or tuple the components of a composite one."""
    end = seps.segment + ("\n" if newline else "")
    body = end.join(serialize_segment(s, seps) for s in segments) + end
    return (seps.una + ("\n" if newline else "") + body) if una else body


def interchange_text(bodies: Sequence[tuple[tuple[str, ...], list]], *, sender: str,
                     recipient: str, control_ref: str, prepared: datetime) -> str:
    """A whole interchange: UNA, UNB, one UNH..UNT per ``(message identifier, body)``, UNZ.

    ``message identifier`` is e.g. ``("BAPLIE", "D", "95B", "UN", "SMDG22")``; UNT's segment
    count is worked out here."""
    when = prepared.astimezone(UTC)
    segments: list = []
    for i, (ident, body) in enumerate(bodies, start=1):
        segments.append(("UNH", str(i), list(ident)))
        segments.extend(body)
        segments.append(("UNT", str(len(body) + 2), str(i)))
    segments.append(("UNZ", str(len(bodies)), control_ref))
    text = serialize(segments, una=False)
    # Latin-1 text goes as UNOC (syntax 3); anything else (a Chinese plate or name) as UTF-8.
    try:
        text.encode("latin-1")
        charset = ["UNOC", "3"]
    except UnicodeEncodeError:
        charset = ["UNOW", "4"]
    return serialize([unb_segment(charset, sender, recipient, when, control_ref)]) + text


def unb_segment(charset: list[str], sender: str, recipient: str, when: datetime,
                control_ref: str) -> tuple:
    """UNB: syntax version 4 (ISO 9735:1998) dates the interchange CCYYMMDD, 1 to 3 YYMMDD."""
    day = when.strftime("%Y%m%d" if charset[1] >= "4" else "%y%m%d")
    return ("UNB", charset, sender or "PORTOPS", recipient or "UNKNOWN",
            [day, when.strftime("%H%M")], control_ref)
