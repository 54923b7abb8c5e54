"""A stevedore's or a partner terminal's COARRI through ``portops import``: each message
compared with the tally of its visit, each difference named, nothing changed (issue 15)."""

from __future__ import annotations

from sqlmodel import Session, func, select

from portops.cli import main
from portops.formats import registry
from portops.formats.edifact.coarri import write_coarri
from portops.formats.edifact.records import SHORT_LANDED, Slot
from portops.formats.edifact.samples import T0
from portops.formats.tally import coarri_text
from portops.model import DischargeItem, Event
from portops.ops.coarri import reconcile_reports
from portops.queries.tally import handling_report
from tests.test_discharge_flow import CLERK
from tests.test_discharge_flow import discharged as discharged  # the fixture


def _report(engine, visit):
    with Session(engine) as s:
        return handling_report(s, visit)


def _import(engine, path, *extra):
    db = engine.url.render_as_string(hide_password=False)
    return main(["--db", db, "--user", CLERK, "import", str(path), *extra])


def test_our_own_report_agrees_with_the_tally(engine, clock, discharged, tmp_path, capsys):
    path = tmp_path / "coarri.edi"
    path.write_text(coarri_text(_report(engine, discharged["visit"]), clock.now()))
    assert registry.prepare_one(path).importer.operation is reconcile_reports
    with Session(engine) as s:
        before = s.exec(select(func.count()).select_from(Event)).one()
        items = s.exec(select(DischargeItem.number, DischargeItem.status)).all()
    assert _import(engine, path, "--visit", "TST-001") == 0
    out = capsys.readouterr().out
    assert "reconciled with the tally of TST-001" in out and "0 differences" in out
    with Session(engine) as s:  # one audit event, the tally untouched
        assert s.exec(select(func.count()).select_from(Event)).one() == before + 1
        assert s.exec(select(DischargeItem.number, DischargeItem.status)).all() == items


def test_each_difference_is_named(engine, discharged, tmp_path, capsys):
    report = _report(engine, discharged["visit"])
    moves = {m.box.number: m for m in report.moves}
    dropped = discharged["rest"][0]
    report.moves.remove(moves[dropped])  # tallied, not reported
    moved = moves[discharged["rest"][1]]
    moved.box.slot = Slot(moved.box.slot.bay, moved.box.slot.row, moved.box.slot.tier + 2)
    said_short = discharged["rest"][2]
    moves[said_short].condition = SHORT_LANDED  # reported short, tallied off the vessel
    path = tmp_path / "stevedore.edi"
    path.write_text(write_coarri(report, control_ref="ST1", prepared=T0))
    assert _import(engine, path, "--visit", "TST-001", "-v") == 0
    out = capsys.readouterr().out
    assert "3 differences" in out
    assert f"container {dropped}: tallied discharged, not in the report" in out
    assert f"container {said_short}: reported short-landed, tallied discharged" in out
    assert f"container {moved.box.number}: reported at slot {moved.box.slot.code}" in out


def test_a_load_report_for_a_visit_without_load_tally_is_refused(engine, discharged, tmp_path,
                                                                  capsys):
    report = _report(engine, discharged["visit"])
    report.kind = "load"
    path = tmp_path / "load.edi"
    path.write_text(write_coarri(report, control_ref="L1", prepared=T0))
    assert _import(engine, path, "--visit", "TST-001") == 1
    err = capsys.readouterr().err
    assert "visit TST-001 has no load tally to compare the report with" in err
    assert "[tally.reconcile.nothing]" in err
