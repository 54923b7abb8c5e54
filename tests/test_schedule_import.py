"""Layout and schedule files: re-import updates by key, bad files are refused whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from portops.cli import main
from portops.formats import registry
from portops.model import Berth, Event, Phase, Role, Vessel, VesselVisit, YardBlock
from portops.ops.visits import arrive
from tests.conftest import as_role, file_sha

DEMO = Path(__file__).resolve().parent.parent / "schedules" / "demo"



def _count(engine, model) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def db(db_file) -> Path:
    return db_file


def _cli(db: Path, capsys, *args) -> tuple[int, list[str], list[str]]:
    capsys.readouterr()
    code = main(["--db", str(db), *map(str, args)])
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err.splitlines()


def test_demo_files_import_twice_without_duplicates(db, capsys):
    files = sorted(DEMO.glob("*.yaml"))
    code, out, err = _cli(db, capsys, "import", *files)
    assert code == 0, err
    code, out, err = _cli(db, capsys, "import", *files)
    assert code == 0, err
    assert all("0 added" in line for line in out if ": layout:" in line or ": schedule:" in line)
    from portops.db import make_engine

    engine = make_engine(db)
    assert _count(engine, VesselVisit) >= 20 and _count(engine, Berth) >= 4
    with Session(engine) as s:
        keys = s.exec(select(VesselVisit.key)).all()
        blocks = s.exec(select(YardBlock)).all()
        berths = s.exec(select(Berth)).all()
    assert len(keys) == len(set(keys))
    assert sum(b.ground_slots for b in blocks) >= 10_000
    assert max(b.quay_end_m for b in berths) - min(b.quay_start_m for b in berths) >= 1000
    assert any(b.dangerous_goods for b in blocks) and any(b.reefer_rows for b in blocks)
    code, out, _ = _cli(db, capsys, "events")
    ops = [line.split()[4] for line in out]
    assert ops.count("schedule.import") == 2 and ops.count("layout.import") == 2
    imports = [line for line in out if "schedule.import" in line]
    assert "visit 27 added" in imports[0] and "visit 27 unchanged" in imports[1]


def _demo_copy(tmp_path: Path, old: str | None = None, new: str | None = None,
               name: str = "schedule.yaml") -> Path:
    text = (DEMO / name).read_text()
    if old is not None:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text)
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize(("old", "new", "needle", "words"), [
    ('imo: "9795610"', 'imo: "9795611"', 'imo: "9795611"', "wrong check digit"),
    ("berth: B3", "berth: B9", "berth: B9", "there is no berth 'B9'"),
    ("etb: 2026-11-24T00:00+08:00", "etb: 2026-11-31T00:00+08:00", "2026-11-31",
     "not a real date"),
    ("etd: 2026-11-23T14:00+08:00", "etd: 23/11/2026 14:00", "23/11/2026", "ISO 8601"),
    ("loa_m: 366.0", "loa_m: long", "loa_m: long", "not a number"),
    ("kind: schedule\n", "kind: schedule\n  oops: [\n", "oops", "YAML syntax error"),
])
def test_bad_schedule_is_one_line_at_file_and_line_and_changes_nothing(
        db, tmp_path, capsys, old, new, needle, words):
    assert _cli(db, capsys, "import", DEMO / "layout.yaml")[0] == 0
    bad = _demo_copy(tmp_path, old, new)
    before = file_sha(db)
    code, out, err = _cli(db, capsys, "import", bad)
    assert code == 1 and out == []
    assert len(err) == 1, err
    line = _line_of(bad, needle)
    assert err[0].startswith(f"{bad}:{line}: ") or (
        words == "YAML syntax error" and err[0].startswith(f"{bad}:")), err[0]
    assert words in err[0]
    assert file_sha(db) == before


def test_a_bad_file_refuses_the_good_ones_too(db, tmp_path, capsys):
    bad = _demo_copy(tmp_path, "berth: B3", "berth: B9")
    before = file_sha(db)
    code, _, err = _cli(db, capsys, "import", DEMO / "layout.yaml", bad)
    assert code == 1 and len(err) == 1 and "B9" in err[0]
    assert file_sha(db) == before


def test_schedule_without_layout_says_import_the_layout_first(db, capsys):
    code, _, err = _cli(db, capsys, "import", DEMO / "schedule.yaml")
    assert code == 1 and err == [f"{DEMO / 'schedule.yaml'}: the database has no terminal "
                                 "layout yet; import the layout file first (kind: layout) "
                                 "[schedule.no_terminal]"]


def _load(core, user, *paths):
    return registry.apply(core, user, registry.prepare(paths))


def test_changed_call_is_reported_with_its_fields_and_arrived_calls_are_kept(
        core, engine, tmp_path, chinese):
    admin = as_role(Role.ADMIN)
    _load(core, admin, DEMO / "layout.yaml", DEMO / "schedule.yaml")
    visits, vessels = _count(engine, VesselVisit), _count(engine, Vessel)
    with Session(engine) as s:
        arrived = s.exec(select(VesselVisit).where(
            VesselVisit.key == "HDMU-FE4-076")).one()
    core.run(as_role(Role.DISPATCHER), arrive, visit_id=arrived.id)
    moved = _demo_copy(tmp_path, "etb: 2026-11-24T00:00+08:00", "etb: 2026-11-24T02:00+08:00")
    moved.write_text(moved.read_text().replace("cranes: 5", "cranes: 4", 1))
    [report] = _load(core, as_role(Role.DISPATCHER), moved)
    changed = {c.key: c for c in report.changes if c.action == "changed"}
    assert set(changed) == {"YMLU-CEM-093"}
    assert set(changed["YMLU-CEM-093"].fields) == {"etb"}
    old, new = changed["YMLU-CEM-093"].fields["etb"]
    assert (new - old).total_seconds() == 2 * 3600
    assert "HDMU-FE4-076" in " ".join(map(str, report.notes))  # arrived: kept, not rewritten
    assert (_count(engine, VesselVisit), _count(engine, Vessel)) == (visits, vessels)
    with Session(engine) as s:
        assert s.exec(select(VesselVisit).where(
            VesselVisit.key == "HDMU-FE4-076")).one().phase == Phase.ARRIVED
        ev = s.exec(select(Event).order_by(Event.id.desc())).first()
    assert ev.operation == "schedule.import"
    assert ev.data["counts"]["visit"] == {"added": 0, "changed": 1, "unchanged": 26}
    assert ev.data["changes"] == [{"kind": "visit", "key": "YMLU-CEM-093", "action": "changed",
                                   "fields": {"etb": new.isoformat()}}]
    assert ev.data["source"] == str(moved)
    # what the console shows a Chinese dispatcher after the import
    assert report.summary(chinese) == ("船期：船舶：新增 0，变更 0，未变 "
                                       f"{vessels}；航次：新增 0，变更 1，未变 26")
    details = report.details(chinese)
    assert details[0].startswith("变更航次 YMLU-CEM-093：etb ")
    assert details[-1].startswith("作业中或已锁定，保持原样：") and "HDMU-FE4-076" in details[-1]


def test_rebase_day_moves_the_demo_to_today(core, engine, clock):
    clock.set(clock.now().replace(year=2027, month=3, day=4, hour=6))  # 14:00 in Shanghai
    _load(core, as_role(Role.ADMIN), DEMO / "layout.yaml", DEMO / "schedule.yaml")
    with Session(engine) as s:
        etbs = s.exec(select(VesselVisit.etb)).all()
    days = sorted({e.date().isoformat() for e in etbs})
    assert days[0] >= "2027-02-27" and days[-1] <= "2027-03-07"


def test_layout_errors_are_all_listed(tmp_path):
    bad = tmp_path / "layout.yaml"
    shutil.copy(DEMO / "layout.yaml", bad)
    text = bad.read_text().replace("depth_m: 16.5, bollards: [17, 32]",
                                   "depht_m: 16.5, bollards: [17, 32]")
    text = text.replace("quay_start_m: 800,", "quay_start_m: 790,")
    text = text.replace("locode: CNSHA", "locode: SHANGHAI")
    bad.write_text(text)
    from portops.formats.yamlsrc import SourceErrors

    with pytest.raises(SourceErrors) as exc:
        registry.prepare([bad])
    lines = str(exc.value).splitlines()
    assert len(lines) == 4, lines
    assert "not a UN/LOCODE" in lines[0] and "did you mean 'depth_m'" in " ".join(lines)
    assert "depth_m: is missing" in " ".join(lines) and "must not overlap" in lines[-1]
