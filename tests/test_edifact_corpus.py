"""The message corpus (issue 15): every file in tests/data/edi/ (real/ holds an excerpt of a
real bay plan and files that reproduce features of real messages whose licence does not let
them be copied: see tests/data/edi/README.md) pinned by outcome: the importer that claims it,
its problems by kind, what it reads (boxes, or reports with their moves); its tokens as
pydifact reads them; and each imported into a terminal, or refused for a reason a terminal
would accept."""

from __future__ import annotations

from pathlib import Path

import pytest

from portops.cli import main
from portops.formats import registry
from portops.formats.edifact.files import decode
from portops.formats.edifact.problems import BOX, WARNING, counts
from portops.model import Role
from tests.conftest import as_role
from tests.test_edifact_syntax import ours, pydifact_segments

DATA = Path(__file__).resolve().parent / "data"
EDI = DATA / "edi"
PLANNER, CLERK = as_role(Role.YARD_PLANNER), as_role(Role.TALLY_CLERK)

#: file -> (importer, problems by kind, boxes read or [(report kind or direction, moves)])
OUTCOMES = {
    "real/parse-baplie-v22-excerpt.edi": ("baplie", {WARNING: 3}, 9),
    "real/us-terminal-baplie-features.edi": ("baplie", {}, 3),
    "real/itg13-coarri-features.edi": ("coarri", {}, [("discharge", 1), ("load", 2)]),
    "real/coarri-d23a-features.edi": ("coarri", {WARNING: 3}, [("discharge", 3)]),
    "real/smdg31-guide-features.edi": ("baplie", {BOX: 1}, 1),
    "real/feeder-baplie-features.edi": ("baplie", {}, 6),
    "real/codeco-itg10-features.edi": ("codeco", {}, [("gate-in", 1)]),
    "counts-off.edi": ("baplie", {WARNING: 3}, 2),
    "vgm-missing.edi": ("baplie", {WARNING: 2}, 3),
    "iso1984.edi": ("baplie", {BOX: 1, WARNING: 1}, 6),
    "check-digit.edi": ("baplie", {BOX: 1}, 2),
    "smdg15.edi": ("baplie", {}, 2),
    "baplie31.edi": ("baplie", {WARNING: 1}, 2),
    "movins.edi": ("movins", {WARNING: 1}, 2),
    "vermas.edi": ("vermas", {BOX: 1}, 2),
}
EVERY_FILE = sorted(str(p.relative_to(DATA)) for p in DATA.rglob("*.edi"))


def test_every_message_file_is_pinned():
    pinned = {f"edi/{name}" for name in OUTCOMES} | {"edi/orders.edi"}
    ours_ = {f for f in EVERY_FILE if f.startswith("edi/")}
    assert ours_ == pinned


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_each_file_reads_with_its_outcome(name):
    importer, kinds, read = OUTCOMES[name]
    prepared = registry.prepare_one(EDI / name)
    assert prepared.importer.name == importer
    assert counts(prepared.problems) == kinds
    numbers = [p.segment or 0 for p in prepared.problems]
    assert numbers == sorted(numbers)  # listed in the file's order
    kw = prepared.kwargs
    if "reports" in kw:
        assert [(r.kind, len(r.moves)) for r in kw["reports"]] == read
    elif "report" in kw:  # a CODECO: one gate report
        assert [(kw["report"].direction, len(kw["report"].moves))] == read
    elif "declarations" in kw:
        assert len(kw["declarations"].declarations) == read
    else:
        assert len((kw.get("plan") or kw["orders"]).boxes) == read


@pytest.mark.parametrize("name", EVERY_FILE)
def test_every_file_tokenizes_as_pydifact_reads_it(name):
    text = decode((DATA / name).read_bytes())
    assert ours(text) == pydifact_segments(text)


def _db(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_the_real_bay_plan_goes_onto_a_visit_with_force(engine, small_terminal, capsys):
    """A departure plan from a Gulf feeder (AEKHL to BHBAH): onto the test visit, every box
    remains on board here; its month-00 ETA and cut UNT count are reported, not refused."""
    path = str(EDI / "real" / "parse-baplie-v22-excerpt.edi")
    assert main(["--db", _db(engine), "--user", PLANNER, "import", path,
                 "--visit", "TST-001"]) == 1
    assert "X-PRESS EUPHRATES" in capsys.readouterr().err  # what differs is named
    assert main(["--db", _db(engine), "--user", PLANNER, "import", path, "--visit", "TST-001",
                 "--force"]) == 0
    out = capsys.readouterr().out
    assert "9 boxes" in out and "3 warning(s)" in out
    assert "'1700200200' is not a date/time in format 201" in out


def test_the_us_terminal_plan_discharges_its_boxes_for_here(engine, small_terminal, capsys):
    path = str(EDI / "real" / "us-terminal-baplie-features.edi")
    assert main(["--db", _db(engine), "--user", PLANNER, "import", path, "--visit", "TST-001",
                 "--force"]) == 0
    out = capsys.readouterr().out
    assert "3 boxes, 2 discharge, 1 remain on board" in out


def test_the_feeder_plan_goes_onto_its_visit_without_force(engine, small_terminal, capsys):
    """A UNB naming no sender or recipient, a YYMMDD document date, LOC+152 onward ports:
    nothing to tolerate; vessel, call sign and voyage match the visit, so no --force."""
    path = str(EDI / "real" / "feeder-baplie-features.edi")
    assert main(["--db", _db(engine), "--user", PLANNER, "import", path, "--visit",
                 "TST-001"]) == 0
    assert "6 boxes, 6 discharge, 0 remain on board" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["real/itg13-coarri-features.edi",
                                  "real/coarri-d23a-features.edi"])
def test_a_real_coarri_without_a_tally_is_refused_saying_so(engine, small_terminal, capsys,
                                                            name):
    assert main(["--db", _db(engine), "--user", CLERK, "import", str(EDI / name),
                 "--visit", "TST-001", "--force"]) == 1
    err = capsys.readouterr().err
    assert "visit TST-001 has no discharge tally to compare the report with" in err
    if "itg13" in name:  # its load report too: every report's rule is listed
        assert "visit TST-001 has no load tally to compare the report with" in err
