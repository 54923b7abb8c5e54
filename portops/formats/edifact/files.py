"""EDIFACT files on disk: decoding, recognising the message type, and errors for ``portops
import`` (``bayplan.edi: segment 1234 (EQD): ...``)."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from portops.formats.edifact.problems import collecting
from portops.formats.edifact.syntax import EdifactError
from portops.i18n import N_, Said

#: The largest message file ``portops import`` reads (as for YAML files): read as a stream,
#: a message peaks at under 5x its size (benchmarks/edifact.py), so at most ~100 MB.
MAX_BYTES = 20 * 1024 * 1024

_UNH = re.compile(rb"UNH.(?:[^'\n]{0,40}?).([A-Z]{6})[:+]")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it is, else Latin-1 (UNOA/UNOB/UNOC files)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def encoding_of(path: str | Path) -> str:
    """``utf-8-sig`` when the whole file is UTF-8 (with or without BOM), else ``latin-1``
    (UNOA/UNOB/UNOC files), as :func:`decode` decides, read a block at a time (the file is
    then read again as a stream: the decision needs its last byte)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as fh:
        try:
            while block := fh.read(1 << 16):
                decoder.decode(block)  # the text is dropped: only whether it decodes
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "latin-1"
    return "utf-8-sig"


def message_type(head: bytes) -> str | None:
    """The message type (``BAPLIE``...) of a file that starts like EDIFACT, else ``None``."""
    start = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    if not start.startswith((b"UNA", b"UNB", b"UNH")):
        return None
    match = _UNH.search(head)
    return match.group(1).decode("ascii") if match else None


def sniffer(kind: str) -> Callable[[Path, bytes], bool]:
    """A ``registry.register`` sniff function for one message type."""
    return lambda path, head: message_type(head) == kind


def parser(reader: Callable[[TextIO, str], Any], key: str) -> Callable[[str], dict[str, Any]]:
    """A ``registry.register`` parse function: read the file with ``reader`` (given the open
    text file, which it reads as a stream: see ``interchange.open_interchange``) and give the
    operation ``{key: <records>, "source": path}`` plus ``"problems"``: what the reading
    tolerated (``problems.Problem``; the registry keeps them on the prepared file, the
    operation never sees them). A fatal error becomes one ``SourceError``."""
    from portops.formats.yamlsrc import SourceError

    def parse(path: str) -> dict[str, Any]:
        try:
            size = Path(path).stat().st_size
            if size > MAX_BYTES:  # refused before reading
                raise SourceError(path, None, Said(N_("is {size:.0f} MB; portops reads messages "
                                                      "up to {MAX_BYTES} MB (a 20,000-box bay "
                                                      "plan is about 4 MB): split the "
                                                      "interchange"),
                                                   size=size / 2**20, MAX_BYTES=MAX_BYTES // 2**20))
            encoding = encoding_of(path)
            # read as a stream: the file's text is never whole in memory (a block at a time)
            with open(path, encoding=encoding, newline="") as fh:
                try:
                    with collecting() as found:
                        records = reader(fh, "")
                except EdifactError as exc:
                    raise SourceError(path, None, exc.said()) from None
        except OSError as exc:
            raise SourceError(path, None, Said(N_("cannot be read: {strerror}"),
                                               strerror=exc.strerror)) from None
        # in the file's order (a reader that checks the envelope first finds UNT's count
        # before the boxes above it)
        found.sort(key=lambda p: p.segment or 0)
        return {key: records, "source": path, "problems": found}

    return parse


def not_read(head: bytes) -> str | None:
    """Why an EDIFACT file no importer claimed is refused: the message type it holds
    (``an ORDERS message, not one portops reads``), or ``None`` if it is not EDIFACT."""
    kind = message_type(head)
    if kind is None:
        start = head.lstrip(b"\xef\xbb\xbf \r\n\t")
        if not start.startswith((b"UNA", b"UNB", b"UNH")):
            return None
        return Said(N_("is an EDIFACT file without a readable message header (UNH)"))
    if kind[0] in "AEIOU":
        return Said(N_("holds an {kind} message, not one portops reads"), kind=kind)
    return Said(N_("holds a {kind} message, not one portops reads"), kind=kind)
