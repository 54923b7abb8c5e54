"""CUSRES, the customs response: read (and write, for tests and demos).

Customs systems differ from country to country; this reads the common shape:

* a decision group starts at ``RFF+BM:<B/L>`` (every box on that bill of lading) or at
  ``EQD+CN+<container>`` (one box; an ``EQD`` right after an ``RFF+BM`` still belongs to that
  B/L's group and makes it a decision for that container);
* the decision is the status in ``GIS+<code>`` or ``STS+<type>+<code>``: ``1``, ``5``, ``6``,
  ``REL``, ``CLR`` release; ``2``, ``7``, ``8``, ``HLD``, ``HOLD`` hold. A status given before
  the first group (or the BGM document code 962 release / 963 hold) applies to groups
  without their own;
* ``RFF+ABT`` (or ``ABO``) is the customs declaration reference, ``DTM`` the time,
  ``FTX`` the reason given.
"""

from __future__ import annotations

from datetime import datetime

from portops.codes import CodeError, parse_container_number
from portops.formats.edifact import fields as f
from portops.formats.edifact.problems import BOX, note
from portops.formats.edifact.records import HOLD, RELEASE, CustomsDecision, CustomsResponse
from portops.formats.edifact.syntax import EdifactText, Segment
from portops.formats.yamlsrc import reason
from portops.i18n import N_, Said

_STATUS = {"1": RELEASE, "5": RELEASE, "6": RELEASE, "REL": RELEASE, "CLR": RELEASE,
           "2": HOLD, "7": HOLD, "8": HOLD, "HLD": HOLD, "HOLD": HOLD}
_BGM = {"962": RELEASE, "963": HOLD}
IDENTIFIER = ("CUSRES", "D", "95B", "UN")
#: The group of a box whose number or status cannot be read: its segments are read past.
_SKIPPED = CustomsDecision("")


def read_cusres(text: EdifactText, source: str = "") -> CustomsResponse:
    """Read a CUSRES interchange: one :class:`CustomsDecision` per B/L or container."""
    with f.reading(source):
        inter, messages = f.messages_of(text, "CUSRES")
        response = CustomsResponse(f.new_header(messages[0], inter))
        for message in messages:
            response.decisions += _read_message(message.body)
        if not response.decisions:
            raise messages[0].segments[0].error(
                Said(N_("the CUSRES names no container (EQD+CN) and no bill of lading (RFF+BM)")))
        return response


def _read_message(body: list[Segment]) -> list[CustomsDecision]:
    default, default_ref, default_at = "", "", None
    out: list[CustomsDecision] = []
    current: CustomsDecision | None = None
    explicit: set[int] = set()
    for seg in body:
        tag, q = seg.tag, seg.get(0)
        if tag == "BGM":
            default = _BGM.get(q, default)
        elif tag == "RFF" and q == "BM":
            current = CustomsDecision("", bl_number=seg.get(0, 1), segment=seg.number)
            out.append(current)
        elif tag == "EQD" and q == "CN":
            try:
                number = parse_container_number(seg.get(1))
            except CodeError as exc:  # that box's decision cannot be applied; the rest can
                note(BOX, seg, reason(exc), Said(N_("its customs decision is skipped")))
                if current is not None and current.bl_number and not current.container:
                    out = [d for d in out if d is not current]  # it was this box's group
                current = _SKIPPED
                continue
            if current is not None and current.bl_number and not current.container:
                current.container = number
            else:
                current = CustomsDecision("", container=number, segment=seg.number)
                out.append(current)
        elif current is _SKIPPED:
            continue
        elif tag in ("GIS", "STS"):
            code = seg.get(0) if tag == "GIS" else seg.get(1)
            if code not in _STATUS:
                what = Said(N_("customs status {code} is neither a release ({releases}) nor a "
                               "hold ({holds})"), code=code or "(none)",
                            releases=", ".join(k for k, v in _STATUS.items() if v == RELEASE),
                            holds=", ".join(k for k, v in _STATUS.items() if v == HOLD))
                if current is None:
                    raise seg.error(what)  # the message's own status: nothing can be read
                note(BOX, seg, what, Said(N_("that decision is skipped")))
                out = [d for d in out if d is not current]
                current = _SKIPPED
                continue
            if current is None:
                default = _STATUS[code]
            else:
                current.decision = _STATUS[code]
                explicit.add(id(current))
        elif tag == "RFF" and q in ("ABT", "ABO"):
            if current is None:
                default_ref = seg.get(0, 1)
            else:
                current.reference = seg.get(0, 1)
        elif tag == "DTM" and seg.get(0, 1):
            if current is None:
                default_at = f.read_datetime(seg)
            else:
                current.at = f.read_datetime(seg)
        elif tag == "FTX" and current is not None:
            text = ":".join(c for c in seg[3] if c)
            current.reason = f"{current.reason} {text}".strip()
    for d in out:
        if d is _SKIPPED:
            continue
        if id(d) not in explicit:
            if not default:
                raise f.EdifactError(Said(N_("no customs status (GIS/STS) for {value}"),
                                          value=d.container or 'B/L ' + d.bl_number), d.segment)
            d.decision = default
        d.reference = d.reference or default_ref
        d.at = d.at or default_at
    return out


def cusres_segments(response: CustomsResponse) -> list:
    body: list = [("BGM", "962", response.header.message_ref, "9")]
    if response.header.prepared:
        body.append(f.dtm("137", response.header.prepared))
    for d in response.decisions:
        if d.bl_number:
            body.append(("RFF", ["BM", d.bl_number]))
        if d.container:
            body.append(("EQD", "CN", d.container))
        body.append(("GIS", "1" if d.decision == RELEASE else "2"))
        if d.reference:
            body.append(("RFF", ["ABT", d.reference]))
        if d.at:
            body.append(f.dtm("9", d.at))
        if d.reason:
            body.append(("FTX", "AAO", "", "", [d.reason]))
    return body


def write_cusres(response: CustomsResponse, *, control_ref: str, prepared: datetime) -> str:
    return f.one_interchange(IDENTIFIER, response.header, cusres_segments(response),
                             control_ref=control_ref, prepared=prepared)
