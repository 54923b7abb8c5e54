"""Parties, the line's release and the right to collect it creates, and its hand-overs.

No bearer PINs (Antwerp's PIN thefts of 2011-13): the line's release names the party that
may collect; only the current holder passes the right on (forwarder, then the haulier that will
come); every hand-over is a row in ``right_handover`` and an event. Customs releases are plain
permissions (``permission.grant`` with CUSTOMS_IMPORT); a feed of them is imported with
:func:`import_releases` as one operation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import select

from portops.flags import FLAG_TYPES
from portops.formats import registry
from portops.formats.edifact import files
from portops.formats.releases import parse_csv_file, parse_cusres_file, sniff_csv
from portops.i18n import N_, Translate, as_is
from portops.model import (
    SYSTEM_USER,
    Category,
    CollectRight,
    Container,
    Flag,
    FlagState,
    PartyKind,
    RightHandover,
    RightState,
    Role,
    Where,
)
from portops.model.base import pk
from portops.ops.core import Term, Tx, operation
from portops.ops.gate_checks import active_container, party_by_code
from portops.ops.parties import register_party  # noqa: F401  (its old home; callers import it here)
from portops.ops.report import counted

_RELEASERS = (Role.DISPATCHER,)
#: Who may hold the right to collect an import box (not a line, a shipper or an agent).
COLLECTORS = frozenset({PartyKind.CONSIGNEE, PartyKind.FORWARDER, PartyKind.HAULIER})


def _boxes(tx: Tx, container: str | None, bl_number: str | None) -> list[Container]:
    q = select(Container).where(Container.location != Where.GONE)
    if container:
        q = q.where(Container.number == container.strip().upper())
    elif bl_number:
        q = q.where(Container.bl_number == bl_number.strip())
    else:
        tx.fail("release.subject", N_("a release names a container or a bill of lading"),
                N_("enter the container number or the B/L"))
    boxes = list(tx.session.exec(q))
    if not boxes:
        what = container or f"B/L {bl_number}"
        tx.fail("release.no_containers",
                N_("no container at or expected at the terminal matches {what}"),
                N_("check the number; the manifest may not be in yet"), what=what)
    return boxes


def _line_release(tx: Tx, line: str, to_party: str, reference: str, container: str | None,
                  bl_number: str | None) -> list[int]:
    """The body of ``release.line``, shared with the feed import."""
    boxes = _boxes(tx, container, bl_number)
    line_p, holder = party_by_code(tx.session, line), party_by_code(tx.session, to_party)
    tx.rule(line_p is not None and line_p.kind == PartyKind.LINE, "release.line.unknown",
            N_("{line!r} is not a registered shipping line"), N_("register the line as a party"),
            line=line)
    tx.rule(holder is not None and holder.kind in COLLECTORS and holder.active,
            "release.party.unknown",
            N_("{to_party!r} is not a registered consignee, forwarder or haulier"),
            N_("register the party with its identity first"), to_party=to_party)
    tx.rule(reference.strip(), "release.reference", N_("a line release needs its reference"),
            N_("enter the release (delivery order) number"))
    for c in boxes:
        tx.rule(c.category == Category.IMPORT, "release.not_import",
                N_("{number} is not an import box"), N_("line releases are for import boxes"),
                number=c.number)
        tx.rule(line_p is None or line_p.kind != PartyKind.LINE or not c.operator
                or c.operator == line_p.code, "release.line.not_operator",
                N_("{number} is operated by {operator}, not {line}"),
                N_("the box's own line must release it"), number=c.number, operator=c.operator,
                line=line)
        exists = tx.session.exec(select(CollectRight.id).where(
            CollectRight.container_id == c.id, CollectRight.state == RightState.ACTIVE)).first()
        tx.rule(exists is None, "release.already_released",
                N_("{number} is already released by the line"), N_("nothing to do"),
                number=c.number)
    tx.ensure()
    assert line_p is not None and holder is not None  # the rules above refused otherwise
    subject = ({"container_id": boxes[0].id} if container else
               {"bl_number": (bl_number or "").strip()})  # _boxes refused neither given
    flag = Flag(type_code="LINE_RELEASE", state=FlagState.GRANTED, reference=reference.strip(),
                set_by=tx.actor.name, set_at=tx.now(), **subject)
    tx.session.add(flag)
    tx.session.flush()
    rights = [CollectRight(container_id=pk(c), line_party_id=pk(line_p),
                           holder_party_id=pk(holder), release_flag_id=flag.id,
                           created_at=tx.now()) for c in boxes]
    tx.session.add_all(rights)
    tx.session.flush()
    return [pk(r) for r in rights]


@operation("release.line", *_RELEASERS)
def line_release(tx: Tx, line: str, to_party: str, reference: str, container: str | None = None,
                 bl_number: str | None = None) -> list[int]:
    """Record the shipping line's release, giving the right to collect to one named party."""
    tx.about("container" if container else "bl", None, container or bl_number or "")
    ids = _line_release(tx, line, to_party, reference, container, bl_number)
    tx.record(rights=len(ids), holder=to_party.upper())
    return ids


@operation("right.pass_on", Role.DISPATCHER, Role.GATE_CLERK)
def pass_on(tx: Tx, container: str, by_party: str, to_party: str, reference: str = "") -> int:
    """Pass the right to collect a box from its current holder to another party."""
    c = _boxes(tx, container, None)[0]
    tx.about("container", c.id, c.number)
    q = select(CollectRight).where(CollectRight.container_id == c.id,
                                   CollectRight.state == RightState.ACTIVE)
    right = tx.session.exec(q.with_for_update() if tx.locks_rows else q).first()
    giver, taker = party_by_code(tx.session, by_party), party_by_code(tx.session, to_party)
    if right is None:
        tx.fail("right.none", N_("nobody holds the right to collect {number}"),
                N_("the shipping line must release the box first"), number=c.number)
    tx.rule(giver is not None and giver.id == right.holder_party_id, "right.not_holder",
            N_("{by_party} does not hold the right to collect {number}"),
            N_("only the current holder may pass it on"), by_party=by_party, number=c.number)
    tx.rule(taker is not None and taker.active and taker.kind in COLLECTORS,
            "right.to_unknown",
            N_("{to_party!r} is not a registered consignee, forwarder or haulier"),
            N_("register the party with its identity first"), to_party=to_party)
    tx.rule(taker is None or giver is None or taker.id != giver.id, "right.to_self",
            N_("the right cannot be passed to its holder"), N_("name another party"))
    tx.ensure()
    assert giver is not None and taker is not None  # the rules above refused otherwise
    on_behalf = tx.actor.name != SYSTEM_USER and not tx.actor.role.is_customer
    tx.session.add(RightHandover(right_id=pk(right), from_party_id=pk(giver), to_party_id=pk(taker),
                                 at=tx.now(), by_user=tx.actor.name, on_behalf=on_behalf,
                                 reference=reference.strip()))
    right.holder_party_id = pk(taker)
    tx.record(from_party=giver.code, to_party=taker.code, on_behalf=on_behalf)
    return pk(right)


@operation("release.line_withdraw", *_RELEASERS)
def withdraw_line_release(tx: Tx, flag_id: int, reason: str) -> int:
    """Withdraw a line release and end the rights to collect it gave.

    Booked appointments stay, but the gate will refuse them."""
    flag = tx.get(Flag, flag_id, what="flag", for_update=True)
    tx.about("flag", flag.id, flag.reference)
    tx.rule(flag.type_code == "LINE_RELEASE" and flag.state == FlagState.GRANTED,
            "release.not_granted", N_("this is not a line release in force"),
            N_("nothing to withdraw"))
    tx.rule(reason.strip(), "release.withdraw.reason", N_("a withdrawal needs a reason"),
            N_("write why the line withdraws its release"))
    tx.ensure()
    flag.state = FlagState.REVOKED
    flag.cleared_by, flag.cleared_at, flag.reason = tx.actor.name, tx.now(), reason.strip()
    rights = list(tx.session.exec(select(CollectRight).where(
        CollectRight.release_flag_id == flag.id, CollectRight.state == RightState.ACTIVE)))
    for r in rights:
        r.state, r.ended_at = RightState.WITHDRAWN, tx.now()
    return len(rights)


@dataclass(frozen=True)
class ReleaseImport:
    counts: dict[str, int]

    def summary(self, translate: Translate = as_is) -> str:
        words = {_COUNTED.get(k, k): n for k, n in self.counts.items()}
        return counted(words, translate, skip_zero=True) or translate(N_("nothing to do"))


#: The words a feed's counts are shown with (the event keeps the keys).
_COUNTED = {"customs_released": N_("customs released"),
            "customs_withdrawn": N_("customs withdrawn"), "line_released": N_("line released"),
            "unchanged": N_("unchanged")}


@operation("release.import", *_RELEASERS, log_args=("source",))
def import_releases(tx: Tx, rows: list[dict[str, Any]], source: str) -> ReleaseImport:
    """Import a feed of customs and line releases (CSV feed or CUSRES) as one operation.

    Each row: ``kind`` customs|line, ``status`` released|withdrawn, ``container`` or ``bl``,
    ``reference``, for line releases ``line`` and ``party``, and ``where`` (file:line) for
    messages. Every bad row is reported; nothing is written unless all rows are good.
    """
    tx.about("feed", None, source[-64:])
    counts = {"customs_released": 0, "customs_withdrawn": 0, "line_released": 0,
              "unchanged": 0}
    plan: list[tuple[str, dict[str, Any]]] = []
    for row in rows:
        where = row.get("where", source)
        kind, status = row.get("kind", ""), row.get("status", "released")
        subj = {"container": row.get("container") or None, "bl_number": row.get("bl") or None}
        ok = tx.rule(kind in ("customs", "line") and status in ("released", "withdrawn"),
                     "release.import.row", N_("kind {kind!r} / status {status!r} not understood"),
                     N_("use kind customs|line and status released|withdrawn"), where=where,
                     kind=Term(kind), status=Term(status))
        ok &= tx.rule(subj["container"] or subj["bl_number"], "release.import.subject",
                      N_("no container and no B/L"), N_("fill the container or bl_number column"),
                      where=where)
        ok &= tx.rule(not (kind == "line" and status == "withdrawn"),
                      "release.import.line_withdraw",
                      N_("a line release cannot be withdrawn from a feed"),
                      N_("withdraw it at the console with its reason"), where=where)
        if ok and subj["container"]:
            ok &= tx.rule(active_container(tx.session, subj["container"]) is not None,
                          "release.import.container",
                          N_("container {container} is not at or expected at the terminal"),
                          N_("check the number; the manifest may not be in yet"), where=where,
                          container=subj['container'])
        if ok:
            plan.append((f"{kind}:{status}", {**row, **subj}))
    tx.ensure()
    for what, row in plan:
        subject = _flag_subject(tx, row)
        if what == "customs:released":
            if _granted(tx, "CUSTOMS_IMPORT", subject):
                counts["unchanged"] += 1
                continue
            tx.session.add(Flag(type_code="CUSTOMS_IMPORT", state=FlagState.GRANTED,
                                reference=str(row.get("reference", ""))[:64],
                                set_by=tx.actor.name, set_at=tx.now(), **subject))
            counts["customs_released"] += 1
        elif what == "customs:withdrawn":
            existing = _granted(tx, "CUSTOMS_IMPORT", subject)
            for f in existing:
                f.state, f.cleared_by, f.cleared_at = FlagState.REVOKED, tx.actor.name, tx.now()
                f.reason = (row.get("reason") or f"withdrawn by {source}")[:256]
            counts["customs_withdrawn" if existing else "unchanged"] += 1
        else:
            _line_release(tx, row.get("line", ""), row.get("party", ""),
                          str(row.get("reference", "")), row["container"], row["bl_number"])
            counts["line_released"] += 1
        tx.session.flush()
    tx.record(**counts, rows=len(rows))
    return ReleaseImport(counts)


def _flag_subject(tx: Tx, row: dict[str, Any]) -> dict[str, Any]:
    if row.get("container"):
        c = _boxes(tx, row["container"], None)[0]
        return {"container_id": c.id}
    return {"bl_number": row["bl_number"].strip()}


def _granted(tx: Tx, code: str, subject: dict[str, Any]) -> list[Flag]:
    assert FLAG_TYPES[code].is_permission
    return list(tx.session.exec(select(Flag).where(
        Flag.type_code == code, Flag.state == FlagState.GRANTED,
        *[getattr(Flag, k) == v for k, v in subject.items()])))


registry.register("releases", sniff=sniff_csv, parse=parse_csv_file, operation=import_releases,
                  summary=N_("customs and line releases (CSV: kind, container or bl_number, "
                  "reference, status, line, party)"))
registry.register("cusres", sniff=files.sniffer("CUSRES"), parse=parse_cusres_file,
                  operation=import_releases, summary=N_("customs response (CUSRES): releases "
                  "and holds"))
