"""Customers act for themselves: accounts of a party, their boxes' status in one word, a
haulier's bookings judged by the clerk's rules, a consignee's hand-over, a line's release."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portops.ops import Refused
from portops.ops import customer as ops
from portops.ops.appointments import book as clerk_book
from portops.ops.flags import apply_hold
from portops.ops.releases import line_release, pass_on
from portops.ops.users import add_user, set_role
from portops.queries import customer as q
from tests import customer_world
from tests.customer_world import PASSWORD
from tests.gate_world import DISPATCHER, SLOT


@pytest.fixture
def world(core, engine, small_terminal):
    return customer_world.build(core, engine, small_terminal)


def _booking(box, **kw):
    args = dict(container=box, slot_start=SLOT, plate="沪B54321", driver_name="Zhang San",
                driver_id="D-42")
    return {**args, **kw}


def _status(engine, user, number):
    return q.box(engine, user, number)


def test_a_haulier_books_a_box_it_holds_and_sees_it_booked(core, engine, world):
    box = world["boxes"][1]
    assert _status(engine, "haul1", box).status == "ready"
    done = core.run("haul1", ops.book, **_booking(box))
    seen = _status(engine, "haul1", box)
    assert (seen.status, seen.appointment) == ("booked", done["ref"])
    (appt,) = [a for a in q.appointments(engine, "haul1") if a.ref == done["ref"]]
    assert (appt.plate, appt.haulier, appt.state) == ("沪B54321", "HAUL1", "booked")
    room = {h.start: h for h in q.availability(engine, "haul1", now=SLOT)}
    assert room[SLOT].booked == 2  # the clerk's booking of box 0 and this one
    assert len(room) == 7 * 24


def test_a_booking_before_customs_release_is_refused_as_the_clerk_is(core, engine, world):
    box = world["boxes"][3]
    core.run(DISPATCHER, line_release, line="COSU", to_party="FWD1", reference="DO-3",
             container=box)
    core.run(DISPATCHER, pass_on, container=box, by_party="FWD1", to_party="HAUL1")
    seen = _status(engine, "haul1", box)
    assert seen.status == "waiting" and [w.what for w in seen.waits] == ["customs"]
    with pytest.raises(Refused) as customer:
        core.run("haul1", ops.book, **_booking(box))
    clerk = core.check(DISPATCHER, clerk_book, haulier="HAUL1", by_party="HAUL1",
                       **_booking(box))
    assert customer.value.rules == ["permission.customs_import"]
    # the same rule and sentence; the remedy one the haulier can act on (only staff record
    # a customs release: the walk's haulier was told to "record or import" it)
    (said,), (staff,) = customer.value.unmet, clerk
    assert (said.rule, said.message) == (staff.rule, staff.message)
    assert staff.remedy == "record or import the customs release (CUSRES)"
    assert said.remedy.startswith("wait for customs to release the box")
    assert said.localized(lambda s: {said.remedy: "X"}.get(s, s))[1] == "X"


def test_status_says_what_a_box_waits_for_and_what_to_fix(core, engine, world):
    box = world["boxes"][1]
    core.run(DISPATCHER, apply_hold, code="XRAY", reason="scan", container=box)
    seen = _status(engine, "haul1", box)
    assert seen.status == "waiting" and seen.waits == (q.Wait("X-ray hold", "customs"),)
    core.run(DISPATCHER, apply_hold, code="STORAGE", reason="3 days", container=box)
    seen = _status(engine, "haul1", box)
    assert seen.status == "blocked" and seen.fixes == (q.CUSTOMER_FIXES["STORAGE"],)
    advised = q.box(engine, "cosu", world["advised"])
    assert advised.status == "waiting" and advised.waits[0] == q.Wait("discharge", "terminal")
    out = q.box(engine, "haul1", world["boxes"][0])
    assert (out.status, out.eir) == ("out", "EIR-0001")  # its truck's EIR after gate-out


def test_a_haulier_changes_and_cancels_only_its_own(core, engine, world):
    done = core.run("haul1", ops.book, **_booking(world["boxes"][1],
                                                  slot_start=SLOT + timedelta(hours=4)))
    later = SLOT + timedelta(hours=6)
    core.run("haul1", ops.change, ref=done["ref"], slot_start=later, plate="沪C11111")
    (appt,) = [a for a in q.appointments(engine, "haul1") if a.ref == done["ref"]]
    assert (appt.slot_start, appt.plate) == (later, "沪C11111")
    with pytest.raises(Refused) as refused:
        core.run("haul2", ops.cancel, ref=done["ref"], reason="mine now")
    assert refused.value.rules == ["customer.appointment.not_found"]
    with pytest.raises(Refused) as refused:
        core.run("haul1", ops.cancel, ref=done["ref"], reason="  ")
    assert refused.value.rules == ["appointment.cancel.reason"]
    core.run("haul1", ops.cancel, ref=done["ref"], reason="truck broke down")
    assert _status(engine, "haul1", world["boxes"][1]).status == "ready"


def test_a_consignee_hands_the_right_to_a_haulier(core, engine, world):
    box = world["boxes"][2]
    assert _status(engine, "fwd1", box).holder == "FWD1"
    assert box not in {b.number for b in q.boxes(engine, "haul2")}
    core.run("fwd1", ops.pass_on, container=box, to_party="HAUL2", reference="ORDER-7")
    assert _status(engine, "haul2", box).status == "ready"
    assert _status(engine, "fwd1", box).holder == "HAUL2"  # it still follows its box
    with pytest.raises(Refused) as refused:
        core.run("fwd1", ops.pass_on, container=box, to_party="HAUL1")
    assert refused.value.rules == ["customer.box.not_found"]
    assert "HAUL2" not in [h.code for h in q.hauliers(engine, "haul2")]


def test_a_line_releases_its_own_box(core, engine, world):
    box = world["boxes"][3]
    core.run("cosu", ops.release, container=box, to_party="FWD1", reference="DO-33")
    assert _status(engine, "fwd1", box).holder == "FWD1"
    with pytest.raises(Refused) as refused:
        core.run("cosu", ops.release, container=box, to_party="FWD1", reference="DO-34")
    assert refused.value.rules == ["release.already_released"]


def test_a_partys_admin_manages_its_own_accounts(core, engine, world):
    core.run("haul1", ops.user_add, name="haul1-desk", password="desk-pw-123",
             full_name="Desk")
    assert q.who(engine, "haul1-desk").code == "HAUL1"
    with pytest.raises(Refused) as refused:  # not its party's admin
        core.run("haul1-desk", ops.user_add, name="haul1-x", password="desk-pw-123")
    assert refused.value.rules == ["customer.user.not_admin"]
    core.run("haul1-desk", ops.user_password, name="haul1-desk", password="my-own-pw-1")
    core.run("haul1", ops.user_disable, name="haul1-desk")
    assert q.who(engine, "haul1-desk") is None
    with pytest.raises(Refused) as refused:
        core.run("haul1", ops.user_disable, name="haul2")
    assert refused.value.rules == ["customer.user.not_found"]


def test_a_customer_account_needs_a_party_of_its_kind(core, world):
    cases = [({"role": "haulier", "party": ""}, ["user.party"]),
             ({"role": "haulier", "party": "NOPE"}, ["user.party"]),
             ({"role": "haulier", "party": "FWD1"}, ["user.party.kind"]),
             ({"role": "gate_clerk", "party": "HAUL1"}, ["user.party.staff"])]
    for args, rules in cases:
        with pytest.raises(Refused) as refused:
            core.run("admin", add_user, name="someone", password=PASSWORD, **args)
        assert refused.value.rules == rules, args
    with pytest.raises(Refused) as refused:
        core.run("admin", set_role, name="haul1", role="gate_clerk")
    assert refused.value.rules == ["user.role.party"]
    with pytest.raises(Refused) as refused:  # a customer role never reaches a staff operation
        core.run("haul1", clerk_book, haulier="HAUL1", by_party="HAUL1",
                 **_booking(world["boxes"][1]))
    assert refused.value.rules == ["role.not_permitted"]


def test_the_terminals_admin_adds_a_partys_first_admin_from_the_command_line(
        db_file, monkeypatch, capsys):
    from sqlmodel import Session, select

    from portops.cli import main
    from portops.db import make_engine
    from portops.model import User

    db = str(db_file)
    assert main(["--db", db, "party", "add", "HAUL9", "--name", "Haul Nine",
                 "--kind", "haulier", "--identity", "USCI-91310000Z"]) == 0
    monkeypatch.setenv("PORTOPS_NEW_PASSWORD", "haul9-pw-123")
    assert main(["--db", db, "user", "add", "h9", "--role", "haulier", "--party", "haul9"]) == 0
    assert main(["--db", db, "user", "add", "h8", "--role", "consignee",
                 "--party", "HAUL9"]) == 1  # a haulier's accounts are hauliers'
    assert "user.party.kind" in capsys.readouterr().err
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as s:
        h9 = s.exec(select(User).where(User.name == "h9")).one()
        assert h9.party_admin and h9.party_id is not None
    assert q.who(engine, "h9").code == "HAUL9"
    engine.dispose()


def _site_rules(core, tmp_path, **rules) -> None:
    """The terminal sets its customers' rules in its layout file, as every site setting."""
    from portops.formats import registry

    f = tmp_path / "layout.yaml"
    f.write_text("kind: layout\nterminal:\n  code: TEST\n  name: Test terminal\n"
                 "  locode: CNSHA\n  timezone: Asia/Shanghai\n  appointments: {"
                 + ", ".join(f"{k}: {v}" for k, v in rules.items()) + "}\n")
    registry.apply(core, "admin", registry.prepare([f]))


def test_a_customer_books_no_further_ahead_than_the_terminal_allows(core, world, tmp_path):
    box, far = world["boxes"][1], SLOT + timedelta(days=8)
    with pytest.raises(Refused) as refused:
        core.run("haul1", ops.book, **_booking(box, slot_start=far))
    assert refused.value.rules == ["customer.book.too_far"]
    assert "2026-12-05 14:00 is more than 7 days ahead" in refused.value.describe()
    _site_rules(core, tmp_path, book_days_ahead=10)
    core.run("haul1", ops.book, **_booking(box, slot_start=far))


def test_a_haulier_holds_no_more_open_bookings_than_the_terminal_allows(core, world, tmp_path):
    _site_rules(core, tmp_path, max_open_per_haulier=1)
    core.run("haul1", ops.book, **_booking(world["boxes"][1]))
    box = world["boxes"][3]
    core.run(DISPATCHER, line_release, line="COSU", to_party="HAUL1", reference="DO-3",
             container=box)
    from portops.ops.flags import grant_permission

    core.run(DISPATCHER, grant_permission, code="CUSTOMS_IMPORT", reference="C-3",
             container=box)
    with pytest.raises(Refused) as refused:
        core.run("haul1", ops.book, **_booking(box))
    assert refused.value.rules == ["customer.book.max_open"]
    core.run(DISPATCHER, clerk_book, haulier="HAUL1", by_party="HAUL1", **_booking(box))


def test_a_change_too_close_to_the_slot_is_the_terminals(core, world, tmp_path):
    from portops.ops.appointments import cancel as clerk_cancel

    done = core.run("haul1", ops.book, **_booking(world["boxes"][1],
                                                  slot_start=SLOT + timedelta(hours=1)))
    for op, args in [(ops.change, {"plate": "沪C2"}), (ops.cancel, {"reason": "late"})]:
        with pytest.raises(Refused) as refused:
            core.run("haul1", op, ref=done["ref"], **args)
        assert refused.value.rules == ["customer.change.too_late"]
        assert "until 2026-11-27 13:00" in refused.value.describe()  # Shanghai, as typed
    _site_rules(core, tmp_path, change_cutoff_minutes=30)
    core.run("haul1", ops.change, ref=done["ref"], plate="沪C2")
    core.run(DISPATCHER, clerk_cancel, ref=done["ref"], reason="the gate closed it")


def test_a_customer_s_mistyped_reference_is_said_as_such(core, engine, world):
    """As at the gate: one wrong character is 'not a valid reference', not 'you have none'
    (which sent the haulier hunting for an appointment it has); typed loosely, it is found."""
    done = core.run("haul1", ops.book, **_booking(world["boxes"][1],
                                                  slot_start=SLOT + timedelta(hours=4)))
    ref = done["ref"]
    wrong = ref[:-1] + ("2" if ref[-1] != "2" else "3")  # the check character no longer fits
    with pytest.raises(Refused) as refused:
        core.run("haul1", ops.cancel, ref=wrong, reason="truck broke down")
    assert refused.value.rules == ["customer.ref_invalid"]
    loose = f" {ref[:5].lower()}-{ref[5:]} "
    core.run("haul1", ops.cancel, ref=loose, reason="truck broke down")
    assert _status(engine, "haul1", world["boxes"][1]).status == "ready"
