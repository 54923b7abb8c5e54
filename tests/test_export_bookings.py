"""Export bookings keyed in or imported (issue 13): ``kind: export_bookings`` is read with
FILE:LINE problems, judged by the booking's rules (each refused booking named by its line,
none written) and recorded by one ``export.booking_import``."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from portops.formats import registry
from portops.formats.yamlsrc import SourceError, SourceErrors
from portops.model import ExportBooking, Role, VesselVisit
from portops.ops import Refused
from portops.ops.export_bookings import add_booking
from tests.conftest import as_role

D = as_role(Role.DISPATCHER)

GOOD = """\
kind: export_bookings
version: 1
bookings:
  - ref: cosu0001
    visit: TST-001
    line: COSU
    shipper: Ningbo Exports Co.
    pod: NLRTM
    size_type: 45G1
    quantity: 3
  - ref: COSU0002
    visit: TST-001
    line: COSU
    pod: DEHAM
    size_type: 22R1
    quantity: 1
    reefer_temp_c: -18
  - ref: COSU0003
    visit: TST-001
    line: COSU
    pod: BEANR
    size_type: 22G1
    quantity: 2
    imdg_class: 3
    un_number: 1203
"""


@pytest.fixture
def open_visit(core, engine, small_terminal, clock):
    with Session(engine) as s, s.begin():
        v = s.get(VesselVisit, small_terminal["visit"])
        v.etb = clock.now() + timedelta(days=3)
    return small_terminal


def _write(tmp_path, text: str, name: str = "bookings.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _refs(engine) -> dict[str, ExportBooking]:
    with Session(engine) as s:
        return {b.ref: b for b in s.exec(select(ExportBooking))}


def test_a_booking_list_is_imported_in_one_operation(core, engine, open_visit, tmp_path):
    prepared = registry.prepare([_write(tmp_path, GOOD)])
    assert [p.importer.name for p in prepared] == ["export_bookings"]
    registry.apply(core, D, prepared)
    got = _refs(engine)
    assert sorted(got) == ["COSU0001", "COSU0002", "COSU0003"]
    assert got["COSU0002"].reefer_temp_c == -18.0
    assert (got["COSU0003"].imdg_class, got["COSU0003"].un_number) == ("3", "1203")
    assert got["COSU0001"].shipper == "Ningbo Exports Co." and got["COSU0001"].quantity == 3


def test_refused_bookings_are_named_by_line_and_none_is_written(core, engine, open_visit,
                                                                tmp_path):
    core.run(D, add_booking, ref="COSU0002", visit_key="TST-001", line="COSU", pod="NLRTM",
             size_type="45G1", quantity=1)
    bad = GOOD.replace("visit: TST-001\n    line: COSU\n    shipper",
                       "visit: NOPE-1\n    line: COSU\n    shipper").replace(
        "un_number: 1203", "un_number: 12")
    path = _write(tmp_path, bad)
    prepared = registry.prepare([path])
    with pytest.raises(Refused) as exc:
        registry.apply(core, D, prepared)
    where = {u.rule: u.where for u in exc.value.unmet}
    assert where["export.booking.visit"] == f"{path}:4"
    assert where["export.booking.exists"] == f"{path}:11"
    assert where["export.booking.un_number"] == f"{path}:18"
    assert sorted(_refs(engine)) == ["COSU0002"]  # only the one booked before


def test_a_file_that_says_wrong_things_is_refused_with_its_lines(tmp_path):
    text = GOOD.replace("quantity: 3", "quantity: many").replace(
        "reefer_temp_c: -18", "reefer_temp_c: -90").replace("ref: COSU0002", "ref: COSU0001") \
        .replace("    pod: BEANR", "    pdo: BEANR")
    path = _write(tmp_path, text)
    with pytest.raises(SourceErrors) as exc:
        registry.prepare([path])
    text = str(exc.value)
    assert f"{path}:10: quantity:" in text
    assert f"{path}:17: reefer_temp_c:" in text
    assert "listed twice" in text
    assert "has no key 'pdo'" in text


def test_only_a_dispatcher_imports_bookings(core, engine, open_visit, tmp_path):
    prepared = registry.prepare([_write(tmp_path, GOOD)])
    with pytest.raises(Refused):
        registry.apply(core, as_role(Role.GATE_CLERK), prepared)
    assert _refs(engine) == {}


def test_the_booking_rules_on_reefer_and_dangerous_goods(core, open_visit):
    with pytest.raises(Refused) as exc:
        core.run(D, add_booking, ref="B1", visit_key="TST-001", line="COSU", pod="NLRTM",
                 size_type="45R1", quantity=1, reefer_temp_c=-80.0, imdg_class="33",
                 un_number=None)
    assert {"export.booking.reefer_temp", "export.booking.imdg_class",
            "export.booking.dangerous"} <= set(exc.value.rules)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_is_a_problem_or_bookings_never_a_traceback(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("b") / "x.yaml"
    path.write_text("kind: export_bookings\n" + text, encoding="utf-8")
    with contextlib.suppress(SourceError, SourceErrors):
        registry.prepare([path])


@pytest.mark.sqlite_only
def test_cli_adds_and_lists_bookings(engine, open_visit, capsys):
    from portops.cli import main

    db = ["--db", engine.url.database, "--user", D]
    add = [*db, "export-booking", "add", "BK9", "--visit", "TST-001", "--line", "COSU",
           "--pod", "NLRTM", "--size-type", "45R1", "--quantity", "2", "--reefer-temp", "-18"]
    assert main(add) == 0
    assert main(add) == 1  # the reference is taken: refused, one line a rule
    assert "[export.booking.exists]" in capsys.readouterr().err
    with pytest.raises(SystemExit) as bad:  # argparse's one line and status 2
        main([*db, "export-booking", "add", "BK8", "--visit", "TST-001", "--line", "COSU",
              "--pod", "NLRTM", "--size-type", "45G1", "--quantity", "many"])
    assert bad.value.code == 2
    assert main([*db, "export-booking", "list", "NOPE"]) == 1
    capsys.readouterr()
    assert main([*db, "export-booking", "list", "TST-001"]) == 0
    out = capsys.readouterr().out
    assert "BK9" in out and "45R1" in out and "BK8" not in out


def test_a_csv_list_is_imported_and_its_bad_rows_named(core, engine, open_visit, tmp_path):
    good = _write(tmp_path, "ref;visit;line;pod;size_type;quantity;reefer_temp_c\n"
                            "CSV1;TST-001;COSU;NLRTM;45R1;2;-18\n"
                            "CSV2;TST-001;COSU;DEHAM;22G1;1;\n", "bookings.csv")
    prepared = registry.prepare([good])
    assert [p.importer.name for p in prepared] == ["export_bookings_csv"]
    [report] = registry.apply(core, D, prepared)
    assert "bookings 2 added" in report.summary()
    got = _refs(engine)
    assert got["CSV1"].reefer_temp_c == -18.0 and got["CSV2"].reefer_temp_c is None
    bad = _write(tmp_path, "ref,visit,line,pod,size_type,quantity\n"
                           "CSV3,TST-001,COSU,NLRTM,45G1,many\n"
                           "CSV3,TST-001,COSU,NLRTM,45G1,1\n"
                           "CSV4,TST-001,COSU\n", "bad.csv")
    with pytest.raises(SourceErrors) as exc:
        registry.prepare([bad])
    text = str(exc.value)
    assert f"{bad}:2: quantity: 'many' is not a whole number" in text
    assert f"{bad}:3: booking CSV3 is listed twice" in text
    assert f"{bad}:4: has 3 fields" in text
    header = _write(tmp_path, "ref,visit,size_type,quantity,colour\n", "header.csv")
    with pytest.raises(SourceErrors, match="lacks line, pod; has unknown columns colour"):
        registry.prepare([header])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab1-.;,\"\n 9ç")), max_size=12),
                min_size=6, max_size=6), st.integers(0, 3))
def test_any_csv_row_is_a_problem_or_a_booking_never_a_traceback(tmp_path_factory, cells, n):
    from portops.formats.export_bookings import read_bookings_csv

    text = "ref,visit,line,pod,size_type,quantity\n" + "\n".join([",".join(cells)] * n)
    with contextlib.suppress(SourceError, SourceErrors):
        read_bookings_csv(text, "x.csv")
