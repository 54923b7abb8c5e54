"""The hold and permission types a terminal uses, declared once (after Navis N4's flag types).

``guards`` names the guarded *actions* (not operation names) so that several operations can
share one guard: ``deliver`` is checked when an appointment is booked, at gate-in and again at
gate-out. :func:`blocking` answers, for one subject and one action, every unmet permission and
every active hold, each as an :class:`~portops.ops.core.Unmet` with its remedy.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import bindparam
from sqlmodel import Session, or_, select

from portops.i18n import N_
from portops.model import Category, Container, Flag, FlagState, Role, VesselVisit
from portops.ops.core import CUSTOMER_REMEDIES
from portops.prepared import Prepared


class Action(StrEnum):
    DISCHARGE = "discharge"
    LOAD = "load"
    DELIVER = "deliver"  # an import box leaves by truck (booking, gate in, gate out)
    RECEIVE = "receive"  # an export box comes in by truck


class Target(StrEnum):
    VISIT = "visit"
    CONTAINER = "container"  # a container, or every container on a B/L or booking


@dataclass(frozen=True)
class FlagType:
    code: str
    kind: str  # "permission" or "hold"
    target: Target
    guards: frozenset[Action]
    #: Roles that may set (grant/apply) and clear (revoke/release) it; admin always may.
    roles: frozenset[Role]
    title: str
    remedy: str
    #: For permissions on containers: the categories it is required for.
    categories: frozenset[Category] = frozenset()
    #: The remedy as a customer reads it, when ``remedy`` is a step only staff can take.
    customer_remedy: str = ""

    @property
    def is_permission(self) -> bool:
        return self.kind == "permission"


def _t(code: str, kind: str, target: Target, guards: set[Action], roles: set[Role], title: str,
       remedy: str, categories: set[Category] = frozenset(),
       customer_remedy: str = "") -> FlagType:
    return FlagType(code, kind, target, frozenset(guards), frozenset(roles), title, remedy,
                    frozenset(categories), customer_remedy)


FLAG_TYPES: dict[str, FlagType] = {t.code: t for t in [
    _t("PORT_ENTRY", "permission", Target.VISIT, {Action.DISCHARGE, Action.LOAD},
       {Role.DISPATCHER}, N_("port-entry formalities"),
       N_("record the port-entry clearance reference (dispatcher)")),
    _t("CUSTOMS_IMPORT", "permission", Target.CONTAINER, {Action.DELIVER}, {Role.DISPATCHER},
       N_("customs release (import)"), N_("record or import the customs release (CUSRES)"),
       {Category.IMPORT},
       N_("wait for customs to release the box, or ask the consignee's broker for the "
          "release")),
    _t("LINE_RELEASE", "permission", Target.CONTAINER, {Action.DELIVER}, {Role.DISPATCHER},
       N_("line (freight) release"), N_("record the shipping line's release"),
       {Category.IMPORT},
       N_("the shipping line must release the box: ask the consignee or the line")),
    _t("CUSTOMS_EXPORT", "permission", Target.CONTAINER, {Action.LOAD}, {Role.DISPATCHER},
       N_("customs release (export)"), N_("record or import the export customs release"),
       {Category.EXPORT},
       N_("wait for customs to release the box, or ask the shipper's broker for the "
          "release")),
    _t("XRAY", "hold", Target.CONTAINER, {Action.DELIVER, Action.LOAD},
       {Role.DISPATCHER, Role.YARD_PLANNER}, N_("X-ray hold"),
       N_("have the box scanned and release the X-ray hold"),
       customer_remedy=N_("wait for the scan: the terminal releases the X-ray hold")),
    _t("INSPECTION", "hold", Target.CONTAINER, {Action.DELIVER, Action.LOAD},
       {Role.DISPATCHER, Role.YARD_PLANNER}, N_("inspection hold"),
       N_("complete the inspection and release the hold"),
       customer_remedy=N_("wait for the inspection: the terminal releases the hold")),
    _t("DAMAGE", "hold", Target.CONTAINER, {Action.DELIVER, Action.LOAD},
       {Role.DISPATCHER, Role.TALLY_CLERK, Role.GATE_CLERK}, N_("damage hold"),
       N_("survey or repair the damage and release the hold"),
       customer_remedy=N_("ask the terminal when the damage is surveyed or repaired")),
    _t("STORAGE", "hold", Target.CONTAINER, {Action.DELIVER}, {Role.DISPATCHER},
       N_("storage charges owed"), N_("settle the storage charges and release the hold"),
       customer_remedy=N_("settle the storage charges with the terminal")),
]}


#: The columns a judgement reads of a box's flags: its own, its B/L's and its booking's (a
#: NULL B/L or booking matches nothing). Built once: every booking and gate decision asks.
_BOX_FLAGS = Prepared(select(Flag.type_code, Flag.state, Flag.reason).where(or_(
    Flag.container_id == bindparam("cid"), Flag.bl_number == bindparam("bl"),
    Flag.booking_ref == bindparam("bk"))))


def blocking(session: Session, action: Action, *, container: Container | None = None,
             visit: VesselVisit | None = None, container_flags=None):
    """Every unmet permission and active hold that blocks ``action`` on this subject.

    ``container_flags``: the box's flags when the caller read them already (a booking reads
    them with the box), else they are read here."""
    from portops.ops.core import Unmet  # the core's rule type; no import cycle at module load

    unmet: list[Unmet] = []
    if visit is not None:
        flags = session.exec(select(Flag).where(Flag.visit_id == visit.id)).all()
        unmet += _judge(flags, action, Target.VISIT, None, visit.key)
    if container is not None:
        flags = container_flags if container_flags is not None else _BOX_FLAGS(
            session, {"cid": container.id, "bl": container.bl_number or None,
                      "bk": container.booking_ref or None}).rows
        unmet += _judge(flags, action, Target.CONTAINER, Category(container.category),
                        container.number)
    return unmet


def blocking_many(session: Session, action: Action, containers) -> dict[int, list]:
    """:func:`blocking` for many containers at once (a load plan of 10,000 boxes): the flags
    are read in a few queries instead of one per box, and judged by the same rules."""
    boxes = list(containers)
    by_key: dict[tuple[str, object], list[Flag]] = {}
    keys = (("container_id", [c.id for c in boxes]),
            ("bl_number", sorted({c.bl_number for c in boxes if c.bl_number})),
            ("booking_ref", sorted({c.booking_ref for c in boxes if c.booking_ref})))
    seen: set[int] = set()
    for column, values in keys:
        for i in range(0, len(values), 5000):
            chunk = values[i:i + 5000]
            for f in session.exec(select(Flag).where(getattr(Flag, column).in_(chunk))):
                if f.id in seen:
                    continue
                seen.add(f.id)
                for k in ("container_id", "bl_number", "booking_ref"):
                    if getattr(f, k) is not None:
                        by_key.setdefault((k, getattr(f, k)), []).append(f)
    out = {}
    for c in boxes:
        flags = by_key.get(("container_id", c.id), []) + (
            by_key.get(("bl_number", c.bl_number), []) if c.bl_number else []) + (
            by_key.get(("booking_ref", c.booking_ref), []) if c.booking_ref else [])
        out[c.id] = _judge(flags, action, Target.CONTAINER, Category(c.category),
                           c.number)
    return out


CUSTOMER_REMEDIES.update({f"{'permission' if t.is_permission else 'hold'}.{t.code.lower()}":
                          t.customer_remedy for t in FLAG_TYPES.values() if t.customer_remedy})

_HAS_NO = {Target.VISIT: N_("visit {ref} has no {title}"),
           Target.CONTAINER: N_("container {ref} has no {title}")}
_UNDER = {Target.VISIT: N_("visit {ref} is under {title}{why}"),
          Target.CONTAINER: N_("container {ref} is under {title}{why}")}


def _judge(flags, action: Action, target: Target, category: Category | None, ref: str):
    from portops.ops.core import Term, Unmet

    unmet = []
    granted = {f.type_code for f in flags if f.state == FlagState.GRANTED}
    for ft in FLAG_TYPES.values():
        if ft.target != target or action not in ft.guards:
            continue
        if ft.is_permission:
            if ft.categories and category not in ft.categories:
                continue
            if ft.code not in granted:
                unmet.append(Unmet.of(f"permission.{ft.code.lower()}", _HAS_NO[target],
                                      ft.remedy, ref=ref, title=Term(ft.title)))
        else:
            for f in flags:
                if f.type_code == ft.code and f.state == FlagState.ACTIVE:
                    why = f" ({f.reason})" if f.reason else ""
                    unmet.append(Unmet.of(f"hold.{ft.code.lower()}", _UNDER[target],
                                          ft.remedy, ref=ref, title=Term(ft.title), why=why))
    return unmet
