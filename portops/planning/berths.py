"""Berth planning rules as a pure function, so the chart can show a conflict before anyone tries.

A vessel alongside takes a stretch of quay (its stern at ``quay_from_m``, its bow ``loa_m``
further on) for a stretch of time (berthing to departure). Two vessels conflict when those
rectangles, with the terminal's clearance between vessels added along the quay, overlap. A
vessel also has to fit its berth: not longer than it, not running off either end, and not
drawing more water than the depth alongside less the harbour master's under-keel clearance.

The operations in :mod:`portops.ops.berthplan` turn every :class:`Conflict` into a refusal; the
berth chart draws them. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from portops.clock import show
from portops.i18n import N_
from portops.ops.core import Unmet


@dataclass(frozen=True)
class BerthSpec:
    id: int
    name: str
    start_m: float
    end_m: float
    depth_m: float

    @property
    def length_m(self) -> float:
        return self.end_m - self.start_m


@dataclass(frozen=True)
class Placement:
    """Where and when one visit lies (or would lie) alongside."""

    visit_id: int
    key: str
    loa_m: float
    draft_m: float
    berth_id: int | None
    quay_from_m: float | None
    start: datetime | None
    end: datetime | None
    phase: str = ""

    @property
    def quay_to_m(self) -> float | None:
        return None if self.quay_from_m is None else self.quay_from_m + self.loa_m

    @property
    def placed(self) -> bool:
        """Whether it occupies a known stretch of quay for a known time."""
        return None not in (self.quay_from_m, self.start, self.end)


@dataclass(frozen=True)
class Conflict:
    """One reason a placement does not work, as the unmet rule the operations refuse with
    (its English templates kept, so the chart shows it in the console's language)."""

    unmet: Unmet
    other_visit_id: int | None = None

    @property
    def rule(self) -> str:
        return self.unmet.rule

    @property
    def message(self) -> str:
        return self.unmet.message

    @property
    def remedy(self) -> str:
        return self.unmet.remedy


def _m(value: float) -> str:
    return f"{value:g} m"


def fit_conflicts(p: Placement, berth: BerthSpec, *, ukc_m: float) -> list[Conflict]:
    """Whether the vessel fits the berth: length, both ends, and depth less under-keel clearance."""
    out: list[Conflict] = []
    if p.loa_m > berth.length_m:
        out.append(Conflict(Unmet.of(
            "berth.loa_too_long", N_("{visit}: LOA {loa} is longer than berth {berth} ({length})"),
            N_("choose a longer berth"), visit=p.key, loa=_m(p.loa_m), berth=berth.name,
            length=_m(berth.length_m))))
    elif p.quay_from_m is not None and (p.quay_from_m < berth.start_m
                                        or p.quay_from_m + p.loa_m > berth.end_m):
        out.append(Conflict(Unmet.of(
            "berth.off_end",
            N_("{visit} at {quay_from}–{quay_to} runs off berth {berth} ({start}–{end})"),
            N_("place the stern between {start} and {last}"), visit=p.key,
            quay_from=_m(p.quay_from_m), quay_to=_m(p.quay_from_m + p.loa_m), berth=berth.name,
            start=_m(berth.start_m), end=_m(berth.end_m), last=_m(berth.end_m - p.loa_m))))
    allowed = berth.depth_m - ukc_m
    if p.draft_m > allowed:
        out.append(Conflict(Unmet.of(
            "berth.draft_too_deep",
            N_("{visit}: arrival draft {draft} is deeper than berth {berth} allows ({depth} "
               "alongside less {ukc} under-keel clearance = {allowed})"),
            N_("choose a deeper berth or have the line confirm a lighter arrival draft"),
            visit=p.key, draft=_m(p.draft_m), berth=berth.name, depth=_m(berth.depth_m),
            ukc=_m(ukc_m), allowed=_m(allowed))))
    return out


def time_conflicts(p: Placement, tz: str = "UTC") -> list[Conflict]:
    """``tz``: the terminal's zone, in which the refusal names the times (as they were typed)."""
    if p.start is not None and p.end is not None and p.end <= p.start:
        return [Conflict(Unmet.of(
            "berth.times.order", N_("{visit}: departure {end} is not after berthing {start}"),
            N_("set a departure after the berthing time"), visit=p.key,
            end=show(p.end, tz), start=show(p.start, tz)))]
    return []


def overlaps(a: Placement, b: Placement, clearance_m: float) -> bool:
    """Whether two placed visits come closer than ``clearance_m`` along the quay at one time."""
    if not (a.placed and b.placed):
        return False
    a_from, a_to, a_start, a_end = where(a)
    b_from, b_to, b_start, b_end = where(b)
    if not (a_start < b_end and b_start < a_end):
        return False
    return a_from < b_to + clearance_m and b_from < a_to + clearance_m


def where(p: Placement) -> tuple[float, float, datetime, datetime]:
    """A placed visit's stretch of quay and its time alongside (``p.placed`` is checked)."""
    if p.quay_from_m is None or p.start is None or p.end is None:
        raise ValueError(f"visit {p.key} is not placed")
    return p.quay_from_m, p.quay_from_m + p.loa_m, p.start, p.end


def _span(p: Placement, tz: str = "UTC") -> str:
    _from, _to, start, end = where(p)
    until = "…" if end.year >= 9999 else show(end, tz, "%d %b %H:%M")
    return f"{show(start, tz, '%d %b %H:%M')}–{until}"


def overdue(p: Placement, now: datetime | None) -> bool:
    """Whether a visit still only planned was due alongside before ``now``: it never came, so
    it holds its quay only on paper until the dispatcher re-plans or unassigns it."""
    return (now is not None and p.phase == "planned" and p.start is not None
            and p.start < now)


def overlap_conflicts(p: Placement, others: Iterable[Placement], *,
                      clearance_m: float, tz: str = "UTC",
                      now: datetime | None = None) -> list[Conflict]:
    """Each visit ``p`` would come too close to. ``now`` given, a visit that was due and has
    not arrived is named as overdue, with the remedy that frees its quay."""
    out = []
    for o in others:
        if o.visit_id == p.visit_id or not overlaps(p, o, clearance_m):
            continue
        params = dict(visit=p.key, clearance=_m(clearance_m), other=o.key,
                      quay_from=_m(where(o)[0]), quay_to=_m(where(o)[1]), span=_span(o, tz))
        if overdue(o, now):
            unmet = Unmet.of(
                "berth.overlap",
                N_("{visit} would lie within {clearance} of {other} ({quay_from}–{quay_to}, "
                   "{span}), which was due alongside and has not arrived"),
                N_("re-plan {other} (new ETB or ETD) or take it off its berth, then try again"),
                **params)
        else:
            unmet = Unmet.of(
                "berth.overlap",
                N_("{visit} would lie within {clearance} of {other} ({quay_from}–{quay_to}, "
                   "{span})"),
                N_("move it along the quay or in time, keeping {clearance} clear of {other}"),
                **params)
        out.append(Conflict(unmet, o.visit_id))
    return out


def conflicts(p: Placement, berth: BerthSpec | None, others: Iterable[Placement], *,
              clearance_m: float, ukc_m: float, tz: str = "UTC",
              now: datetime | None = None) -> list[Conflict]:
    """Every reason ``p`` cannot lie where and when it is planned (empty when it can); times
    named in the terminal's zone ``tz``."""
    out = time_conflicts(p, tz)
    if berth is not None:
        out += fit_conflicts(p, berth, ukc_m=ukc_m)
    out += overlap_conflicts(p, others, clearance_m=clearance_m, tz=tz, now=now)
    return out


def all_overlaps(placements: list[Placement], clearance_m: float) -> set[frozenset[int]]:
    """Every pair of visits that overlap, by a sweep over start times (n log n + pairs)."""
    items = sorted((p for p in placements if p.placed), key=lambda p: where(p)[2])
    active: list[Placement] = []
    pairs: set[frozenset[int]] = set()
    for p in items:
        start = where(p)[2]
        active = [a for a in active if where(a)[3] > start]
        for a in active:
            if overlaps(a, p, clearance_m):
                pairs.add(frozenset((a.visit_id, p.visit_id)))
        active.append(p)
    return pairs
