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
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

__all__ = [
    "DEFAULT", "EdifactError", "Interchange", "Message", "Segment", "Separators",
    "interchange_text", "parse", "serialize", "tokenize",
]


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
        end = rx.match(text, pos).end()
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


def _service(text: str) -> tuple[Separators, str]:
    """The separators and the text after the UNA service string advice, if any."""
    stripped = text.lstrip("\ufeff \r\n\t")
    if stripped.startswith("UNA"):
        if len(stripped) < 9:
            raise EdifactError("the UNA service string advice is shorter than 9 characters", 0,
                               "UNA")
        c = stripped[3:9]
        seps = Separators(c[0], c[1], c[2], c[3], c[4], c[5])
        specials = [seps.component, seps.element, seps.release, seps.segment]
        if len(set(specials)) != 4:
            raise EdifactError(f"UNA {stripped[:9]!r} uses one character for two purposes", 0,
                               "UNA")
        return seps, stripped[9:]
    return DEFAULT, stripped


def _split_segments(body: str, seps: Separators) -> list[str]:
    term, rel = seps.segment, seps.release
    plain = rel == " " or rel not in body
    raw = body.split(term) if plain else _split_escaped(body, term, rel)
    last = raw.pop()
    if last.strip("\r\n\t \x1a\x00"):
        tail = last.strip()
        raise EdifactError(f"the text ends without a segment terminator {term!r} after "
                           f"{tail[:20]!r}", len(raw) + 1,
                           tail[:3] if _TAG.match(tail[:3]) else "")
    return raw


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
    raise EdifactError(f"{shown!r} does not start with a segment tag (3 capital letters or "
                       "digits, e.g. EQD)" if raw else
                       "empty segment (two segment terminators in a row)", number,
                       tag[:3] if _TAG.match(tag[:3]) else "")


def tokenize(text: str) -> tuple[Separators, list[Segment]]:
    """Cut EDIFACT text into numbered segments (UNA is read, not returned)."""
    with paused_gc():
        return _tokenize(text)


def _tokenize(text: str) -> tuple[Separators, list[Segment]]:
    seps, body = _service(text)
    comp, elem, rel = seps.component, seps.element, seps.release
    escapes = rel != " " and rel in body
    segments: list[Segment] = []
    append = segments.append
    tags: set[str] = set()  # tags already checked: one regex match per tag, not per segment
    for number, raw in enumerate(_split_segments(body, seps), start=1):
        if raw[:1] in "\r\n\t ":
            raw = raw.lstrip("\r\n\t ")
        if escapes and rel in raw:
            parts = _split_escaped(raw, elem, rel)
            elements = [[_unescape(c, rel) for c in _split_escaped(p, comp, rel)]
                        for p in parts[1:]]
            tag = _unescape(parts[0], rel)
        else:
            parts = raw.split(elem)
            tag = parts[0]
            elements = parts[1:]
        if tag not in tags:
            _check_tag(tag, raw, number)
            tags.add(tag)
        append(Segment(tag, elements, number, comp))
    return seps, segments


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


# -- interchange ---------------------------------------------------------------------------

@dataclass
class Message:
    """One UNH..UNT message: its reference, type identifier and its segments (UNH/UNT too)."""

    ref: str
    type: str
    version: str
    release: str
    agency: str
    association: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def body(self) -> list[Segment]:
        """The segments between UNH and UNT."""
        return self.segments[1:-1]


@dataclass
class Interchange:
    """A UNB..UNZ interchange: the envelope and its messages."""

    separators: Separators
    sender: str
    recipient: str
    prepared: str  # YYMMDD:HHMM as sent
    control_ref: str
    syntax: str
    messages: list[Message] = field(default_factory=list)


def _envelope_error(seg: Segment | None, reason: str, last: int) -> EdifactError:
    if seg is None:
        return EdifactError(reason, last)
    return seg.error(reason)


def parse(text: str, source: str = "") -> Interchange:
    """Tokenize and check the envelope: UNB, UNH/UNT pairs with matching references and
    segment counts, UNZ. A bare message without UNB is accepted too."""
    try:
        seps, segments = tokenize(text)
        return _interchange(seps, segments)
    except EdifactError as exc:
        if source:
            exc.at(source)
        raise


def _interchange(seps: Separators, segments: list[Segment]) -> Interchange:
    # the envelope's faults are warnings when the caller collects them (problems imports
    # this module, hence the late import: once per file)
    from portops.formats.edifact.problems import WARNING, note

    if not segments:
        raise EdifactError("the file holds no EDIFACT segments")
    first = segments[0]
    inter = Interchange(seps, "", "", "", "", "")
    i = 0
    if first.tag == "UNB":
        inter.syntax = first.get(0)
        inter.sender = first.get(1)
        inter.recipient = first.get(2)
        inter.prepared = ":".join(first[3])
        inter.control_ref = first.get(4)
        if not inter.control_ref:
            note(WARNING, first, "UNB has no interchange control reference",
                 "read without one")
        i = 1
    elif first.tag != "UNH":
        raise first.error("an interchange starts with UNA, UNB or UNH")
    current: Message | None = None
    n = len(segments)
    while i < n:
        seg = segments[i]
        tag = seg.tag
        if tag == "UNH":
            if current is not None:
                raise seg.error(f"message {current.ref!r} has no UNT before the next UNH")
            ident = seg[1]
            if not seg.get(0) or len(ident) < 1 or not ident[0]:
                raise seg.error("UNH needs a message reference and a message type "
                                "(e.g. UNH+1+BAPLIE:D:95B:UN:SMDG22)")
            ident = ident + [""] * (5 - len(ident))
            current = Message(seg.get(0), ident[0], ident[1], ident[2], ident[3], ident[4],
                              [seg])
        elif tag == "UNT":
            if current is None:
                raise seg.error("UNT without a UNH before it")
            current.segments.append(seg)
            declared = seg.get(0)
            counted = len(current.segments)
            if not declared.isdigit() or int(declared) != counted:
                note(WARNING, seg, f"UNT says message {current.ref!r} has {declared or 'no'} "
                     f"segments but it has {counted}", "read as it stands")
            if seg.get(1) != current.ref:
                note(WARNING, seg, f"UNT reference {seg.get(1)!r} does not match UNH "
                     f"reference {current.ref!r}")
            inter.messages.append(current)
            current = None
        elif tag == "UNZ":
            if current is not None:
                raise seg.error(f"message {current.ref!r} has no UNT before UNZ")
            if inter.control_ref and seg.get(1) != inter.control_ref:
                note(WARNING, seg, f"UNZ reference {seg.get(1)!r} does not match UNB "
                     f"reference {inter.control_ref!r}")
            declared = seg.get(0)
            if declared != str(len(inter.messages)):
                note(WARNING, seg, f"UNZ says the interchange has {declared or 'no'} messages "
                     f"but it has {len(inter.messages)}", "read as it stands")
            if i != n - 1:
                raise segments[i + 1].error("segments after UNZ")
            break
        elif tag in ("UNG", "UNE"):
            pass  # functional groups: rare in port messages; their content is the messages
        elif current is None:
            raise seg.error(f"{tag} outside a message (no UNH before it)")
        else:
            current.segments.append(seg)
        i += 1
    else:
        if current is not None:
            raise EdifactError(f"message {current.ref!r} ends without UNT (file cut short?)",
                               segments[-1].number + 1)
        if first.tag == "UNB":
            raise EdifactError("the interchange ends without UNZ (file cut short?)",
                               segments[-1].number + 1)
    if not inter.messages:
        raise EdifactError("the interchange holds no message (UNH..UNT)")
    return inter
