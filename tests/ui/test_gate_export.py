"""The export gate check at the gate screen (F9): the clerk looks up a receiving appointment,
types what is read on the box, sees every point of the inspection, and admits or turns away
with one key. Data changes only through ``export.receive``."""

from __future__ import annotations

from sqlmodel import Session, select

from portops.model import ArrivalEntry, Container, Receival, TruckVisit, Where
from tests.test_export import (
    BOX1,
    _book,
    export_terminal,  # noqa: F401  (a fixture)
)
from tests.ui.conftest import text_of, wait_for
from tests.ui.test_gate_console import _gate


async def _check(pilot, screen, ref: str, number: str, size: str, seal: str,
                 vgm: str = "", damage: str = "") -> None:
    screen.action_next()
    screen.query_one("#lookup").focus()
    await pilot.press(*ref, "enter")
    await wait_for(pilot, lambda: screen.export.appt is not None, what="the export check")
    assert not screen.query_one("#plate").display  # the pickup fields make way
    await wait_for(pilot, lambda: screen.focused is screen.query_one("#xc-container"),
                   what="the box number field")
    keys = []  # typed as read, Enter after each field
    for text in (number, size, seal, vgm, damage):
        keys += [*text.replace(" ", "_"), "enter"]
    await pilot.press(*keys)
    await wait_for(pilot, lambda: screen.export.ready, what="the inspection")


def _receival(engine, ref: str) -> Receival:
    with Session(engine) as s:
        return s.exec(select(Receival).where(Receival.ref == ref)).one()


async def test_export_box_checked_at_the_gate(console, core, engine, export_terminal,  # noqa: F811
                                              clock) -> None:
    appt = _book(core, clock, BOX1, vgm_kg=None)
    clock.advance(minutes=20)
    app = console()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await _gate(pilot)
        # a wrong check digit, another size/type, no seal, no VGM, a hole: every point fails
        await _check(pilot, screen, appt["ref"], "CSQU3054384", "22G1", "", damage="hole")
        checks = text_of(screen.query_one("#xc-checks"))
        assert checks.count("✗") == 5 and "receiving window" in checks.split("\n")[0]
        assert {u.rule for u in screen.export.unmet} >= {
            "export.inspection.check_digit", "export.inspection.size_type",
            "export.inspection.seal", "export.inspection.vgm", "export.inspection.damage"}
        await pilot.press("a")  # says why not (the key did nothing, silently, once)
        await wait_for(pilot, lambda: any("cannot admit" in n.message and "seal" in n.message
                                          for n in app._notifications), what="why not")
        assert _receival(engine, appt["ref"]).state == "booked"
        await pilot.press("t")  # the truck goes to the trouble list with the failed points
        await wait_for(pilot, lambda: "TROUBLE" in text_of(screen.query_one("#gate-outcome")),
                       what="stopped")
        assert _receival(engine, appt["ref"]).state == "booked"
        with Session(engine) as s:
            assert not s.exec(select(Container).where(Container.number == BOX1)).all()
            tv = s.exec(select(TruckVisit)).one()
            assert tv.state == "trouble" and len(tv.trouble) == 5

        # the truck comes back with the right box, sealed, and the driver's VGM
        await _check(pilot, screen, appt["ref"], BOX1, "45G1", "SL1", vgm="22150")
        assert "✗" not in text_of(screen.query_one("#xc-checks"))
        await pilot.press("a")
        await wait_for(pilot, lambda: "ADMITTED" in text_of(screen.query_one("#gate-outcome")),
                       what="admitted")
        outcome = screen.query_one("#gate-outcome")
        assert outcome.region.y < screen.query_one("Footer").region.y  # shown, not underneath
    with Session(engine) as s:
        c = s.exec(select(Container).where(Container.number == BOX1)).one()
        assert (c.location, c.vgm_kg, c.seals) == (Where.YARD, 22150, "SL1")
        assert s.exec(select(ArrivalEntry)).one().container_number == BOX1
        assert s.exec(select(TruckVisit)).one().state == "admitted"  # the stopped truck
    assert _receival(engine, appt["ref"]).state == "received"


async def test_a_changed_seal_and_an_impossible_vgm_stop_the_truck(console, core, engine,
                                                                  export_terminal,  # noqa: F811
                                                                  clock) -> None:
    appt = _book(core, clock, BOX1, seal="CN7300140")
    clock.advance(minutes=20)
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _gate(pilot)
        await _check(pilot, screen, appt["ref"], BOX1, "45G1", "CN7300999", vgm="99999")
        assert {u.rule for u in screen.export.unmet} == {
            "export.inspection.seal.mismatch", "export.inspection.vgm.range",
            "export.inspection.vgm.declared"}
        assert "CN7300140" not in text_of(screen.query_one("#xc-checks"))
        await pilot.press("t")
        await wait_for(pilot, lambda: "TROUBLE" in text_of(screen.query_one("#gate-outcome")),
                       what="stopped")
    with Session(engine) as s:
        tv = s.exec(select(TruckVisit)).one()
        assert tv.state == "trouble" and {r["rule"] for r in tv.trouble} == {
            "export.inspection.seal.mismatch", "export.inspection.vgm.range",
            "export.inspection.vgm.declared"}
        assert not s.exec(select(Container).where(Container.number == BOX1)).all()
