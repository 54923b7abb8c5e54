"""Appointment references nobody can guess (issue 16): random, not in sequence, with a check
character so a reference mistyped by one character is refused as "not a valid reference"
(never "not found", nor someone else's truck); the references made before stay valid; a
reference alone at the gate never tells the booked plate, driver or haulier."""

from __future__ import annotations

from collections import Counter
from itertools import permutations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import Session

from portops import refs
from portops.ops import Refused
from portops.ops.appointments import book, cancel
from portops.ops.gate import admit
from portops.queries.gate import assess
from tests.gate_world import CLERK, booking, build, release

ARRIVING = {"plate": "沪A 12345", "haulier": "HAUL1", "driver_id": "d-310001"}
BOOKED = ("沪A12345", "Wang Wei", "D-310001", "HAUL1")

codes = st.text(refs.ALPHABET, min_size=refs.BODY, max_size=refs.BODY)


def _typo(ref: str, at: int, ch: str) -> str:
    return ref[:at] + ch + ref[at + 1:]


@given(body=codes, prefix=st.sampled_from(refs.PREFIXES),
       at=st.integers(2, 2 + refs.BODY), ch=st.sampled_from(refs.ALPHABET + "U"))
def test_one_character_mistyped_is_never_a_valid_reference(body, prefix, at, ch):
    ref = prefix + body + refs.check_char(prefix + body)
    assert refs.valid(ref) and refs.shaped(ref)
    if ref[at] != ch:
        assert refs.mistyped(_typo(ref, at, ch))


def test_most_swapped_neighbours_are_caught():
    """Every pair of different characters swapped, in every place: Luhn mod 32 misses a few
    (as mod 10 misses 09 and 90); at least 95 % are refused."""
    caught = total = 0
    for at in range(2, 2 + refs.BODY):
        for a, b in permutations(refs.ALPHABET, 2):
            body = ("TA" + "7K3M9QX")[:at] + a + b + ("TA" + "7K3M9QX")[at + 2:]
            body = body[:2 + refs.BODY]
            ref = body + refs.check_char(body)
            swapped = ref[:at] + ref[at + 1] + ref[at] + ref[at + 2:]
            total += 1
            caught += not refs.valid(swapped)
    assert caught / total > 0.95


def test_references_are_not_sequential_and_read_like_noise():
    """20,000 references: all different, no two drawn one after the other are neighbours,
    and each place's characters spread evenly over the alphabet (chi-square, 31 degrees of
    freedom: above 70 happens once in 10,000 honest runs)."""
    drawn = [refs.new_ref("TA") for _ in range(20_000)]
    assert len(set(drawn)) == len(drawn) and all(map(refs.valid, drawn))
    values = [int(r[2:2 + refs.BODY], 36) for r in drawn]  # the alphabet is base 36's digits
    assert sum(abs(a - b) <= 1 for a, b in zip(values, values[1:], strict=False)) == 0
    for place in range(2, 2 + refs.BODY):
        seen = Counter(r[place] for r in drawn)
        expected = len(drawn) / 32
        chi2 = sum((seen.get(ch, 0) - expected) ** 2 / expected for ch in refs.ALPHABET)
        assert chi2 < 70, (place, chi2)


def test_typed_leniently():
    ref = "TA" + "0123ABC"
    ref += refs.check_char(ref)
    assert refs.canonical(f" ta-{ref[2:6].lower().replace('0', 'o').replace('1', 'l')} "
                          f"{ref[6:].lower()} ") == ref
    assert refs.valid("TA0000001") and not refs.mistyped("TA0000001")  # made before: valid
    assert not refs.shaped("沪A12345") and not refs.shaped("TA12")  # a plate, not a reference


@pytest.fixture
def world(core, engine, small_terminal):
    w = build(core, engine, small_terminal)
    for box in w["boxes"][:3]:
        release(core, box)
    w["refs"] = [core.run(CLERK, book, **booking(box))["ref"] for box in w["boxes"][:3]]
    return w


def test_booked_references_do_not_run_in_sequence(world):
    got = world["refs"]
    assert all(map(refs.valid, got)) and len(set(got)) == 3
    assert not any(r.startswith("TA000") for r in got)  # not the id
    values = [int(r[2:2 + refs.BODY], 36) for r in got]
    assert {b - a for a, b in zip(values, values[1:], strict=False)} != {1}


def _mistyped(ref: str) -> str:
    ch = "0" if ref[5] != "0" else "1"
    return _typo(ref, 5, ch)


def test_a_mistyped_reference_at_the_gate_is_not_a_valid_reference(core, engine, clock, world):
    typo = _mistyped(world["refs"][0])
    with pytest.raises(Refused) as exc:
        core.run(CLERK, admit, lookup=typo, **ARRIVING)
    assert [u.rule for u in exc.value.unmet] == ["gate.ref_invalid"]
    assert "not a valid reference" in exc.value.unmet[0].message
    with Session(engine) as s:
        shown = assess(s, clock.now(), typo)
    assert [u.rule for u in shown.unmet] == ["gate.ref_invalid"]
    with pytest.raises(Refused) as exc:
        core.run(CLERK, cancel, ref=typo, reason="driver ill")
    assert [u.rule for u in exc.value.unmet] == ["appointment.ref_invalid"]
    # a valid reference nobody holds is "not found", as before
    ref = "TA" + "ZZZZZZZ"
    ref += refs.check_char(ref)
    with pytest.raises(Refused) as exc:
        core.run(CLERK, admit, lookup=ref, **ARRIVING)
    assert [u.rule for u in exc.value.unmet] == ["gate.no_appointment"]


def test_a_reference_typed_leniently_is_found(core, clock, world):
    ref = world["refs"][1]
    typed = f"{ref[:2].lower()}-{ref[2:6]} {ref[6:].lower()}".replace("0", "O")
    got = core.run(CLERK, admit, lookup=typed, **ARRIVING)
    assert got["ref"] == ref


def test_a_reference_made_before_stays_valid(core, engine, world):
    with Session(engine) as s, s.begin():
        s.execute(text("UPDATE appointment SET ref = 'TA0000007' WHERE ref = :r"),
                  {"r": world["refs"][2]})
    got = core.run(CLERK, admit, lookup="TA0000007", **ARRIVING)
    assert got["ref"] == "TA0000007"


def test_a_reference_alone_never_tells_the_booked_truck(core, engine, clock, world):
    """At a kiosk, a reference and nothing (or the wrong thing) typed: the refusal says what
    does not match, never the booked plate, driver or haulier."""
    ref = world["refs"][0]
    for typed in ({"plate": "", "haulier": "", "driver_id": ""},
                  {"plate": "X1", "haulier": "OTHER", "driver_id": "Z-1"}):
        with pytest.raises(Refused) as exc:
            core.run(CLERK, admit, lookup=ref, **typed)
        with Session(engine) as s:
            shown = assess(s, clock.now(), ref, typed["plate"], typed["haulier"],
                           typed["driver_id"])
        said = " ".join(f"{u.message} {u.remedy}" for u in [*exc.value.unmet, *shown.unmet])
        assert {u.rule for u in exc.value.unmet} >= {"gate.plate", "gate.haulier", "gate.driver"}
        for booked in BOOKED:
            assert booked.lower() not in said.lower(), (booked, said)
