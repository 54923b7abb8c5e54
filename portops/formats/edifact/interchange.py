"""The interchange envelope (UNB, UNH..UNT, UNZ), read as a stream of messages.

:func:`open_interchange` reads the ``UNB`` and then gives each message with an iterator over
its segments, made as the reader asks for them (``syntax.iter_segments``): a reader that
keeps records, not segments, holds one box's segments at a time. A 20,000-box bay plan read
through :func:`parse` (every segment kept) peaked at ~23x the file's size; read as a stream,
under 5x (``benchmarks/edifact.py``).

The envelope's faults are found as the stream passes them: a UNT or UNZ count or reference
that disagrees is a warning (``problems``), a message without UNT, segments outside a message
or after UNZ are refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from portops.formats.edifact.syntax import (
    EdifactError,
    EdifactText,
    Segment,
    Separators,
    iter_segments,
    paused_gc,
)
from portops.i18n import N_, Said

__all__ = ["Interchange", "Message", "open_interchange", "parse"]


@dataclass
class Message:
    """One UNH..UNT message: its reference, type identifier and its segments (UNH/UNT too;
    from :func:`open_interchange`, only the UNH: the rest is streamed)."""

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


def parse(text: EdifactText, source: str = "") -> Interchange:
    """Tokenize and check the envelope: UNB, UNH/UNT pairs with matching references and
    segment counts, UNZ. A bare message without UNB is accepted too. Every segment is kept
    (``Interchange.messages``); readers of large files use :func:`open_interchange`."""
    try:
        with paused_gc():
            inter, messages = open_interchange(text)
            for message, body in messages:
                message.segments[1:1] = list(body)
                inter.messages.append(message)
        return inter
    except EdifactError as exc:
        if source:
            exc.at(source)
        raise


def open_interchange(text: EdifactText
                     ) -> tuple[Interchange, Iterator[tuple[Message, Iterator[Segment]]]]:
    """The interchange's UNB (read now) and its messages, each with its body segments as an
    iterator to be read before the next message is asked for (what is left is skipped).
    ``Interchange.messages`` stays empty: nothing is kept."""
    seps, segments = iter_segments(text)
    first = next(segments, None)
    if first is None:
        raise EdifactError(Said(N_("the file holds no EDIFACT segments")))
    inter = Interchange(seps, "", "", "", "", "")
    if first.tag == "UNB":
        from portops.formats.edifact.problems import WARNING, note

        inter.syntax = first.get(0)
        inter.sender = first.get(1)
        inter.recipient = first.get(2)
        inter.prepared = ":".join(first[3])
        inter.control_ref = first.get(4)
        if not inter.control_ref:
            note(WARNING, first, Said(N_("UNB has no interchange control reference")),
                 Said(N_("read without one")))
        pending = None
    elif first.tag == "UNH":
        pending = first
    else:
        raise first.error(Said(N_("an interchange starts with UNA, UNB or UNH")))
    return inter, _messages(inter, first, pending, segments)


class _End:
    """Where a message's body stopped: its UNT, the last segment number seen."""

    __slots__ = ("last", "unt")

    def __init__(self, last: int):
        self.unt: Segment | None = None
        self.last = last


def _messages(inter: Interchange, first: Segment, pending: Segment | None,
              segments: Iterator[Segment]) -> Iterator[tuple[Message, Iterator[Segment]]]:
    from portops.formats.edifact.problems import WARNING, note

    count, last = 0, first.number
    while True:
        seg = pending if pending is not None else next(segments, None)
        pending = None
        if seg is None:
            if first.tag == "UNB":
                raise EdifactError(Said(N_("the interchange ends without UNZ (file cut short?)")),
                                   last + 1)
            break
        last = seg.number
        tag = seg.tag
        if tag == "UNH":
            message = _message(seg)
            end = _End(last)
            body = _body(message, segments, end)
            yield message, body
            for _ in body:  # what the reader left
                pass
            last = end.last
            count += 1
        elif tag == "UNT":
            raise seg.error(Said(N_("UNT without a UNH before it")))
        elif tag == "UNZ":
            if inter.control_ref and seg.get(1) != inter.control_ref:
                note(WARNING, seg, Said(N_("UNZ reference {seg!r} does not match UNB reference "
                                           "{control_ref!r}"),
                                        seg=seg.get(1), control_ref=inter.control_ref))
            declared = seg.get(0)
            if declared != str(count):
                said = Said(N_("UNZ says the interchange has {value} messages but it has "
                               "{count}"), value=declared, count=count) if declared else \
                    Said(N_("UNZ says the interchange has no messages but it has {count}"),
                         count=count)
                note(WARNING, seg, said, Said(N_("read as it stands")))
            after = next(segments, None)
            if after is not None:
                raise after.error(Said(N_("segments after UNZ")))
            break
        elif tag in ("UNG", "UNE"):
            continue  # functional groups: rare in port messages; their content is the messages
        else:
            raise seg.error(Said(N_("{tag} outside a message (no UNH before it)"), tag=tag))
    if not count:
        raise EdifactError(Said(N_("the interchange holds no message (UNH..UNT)")))


def _message(seg: Segment) -> Message:
    ident = seg[1]
    if not seg.get(0) or len(ident) < 1 or not ident[0]:
        raise seg.error(Said(N_("UNH needs a message reference and a message type (e.g. "
                                "UNH+1+BAPLIE:D:95B:UN:SMDG22)")))
    ident = ident + [""] * (5 - len(ident))
    return Message(seg.get(0), ident[0], ident[1], ident[2], ident[3], ident[4], [seg])


def _body(message: Message, segments: Iterator[Segment], end: _End) -> Iterator[Segment]:
    from portops.formats.edifact.problems import WARNING, note

    counted = 1
    for seg in segments:
        end.last = seg.number
        tag = seg.tag
        if tag == "UNT":
            counted += 1
            declared = seg.get(0)
            # compared as text: a count of 5,000 digits is no int() Python converts
            if not declared.isdigit() or declared.lstrip("0") != str(counted):
                said = Said(N_("UNT says message {ref!r} has {value} segments but it has "
                               "{counted}"), ref=message.ref, value=declared,
                            counted=counted) if declared else \
                    Said(N_("UNT says message {ref!r} has no segments but it has {counted}"),
                         ref=message.ref, counted=counted)
                note(WARNING, seg, said, Said(N_("read as it stands")))
            if seg.get(1) != message.ref:
                note(WARNING, seg, Said(N_("UNT reference {seg!r} does not match UNH reference "
                                           "{ref!r}"), seg=seg.get(1), ref=message.ref))
            message.segments.append(seg)
            end.unt = seg
            return
        if tag == "UNH":
            raise seg.error(Said(N_("message {ref!r} has no UNT before the next UNH"),
                                 ref=message.ref))
        if tag == "UNZ":
            raise seg.error(Said(N_("message {ref!r} has no UNT before UNZ"), ref=message.ref))
        if tag in ("UNG", "UNE"):
            continue
        counted += 1
        yield seg
    raise EdifactError(Said(N_("message {ref!r} ends without UNT (file cut short?)"),
                            ref=message.ref),
                       end.last + 1)
