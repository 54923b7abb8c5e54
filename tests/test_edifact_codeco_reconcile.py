"""A line's or depot's CODECO through ``portops import`` (issue 15): each reported gate move
compared with the EIR issued here, each difference named, nothing changed."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, func, select

from portops.cli import main
from portops.formats import registry
from portops.formats.edifact.codeco import read_codeco, write_codeco
from portops.formats.edifact.records import GateMove, StowedBox
from portops.formats.edifact.samples import T0
from portops.model import Eir, Event
from portops.ops.codeco import reconcile_gate_reports
from portops.ops.receiving import receive
from tests.test_export import BOX1, BOX2, G, _book
from tests.test_export import export_terminal as export_terminal  # the fixture


def _gate_in(core, engine, clock) -> Eir:
    appt = _book(core, clock, BOX1)
    clock.advance(minutes=20)
    core.run(G, receive, lookup=appt["ref"], container=BOX1, size_type="45G1", seal="SL1")
    with Session(engine) as s:
        return s.exec(select(Eir).where(Eir.container_number == BOX1)).one()


def _import(engine, path, *extra):
    db = engine.url.render_as_string(hide_password=False)
    return main(["--db", db, "--user", G, "import", str(path), *extra])


def test_the_gate_in_as_sent_agrees(core, engine, export_terminal, clock, tmp_path, capsys):
    eir = _gate_in(core, engine, clock)
    path = tmp_path / "line.edi"
    path.write_text(eir.codeco)
    assert registry.prepare_one(path).importer.operation is reconcile_gate_reports
    with Session(engine) as s:
        before = s.exec(select(func.count()).select_from(Event)).one()
    assert _import(engine, path) == 0
    assert "1 reported, 1 agree, 0 differences" in capsys.readouterr().out
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Event)).one() == before + 1


def test_each_difference_is_named(core, engine, export_terminal, clock, tmp_path, capsys):
    eir = _gate_in(core, engine, clock)
    report = read_codeco(eir.codeco)
    move = report.moves[0]
    move.truck_plate, move.eir = "沪C99999", ""
    move.at = move.at + timedelta(hours=5)
    report.moves.append(GateMove(StowedBox(BOX2, "45G1"), report.direction, move.at))
    path = tmp_path / "depot.edi"
    path.write_text(write_codeco(report, control_ref="D1", prepared=T0))
    assert _import(engine, path, "-v") == 0
    out = capsys.readouterr().out
    assert "2 reported, 0 agree, 3 differences" in out
    assert f"container {BOX1}: reported on truck 沪C99999, EIR {eir.number} has {eir.plate}" \
        in out
    assert f"container {BOX1}: reported 300 min from the time of EIR {eir.number}" in out
    assert f"container {BOX2}: reported gate-in, no such gate move recorded here" in out
