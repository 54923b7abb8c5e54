"""Inventory: boxes in the yard and on board, loaded as one operation by the yard's rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from portops.cli import main
from portops.model import Container, Event, Role
from portops.ops import Refused
from portops.ops.inventory import BoxSpec, load_inventory
from tests.conftest import as_role, file_sha

DEMO = Path(__file__).resolve().parent.parent / "schedules" / "demo"

GOOD = """\
kind: inventory
containers:
  - number: CSQU3054383
    size_type: 45G1
    operator: COSU
    category: import
    gross_kg: 24000
    pol: NLRTM
    pod: CNSHA
    bl: COSU6123456780
    yard: A01.02.1.1
  - number: MSKU0000006
    size_type: "2200"
    yard: A01.01.2.1
  - number: TGHU0000008
    size_type: 45R1
    reefer_temp_c: -18
    yard: C01.02.1.1
"""



@pytest.fixture
def db(db_file) -> Path:
    path = db_file
    assert main(["--db", str(path), "import", str(DEMO / "layout.yaml")]) == 0
    return path


def test_good_inventory_loads_as_one_operation(db, tmp_path, capsys):
    f = tmp_path / "inv.yaml"
    f.write_text(GOOD)
    assert main(["--db", str(db), "import", str(f)]) == 0
    from portops.db import make_engine

    with Session(make_engine(db)) as s:
        boxes = s.exec(select(Container).order_by(Container.number)).all()
        ev = s.exec(select(Event).order_by(Event.id.desc())).first()
    assert [(b.number, b.size_type, b.yard_bay) for b in boxes] == [
        ("CSQU3054383", "45G1", 2), ("MSKU0000006", "22G0", 1), ("TGHU0000008", "45R1", 2)]
    assert ev.operation == "inventory.load" and ev.data["counts"]["yard"] == 3
    assert "boxes" not in ev.data  # the event holds counts, not the whole file
    said = capsys.readouterr().out
    assert f"{f}: 3 box(es) loaded: 3 in the yard, 0 on board, 0 advised" in said
    assert "{" not in said  # a sentence, not the result's dict


@pytest.mark.parametrize(("old", "new", "line", "words"), [
    ("CSQU3054383", "CSQU3054384", 3, "wrong check digit (expected 3)"),
    ('size_type: "2200"', 'size_type: "2299"', 13, "not a known ISO 6346 code"),
    # rules the database judges point at the box's entry
    ("yard: A01.02.1.1", "yard: A01.3.1.1", 3, "40' box stands on an even bay"),
    ("yard: C01.02.1.1", "yard: A01.06.1.1", 15, "needs a plug"),
    ("yard: A01.01.2.1", "yard: A01.01.2.2", 12, "nothing stands under"),
    ("yard: A01.01.2.1", "yard: Z99.01.2.1", 12, "no yard block 'Z99'"),
])
def test_bad_box_is_one_line_at_its_place_and_nothing_changes(db, tmp_path, capsys,
                                                             old, new, line, words):
    f = tmp_path / "inv.yaml"
    f.write_text(GOOD.replace(old, new))
    before = file_sha(db)
    capsys.readouterr()
    assert main(["--db", str(db), "import", str(f)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(f"{f}:{line}: ") and words in err[0], err[0]
    assert file_sha(db) == before


def test_slot_clash_and_duplicate_numbers_are_all_listed(core, engine):
    from portops.formats import registry

    registry.apply(core, "system", registry.prepare([DEMO / "layout.yaml"]))
    boxes = [BoxSpec("CSQU3054383", "45G1", location="yard", block="A01", bay=2, row=1, tier=1,
                     where="a:1"),
             BoxSpec("MSKU0000006", "22G1", location="yard", block="A01", bay=3, row=1, tier=1,
                     where="a:2"),
             BoxSpec("CSQU3054383", "22G1", location="yard", block="A01", bay=5, row=1, tier=1,
                     where="a:3")]
    with pytest.raises(Refused) as exc:
        core.run(as_role(Role.YARD_PLANNER), load_inventory, boxes=boxes)
    assert [(u.where, u.rule) for u in exc.value.unmet] == [
        ("a:2", "inventory.slot.taken"), ("a:3", "inventory.number.active")]
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Container)).one() == 0


def test_a_long_source_path_is_kept_by_its_end_in_the_event(core, engine, tmp_path):
    """An inventory (or any import) from a deep path: the event's subject is its last 63
    characters after an ellipsis (PostgreSQL refused the import: the column holds 64)."""
    source = str(tmp_path / ("d" * 80) / "go-live-inventory.yaml")
    core.run(as_role(Role.YARD_PLANNER), load_inventory, boxes=[], source=source)
    with Session(engine) as s:
        ev = s.exec(select(Event).order_by(Event.id.desc())).first()
    assert ev.operation == "inventory.load"
    assert len(ev.subject_ref) == 64 and ev.subject_ref == "…" + source[-63:]
    assert ev.data["source"] == source
