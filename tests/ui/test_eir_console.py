"""The gate clerk lets out a box tallied damaged: the form shows the damage, the EIR too, and
``p`` saves the EIR though ~/Documents does not exist (it once failed: No such file)."""

from __future__ import annotations

from sqlmodel import Session, select

from portops.damage import describe_damage
from portops.model import Container
from portops.ops.appointments import book
from portops.ops.gate import admit, hand_over
from portops.ui.screens.gate_forms import EirScreen
from tests.gate_world import CLERK, DISPATCHER, booking, build, release
from tests.ui.conftest import gate_queue, text_of, wait_for


async def test_damaged_box_out_with_its_damage_on_the_eir_printed(console, core, engine,
                                                                   small_terminal, tmp_path,
                                                                   monkeypatch) -> None:
    w = build(core, engine, small_terminal)
    box = w["boxes"][0]
    with Session(engine) as s, s.begin():  # set-up: what tally.confirm writes on the box
        s.exec(select(Container).where(Container.number == box)).one().damage = \
            describe_damage(["DT"], "door dented")
    release(core, box)
    ref = core.run(CLERK, book, **booking(box))["ref"]
    tv = core.run(CLERK, admit, lookup=ref, plate="沪A12345", haulier="HAUL1",
                  driver_id="D-310001")["truck_visit_id"]
    core.run(DISPATCHER, hand_over, truck_visit_id=tv)
    home = tmp_path / "home"  # a service user's home: no Documents folder
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    app = console()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await gate_queue(pilot, 1)
        await pilot.press("o")
        await wait_for(pilot, lambda: app.screen.query("#f-container"), what="gate-out form")
        title = text_of(app.screen.query_one(".form-title"))
        assert f"Damage recorded on {box}: DT dented: door dented" in title
        await pilot.press(*box, "tab", *"SL0000", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EirScreen), what="the EIR")
        assert "DT dented: door dented" in app.screen.markdown
        assert "intact" not in app.screen.markdown
        number = app.screen.number
        await pilot.press("p")
        saved = home / "Documents" / f"{number}.md"
        await wait_for(pilot, saved.exists, what="the EIR saved")
        notes = [n.message for n in app._notifications]
        assert f"EIR saved for printing: {saved}" in notes
        assert "DT dented: door dented" in saved.read_text(encoding="utf-8")
