"""Berthing and unberthing checklists: roles, order, guards, overrides, phases — from the file."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from portops.formats import checklists as fmt
from portops.model import ChecklistStep, Container, Event, Phase, Role, Vessel, VesselVisit, Where
from portops.ops import Refused
from portops.ops.checklists import import_definitions, tick
from portops.ops.visits import arrive, start_work
from portops.queries.checklists import checklist, jobs
from tests.conftest import as_role

D = as_role(Role.DISPATCHER)
L = as_role(Role.LINE_HANDLER)
BERTHING = ["PARTICULARS_CONFIRMED", "BERTH_CLEARED", "FLOATS_AND_MARKS_SET",
            "POSITION_CONFIRMED", "ALL_FAST", "BERTHED_CONFIRMED"]
POSITION = {"pilot": "Wang Lei", "bollard_fore": "B14", "bollard_aft": "B22"}


def walk_berthing(core, vid: int, until: str | None = None) -> None:
    for step, user, values in [
        ("PARTICULARS_CONFIRMED", D, None), ("BERTH_CLEARED", D, None),
        ("FLOATS_AND_MARKS_SET", L, None), ("POSITION_CONFIRMED", D, POSITION),
        ("ALL_FAST", L, {"lines": 8}), ("BERTHED_CONFIRMED", D, None),
    ]:
        if step == until:
            return
        core.run(user, tick, visit_id=vid, checklist="berthing", step=step, values=values)


def test_the_shipped_file_is_the_issue_s_steps():
    defs = fmt.default()
    assert [s.id for s in defs["berthing"].steps] == BERTHING
    assert [s.role for s in defs["berthing"].steps] == [
        "dispatcher", "dispatcher", "line_handler", "dispatcher", "line_handler", "dispatcher"]
    assert [s.id for s in defs["unberthing"].steps] == [
        "UNBERTHING_CONFIRMED", "PILOT_ORDER_RECEIVED", "LINES_LET_GO"]
    assert all(s.text["zh"] for d in defs.values() for s in d.steps)
    assert defs["berthing"].step("ALL_FAST").event == "ALL_FAST"
    assert defs["unberthing"].step("LINES_LET_GO").event == "lastLineReleased"


def test_berthing_walk_sets_atb_and_phase(core, engine, small_terminal, clock):
    vid = small_terminal["visit"]
    core.run(D, arrive, visit_id=vid)
    walk_berthing(core, vid, until="BERTHED_CONFIRMED")
    clock.advance(minutes=10)
    out = core.run(D, tick, visit_id=vid, checklist="berthing", step="BERTHED_CONFIRMED")
    assert out == {"step": "BERTHED_CONFIRMED", "phase": "berthed", "remaining": []}
    with Session(engine) as s:
        v = s.get(VesselVisit, vid)
        assert (v.phase, v.atb) == (Phase.BERTHED, clock.now())
        rows = s.exec(select(ChecklistStep).order_by(ChecklistStep.id)).all()
        assert [r.step_id for r in rows] == BERTHING
        assert rows[3].values == POSITION and rows[3].done_by == "dispatcher"
        assert rows[4].values["lines"] == 8 and rows[4].role == "line_handler"
        events = s.exec(select(Event).where(Event.operation == "checklist.tick")
                        .order_by(Event.id)).all()
    assert [e.dcsa for e in events] == [None, None, "MOORING", "PILOTAGE", "ALL_FAST",
                                        "ARRI-ACT-BRTH"]
    assert events[-1].data["phase_to"] == "berthed"


def test_wrong_role_and_out_of_order_and_missing_values_all_at_once(core, engine, small_terminal):
    vid = small_terminal["visit"]
    with pytest.raises(Refused) as exc:
        core.run(L, tick, visit_id=vid, checklist="berthing", step="POSITION_CONFIRMED",
                 values={"bollard_fore": "B14", "tugs": 2})
    assert exc.value.rules == ["checklist.step.role", "checklist.step.needs",
                               "checklist.value.unknown", "checklist.value.missing",
                               "checklist.value.missing", "checklist.step.phase"]
    assert "done by a dispatcher, not a line handler" in exc.value.unmet[0].message
    assert "needs step 3 (Floats and berthing marks set out)" in exc.value.unmet[1].message
    with Session(engine) as s:
        assert s.exec(select(ChecklistStep)).all() == []


STEP_ID = re.compile(r"\b[A-Z]{3,}_[A-Z_]+\b")


def test_english_refusals_name_steps_by_number_not_id(core, small_terminal):
    """Walker item 9: "step BERTHED_CONFIRMED needs step ALL_FAST ... — do step ALL_FAST
    first". A clerk reads steps by number and title, as the list shows them; Chinese already
    did (第 6 步). Every refusal a tick can meet, in English, without a step id."""
    vid = small_terminal["visit"]
    refused: list[Refused] = []

    def attempt(user, step, values=None, checklist="berthing"):
        with pytest.raises(Refused) as exc:
            core.run(user, tick, visit_id=vid, checklist=checklist, step=step, values=values)
        refused.append(exc.value)

    attempt(D, "FLOATS_AND_MARKS_SET")  # planned: phase, role, needs
    core.run(D, arrive, visit_id=vid)
    walk_berthing(core, vid, until="POSITION_CONFIRMED")
    attempt(L, "POSITION_CONFIRMED", {"bollard_fore": "B14", "tugs": 2})  # values
    attempt(D, "BERTH_CLEARED")  # done already
    attempt(D, "BERTHED_CONFIRMED", {"berthed_at": "25:00"})  # needs, bad time
    attempt(D, "UNBERTHING_CONFIRMED", checklist="unberthing")  # the checklist's phase
    rules = {u.rule for r in refused for u in r.unmet}
    assert {"checklist.step.phase", "checklist.step.role", "checklist.step.needs",
            "checklist.value.unknown", "checklist.value.missing", "checklist.step.done",
            "checklist.value.invalid"} <= rules, rules
    for u in (u for r in refused for u in r.unmet):
        assert not STEP_ID.search(u.message + u.remedy), u
    needs = next(u for u in refused[3].unmet if u.rule == "checklist.step.needs")
    assert (needs.message, needs.remedy) == (
        "step 6 (Berthed confirmed with the pilot) needs step 5 (All lines fast) first",
        "do step 5 first")


def test_a_step_cannot_be_ticked_twice(core, small_terminal):
    vid = small_terminal["visit"]
    core.run(D, tick, visit_id=vid, checklist="berthing", step="BERTH_CLEARED")
    with pytest.raises(Refused) as exc:
        core.run(D, tick, visit_id=vid, checklist="berthing", step="BERTH_CLEARED")
    assert exc.value.rules == ["checklist.step.done"]


def _second_visit(engine, loa=200.0, quay=100.0, phase=Phase.BERTHED) -> int:
    with Session(engine) as s, s.begin():
        v = Vessel(imo="9321483", name="OTHER", loa_m=loa, beam_m=32, max_draft_m=10)
        s.add(v)
        s.flush()
        t = datetime(2026, 11, 26, 0, 0, tzinfo=UTC)
        visit = VesselVisit(key="OTH-1", vessel_id=v.id, line_operator="MSCU", etb=t, atb=t,
                            etd=t + timedelta(hours=20), berth_id=1, quay_from_m=quay,
                            phase=phase)
        s.add(visit)
        s.flush()
        return visit.id


def test_berth_not_cleared_while_another_vessel_is_alongside(core, engine, small_terminal):
    other = _second_visit(engine)  # alongside at 100..300 m, overlapping TST-001's 20..320 m
    vid = small_terminal["visit"]
    with pytest.raises(Refused) as exc:
        core.run(D, tick, visit_id=vid, checklist="berthing", step="BERTH_CLEARED")
    assert exc.value.rules == ["berth.occupied"]
    assert "OTH-1 is still alongside" in exc.value.unmet[0].message
    with Session(engine) as s, s.begin():  # it sails
        s.get(VesselVisit, other).phase = Phase.DEPARTED
    core.run(D, tick, visit_id=vid, checklist="berthing", step="BERTH_CLEARED")


def test_particulars_refused_when_the_vessel_does_not_fit(core, engine, small_terminal):
    with Session(engine) as s, s.begin():
        v = s.get(Vessel, small_terminal["vessel"])
        v.loa_m, v.max_draft_m = 400, 15.0
    with pytest.raises(Refused) as exc:
        core.run(D, tick, visit_id=small_terminal["visit"], checklist="berthing",
                 step="PARTICULARS_CONFIRMED")
    assert exc.value.rules == ["berth.loa_too_long", "berth.draft_too_deep"]


def test_particulars_need_a_berth(core, engine, small_terminal):
    with Session(engine) as s, s.begin():
        s.get(VesselVisit, small_terminal["visit"]).berth_id = None
    with pytest.raises(Refused) as exc:
        core.run(D, tick, visit_id=small_terminal["visit"], checklist="berthing",
                 step="PARTICULARS_CONFIRMED")
    assert exc.value.rules == ["checklist.berth_fit.unassigned"]


def test_berthed_confirmation_goes_through_the_visit_transition(core, small_terminal):
    """A planned (not arrived) visit cannot be confirmed berthed: visits.py says why."""
    vid = small_terminal["visit"]
    walk_berthing(core, vid, until="FLOATS_AND_MARKS_SET")
    with pytest.raises(Refused) as exc:
        core.run(D, tick, visit_id=vid, checklist="berthing", step="BERTHED_CONFIRMED")
    assert exc.value.rules == ["checklist.step.needs", "checklist.step.phase",
                               "visit.phase.planned_to_berthed"]


def test_values_are_typed(core, small_terminal):
    vid = small_terminal["visit"]
    core.run(D, arrive, visit_id=vid)
    walk_berthing(core, vid, until="ALL_FAST")
    with pytest.raises(Refused) as exc:
        core.run(L, tick, visit_id=vid, checklist="berthing", step="ALL_FAST",
                 values={"lines": "eight", "all_fast": "yesterday"})
    assert exc.value.rules == ["checklist.value.invalid", "checklist.value.invalid"]
    core.run(L, tick, visit_id=vid, checklist="berthing", step="ALL_FAST",
             values={"lines": "8", "all_fast": "2026-11-27T06:00Z"})


def _berthed(core, vid):
    core.run(D, arrive, visit_id=vid)
    walk_berthing(core, vid)


def test_unberthing_refused_while_cargo_unfinished_then_override(core, engine, small_terminal,
                                                                  clock):
    vid = small_terminal["visit"]
    _berthed(core, vid)
    core.run(D, start_work, visit_id=vid)
    with pytest.raises(Refused) as exc:
        core.run(D, tick, visit_id=vid, checklist="unberthing", step="UNBERTHING_CONFIRMED")
    assert exc.value.rules == ["checklist.cargo_unfinished"]
    assert "override with a written reason" in exc.value.unmet[0].remedy
    with pytest.raises(Refused) as exc:
        core.run(D, tick, visit_id=vid, checklist="unberthing", step="UNBERTHING_CONFIRMED",
                 override_reason="   ")
    assert exc.value.rules == ["checklist.cargo_unfinished"]
    core.run(D, tick, visit_id=vid, checklist="unberthing", step="UNBERTHING_CONFIRMED",
             override_reason="typhoon warning: master orders departure")
    core.run(D, tick, visit_id=vid, checklist="unberthing", step="PILOT_ORDER_RECEIVED")
    with pytest.raises(Refused) as exc:
        core.run(D, tick, visit_id=vid, checklist="unberthing", step="LINES_LET_GO")
    assert exc.value.rules == ["checklist.step.role"]
    clock.advance(hours=1)
    out = core.run(L, tick, visit_id=vid, checklist="unberthing", step="LINES_LET_GO")
    assert out["phase"] == "departed"
    with Session(engine) as s:
        v = s.get(VesselVisit, vid)
        assert (v.phase, v.atd) == (Phase.DEPARTED, clock.now())
        row = s.exec(select(ChecklistStep).where(
            ChecklistStep.step_id == "UNBERTHING_CONFIRMED")).one()
        assert row.override == "cargo_finished"
        assert row.override_reason == "typhoon warning: master orders departure"
        ops = [e.operation for e in s.exec(select(Event).order_by(Event.id))][-3:]
        last = s.exec(select(Event).order_by(Event.id.desc())).first()
    assert ops == ["checklist.tick"] * 3
    assert last.dcsa == "lastLineReleased" and last.data["phase_to"] == "departed"


def test_boxes_still_to_load_block_unberthing(core, engine, small_terminal):
    vid = small_terminal["visit"]
    _berthed(core, vid)
    with Session(engine) as s, s.begin():
        s.add(Container(number="MSCU1234565", size_type="42G1", out_visit_id=vid,
                        location=Where.YARD))
    with pytest.raises(Refused) as exc:
        core.run(D, tick, visit_id=vid, checklist="unberthing", step="UNBERTHING_CONFIRMED")
    assert "0 box(es) to discharge and 1 to load" in exc.value.unmet[0].message


def test_unberthing_cannot_start_before_berthing(core, small_terminal):
    with pytest.raises(Refused) as exc:
        core.run(D, tick, visit_id=small_terminal["visit"], checklist="unberthing",
                 step="UNBERTHING_CONFIRMED")
    assert exc.value.rules == ["checklist.phase"]


CUSTOM = fmt.DEFAULT_PATH.read_text(encoding="utf-8").replace(
    # the floats are set out by the dispatcher's boatmen here, and a gangway step is added
    """        role: line_handler
        needs: [BERTH_CLEARED]""", """        role: dispatcher
        needs: [BERTH_CLEARED]""").replace(
    """      - id: BERTHED_CONFIRMED""", """      - id: GANGWAY_DOWN_AND_SECURE
        text: {en: Gangway down and secure, zh: 舷梯放妥}
        role: line_handler
        needs: [ALL_FAST]
        event: GANGWAY_DOWN_AND_SECURE
      - id: BERTHED_CONFIRMED""").replace("needs: [ALL_FAST]\n        event: ARRI-ACT-BRTH",
                                         "needs: [GANGWAY_DOWN_AND_SECURE]\n"
                                         "        event: ARRI-ACT-BRTH")


def test_a_terminal_adds_a_step_and_changes_a_role_without_code(core, engine, small_terminal):
    defs = fmt.load_text(CUSTOM, "terminal.yaml")
    out = core.run("system", import_definitions, body=fmt.to_json(defs), source="terminal.yaml")
    assert out.summary() == "checklists: steps 1 added, 2 changed, 7 unchanged"
    assert out.details() == [
        "changed step berthing FLOATS_AND_MARKS_SET: role line_handler -> dispatcher",
        "added step berthing GANGWAY_DOWN_AND_SECURE",
        "changed step berthing BERTHED_CONFIRMED: needs ['ALL_FAST'] -> "
        "['GANGWAY_DOWN_AND_SECURE']"]
    vid = small_terminal["visit"]
    core.run(D, arrive, visit_id=vid)
    core.run(D, tick, visit_id=vid, checklist="berthing", step="PARTICULARS_CONFIRMED")
    core.run(D, tick, visit_id=vid, checklist="berthing", step="BERTH_CLEARED")
    with pytest.raises(Refused) as exc:
        core.run(L, tick, visit_id=vid, checklist="berthing", step="FLOATS_AND_MARKS_SET")
    assert exc.value.rules == ["checklist.step.role"]
    core.run(D, tick, visit_id=vid, checklist="berthing", step="FLOATS_AND_MARKS_SET")
    core.run(D, tick, visit_id=vid, checklist="berthing", step="POSITION_CONFIRMED",
             values=POSITION)
    core.run(L, tick, visit_id=vid, checklist="berthing", step="ALL_FAST")
    with pytest.raises(Refused) as exc:
        core.run(D, tick, visit_id=vid, checklist="berthing", step="BERTHED_CONFIRMED")
    assert exc.value.rules == ["checklist.step.needs"]
    assert [j.step.id for j in _jobs(engine, "line_handler")] == ["GANGWAY_DOWN_AND_SECURE"]
    core.run(L, tick, visit_id=vid, checklist="berthing", step="GANGWAY_DOWN_AND_SECURE")
    core.run(D, tick, visit_id=vid, checklist="berthing", step="BERTHED_CONFIRMED")
    with Session(engine) as s:
        assert s.get(VesselVisit, vid).phase == Phase.BERTHED
        ev = s.exec(select(Event).where(Event.dcsa == "GANGWAY_DOWN_AND_SECURE")).one()
        assert ev.user == "line-handler"


def _jobs(engine, role):
    with Session(engine) as s:
        return jobs(s, role)


def test_views_show_progress_and_the_line_handler_s_next_job(core, engine, small_terminal):
    vid = small_terminal["visit"]
    assert _jobs(engine, "line_handler") == []
    core.run(D, tick, visit_id=vid, checklist="berthing", step="BERTH_CLEARED")
    assert _jobs(engine, "line_handler") == []  # the floats wait for the vessel to arrive
    core.run(D, arrive, visit_id=vid)
    (job,) = _jobs(engine, "line_handler")
    assert (job.visit_key, job.step.id, job.berth, job.quay_from_m) == (
        "TST-001", "FLOATS_AND_MARKS_SET", "B1", 20)
    with Session(engine) as s:
        view = checklist(s, vid, "berthing")
    assert [st.done for st in view.steps] == [False, True, False, False, False, False]
    assert view.next_step.id == "PARTICULARS_CONFIRMED" and view.open


def test_import_is_admin_only(core):
    with pytest.raises(Refused) as exc:
        core.run(D, import_definitions, body=fmt.to_json(fmt.default()))
    assert exc.value.rules == ["role.not_permitted"]


@pytest.mark.parametrize(("text", "expect"), [
    ("kind: layout\n", "f.yaml:1: kind is 'layout', not 'checklists'"),
    ("kind: checklists\nchecklists:\n  berthing:\n    phases: [planned]\n    steps:\n"
     "      - id: A\n        text: x\n        role: captain\n",
     "f.yaml:8: step A: 'captain' is not a role"),
    ("kind: checklists\nchecklists:\n  b:\n    phases: [planned]\n    steps:\n"
     "      - id: A\n        text: x\n        role: dispatcher\n        needs: [Z]\n",
     "f.yaml:9: step A needs 'Z', which is not an earlier step of b"),
    ("kind: checklists\nchecklists:\n  b:\n    phases: [docked]\n    steps: []\n",
     "f.yaml:4: checklist b: 'docked' is not a visit phase"),
    ("kind: checklists\nchecklists:\n  b:\n    phases: [planned]\n    steps:\n"
     "      - id: A\n        text: x\n        role: dispatcher\n        records:\n"
     "          - {name: n, type: colour}\n",
     "f.yaml:10: step A: record n has unknown type 'colour'"),
    ("kind: checklists\nchecklists:\n  b:\n    phases: [planned]\n    steps:\n"
     "      - id: A\n        text: x\n        role: dispatcher\n        guards: [tide]\n",
     "f.yaml:9: step A: unknown guard 'tide'"),
    ("kind: checklists\nchecklists: [\n", "f.yaml:3: YAML syntax error"),
])
def test_bad_checklist_files_name_file_and_line(text, expect):
    with pytest.raises(fmt.ChecklistFileError) as exc:
        fmt.load_text(text, "f.yaml")
    assert str(exc.value).startswith(expect), str(exc.value)
    assert "; " in str(exc.value)


def test_portops_import_loads_a_checklist_file_and_reports_bad_ones(tmp_path, capsys):
    from portops.cli import main

    db = tmp_path / "t.db"
    assert main(["--db", str(db), "init", "--admin", "admin"]) == 0
    custom = tmp_path / "terminal-checklists.yaml"
    custom.write_text(CUSTOM, encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(db), "import", str(custom)]) == 0
    assert "checklists: steps 1 added, 2 changed, 7 unchanged" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text(CUSTOM.replace("role: line_handler\n        needs: [ALL_FAST]",
                                  "role: deckhand\n        needs: [ALL_FAST]"), encoding="utf-8")
    line = bad.read_text().splitlines().index("        role: deckhand") + 1
    assert main(["--db", str(db), "import", str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{bad}:{line}: step GANGWAY_DOWN_AND_SECURE: 'deckhand' is not a role; "
                   "use dispatcher, line_handler, yard_planner, tally_clerk, gate_clerk"]
