"""A line-handling gang is in one place at a time: the work plan gives a job only to a free gang.

Seen in the demo's plan: one mooring gang had two jobs at 21:00 at different berths (the
gangs were dealt out in turn, whatever the time).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from portops.planning import workplan as wp

DAY = date(2026, 12, 7)
SHIFTS = [wp.Shift("day", time(8), time(20)), wp.Shift("night", time(20), time(8))]


def _at(hh: int, mm: int = 0) -> datetime:
    """``hh:mm`` on DAY in Shanghai, as UTC."""
    return datetime(2026, 12, 7, hh - 8, mm, tzinfo=UTC)


def _call(key: str, berth: str, at: datetime) -> wp.Call:
    return wp.Call(key, key, berth, at, None)


def _night(gangs: list[wp.Gang], calls: list[wp.Call]) -> list[tuple[str, str, str]]:
    plan = wp.plan_day(DAY, "Asia/Shanghai", SHIFTS, gangs, calls)
    return [(m.at, m.berth, m.gang) for m in plan.shifts[1].movements]


def test_two_jobs_at_once_at_two_berths_go_to_two_gangs():
    gangs = [wp.Gang("A", ("day",)), wp.Gang("C", ("night",)), wp.Gang("D", ("night",))]
    calls = [_call("V1", "B1", _at(21)), _call("V2", "B2", _at(21)),
             _call("V3", "B3", _at(21, 30)), _call("V4", "B1", _at(22, 15))]
    assert _night(gangs, calls) == [("21:00", "B1", "C"), ("21:00", "B2", "D"),
                                    ("21:30", "B3", ""), ("22:15", "B1", "C")]


def test_a_lone_gang_is_not_sent_to_two_berths():
    calls = [_call("V1", "B1", _at(21)), _call("V2", "B2", _at(21))]
    got = _night([wp.Gang("C", ("night",))], calls)
    assert [g for _t, _b, g in got] == ["C", ""]


def test_no_gang_is_ever_in_two_places_within_an_hour():
    gangs = [wp.Gang(n, ("night",)) for n in "CDE"]
    calls = [_call(f"V{i}", f"B{i % 4}", _at(20 + i // 3, (i * 17) % 60)) for i in range(12)]
    plan = wp.plan_day(DAY, "Asia/Shanghai", SHIFTS, gangs, calls)
    seen: dict[str, list[datetime]] = {}
    for m in plan.shifts[1].movements:
        if m.gang:
            h, mi = map(int, m.at.split(":"))
            seen.setdefault(m.gang, []).append(datetime(2026, 12, 7, h, mi))
    for times in seen.values():
        times.sort()
        assert all(b - a >= wp.GANG_BUSY for a, b in zip(times, times[1:], strict=False))
