"""Parties: registered, edited, deactivated by the dispatcher; a line's code is its SCAC, an
identity is checked where its scheme is known (EORI, USCI with its check character)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, select

from portops.cli import main
from portops.model import Event, Party, Role
from portops.ops import Refused
from portops.ops.parties import (
    USCI_CHARS,
    disable_party,
    enable_party,
    register_party,
    update_party,
    usci_check_char,
)
from portops.ops.releases import line_release
from tests.conftest import as_role

DISPATCHER = as_role(Role.DISPATCHER)
USCI = "91350100M000100Y43"  # a real code: its check character is 3


def _party(engine, code: str) -> Party:
    with Session(engine) as s:
        return s.exec(select(Party).where(Party.code == code)).one()


def test_register_a_line_and_a_haulier(core, engine):
    core.run(DISPATCHER, register_party, code="cosu", name="COSCO Shipping Lines", kind="line")
    core.run(DISPATCHER, register_party, code="HAUL1", name="Donghai Trucking", kind="haulier",
             identity=USCI)
    line, haulier = _party(engine, "COSU"), _party(engine, "HAUL1")
    assert (line.kind, line.active) == ("line", True)
    assert (haulier.identity, haulier.identity_scheme) == (USCI, "usci")
    with Session(engine) as s:
        ops = s.exec(select(Event.operation).where(Event.subject_kind == "party")).all()
    assert ops == ["party.register", "party.register"]


@pytest.mark.parametrize("kind", ["shipper", "agent"])
def test_shippers_and_agents_are_parties_too(core, engine, kind):
    core.run(DISPATCHER, register_party, code="P1", name="Someone Ltd", kind=kind,
             identity="DE123456789012")
    assert _party(engine, "P1").identity_scheme == "eori"


def test_refusal_lists_every_unmet_rule(core):
    core.run(DISPATCHER, register_party, code="COSU", name="COSCO", kind="line")
    with pytest.raises(Refused) as exc:
        core.run(as_role(Role.GATE_CLERK), register_party, code="COSU", name=" ", kind="line")
    assert exc.value.rules == ["role.not_permitted", "party.name", "party.exists"]


def test_a_line_code_is_four_letters(core):
    for bad in ("CO5U", "COS", "COSUX"):
        with pytest.raises(Refused) as exc:
            core.run(DISPATCHER, register_party, code=bad, name="A line", kind="line")
        assert exc.value.rules == ["party.line.scac"], bad


def test_bad_code_and_bad_identity_are_refused(core):
    with pytest.raises(Refused) as exc:
        core.run(DISPATCHER, register_party, code="a b", name="X", kind="haulier",
                 identity=USCI[:17] + "4")
    assert exc.value.rules == ["party.code", "party.identity.usci_check"]
    assert "the last must be 3" in str(exc.value)
    with pytest.raises(Refused) as exc:
        core.run(DISPATCHER, register_party, code="F1", name="X", kind="forwarder",
                 identity="1234", scheme="eori")
    assert exc.value.rules == ["party.identity.eori"]
    with pytest.raises(Refused) as exc:
        core.run(DISPATCHER, register_party, code="F1", name="X", kind="forwarder")
    assert exc.value.rules == ["party.identity"]


@pytest.mark.parametrize("kind", ["shipper", "agent", "haulier"])
def test_a_party_without_identity_is_told_its_own_kind_needs_one(core, kind):
    """The sentence names the kind refused (it named only consignee, forwarder, haulier)."""
    with pytest.raises(Refused) as exc:
        core.run(DISPATCHER, register_party, code="S1", name="X", kind=kind)
    assert exc.value.rules == ["party.identity"]
    assert f"a {kind} needs its legal identity" in str(exc.value)


def test_free_identity_is_kept_as_typed(core, engine):
    core.run(DISPATCHER, register_party, code="F1", name="X", kind="forwarder",
             identity="VAT-NL-0001")
    assert _party(engine, "F1").identity_scheme == "other"


def test_edit_and_deactivate(core, engine):
    core.run(DISPATCHER, register_party, code="HAUL1", name="Old", kind="haulier",
             identity="X-1")
    core.run(DISPATCHER, update_party, code="haul1", name="New name", identity=USCI)
    p = _party(engine, "HAUL1")
    assert (p.name, p.identity, p.identity_scheme) == ("New name", USCI, "usci")
    with pytest.raises(Refused) as exc:
        core.run(DISPATCHER, update_party, code="HAUL1", identity=USCI[:17] + "0")
    assert exc.value.rules == ["party.identity.usci_check"]
    core.run(DISPATCHER, disable_party, code="HAUL1")
    assert not _party(engine, "HAUL1").active
    with pytest.raises(Refused) as exc:
        core.run(DISPATCHER, disable_party, code="HAUL1")
    assert exc.value.rules == ["party.disabled"]
    core.run(DISPATCHER, enable_party, code="HAUL1")
    assert _party(engine, "HAUL1").active
    with pytest.raises(Refused) as exc:
        core.run(DISPATCHER, update_party, code="NOPE", name="x")
    assert exc.value.rules == ["party.not_found"]


def test_a_deactivated_party_cannot_be_given_a_release(core, engine, small_terminal):
    from tests.gate_world import build

    build(core, engine, small_terminal)
    core.run(DISPATCHER, disable_party, code="FWD1")
    with pytest.raises(Refused) as exc:
        core.run(DISPATCHER, line_release, line="COSU", to_party="FWD1", reference="DO-1",
                 bl_number="BL-1")
    assert "release.party.unknown" in exc.value.rules


@given(st.text(alphabet=USCI_CHARS, min_size=2, max_size=2),
       st.text(alphabet="0123456789", min_size=6, max_size=6),
       st.text(alphabet=USCI_CHARS, min_size=9, max_size=9))
def test_usci_check_char_accepts_exactly_one_last_character(head, region, body):
    first17 = head + region + body
    good = usci_check_char(first17)
    assert good in USCI_CHARS
    assert [c for c in USCI_CHARS if c == usci_check_char(first17)] == [good]


def test_cli_add_list_disable(db_file, capsys):
    db = str(db_file)
    assert main(["--db", db, "party", "add", "MAEU", "--name", "Maersk", "--kind", "line"]) == 0
    assert main(["--db", db, "party", "add", "HAUL1", "--name", "Trucks", "--kind", "haulier",
                 "--identity", USCI]) == 0
    capsys.readouterr()
    assert main(["--db", db, "party", "add", "MAEU", "--name", "Again", "--kind", "line"]) == 1
    err = capsys.readouterr().err
    assert "party MAEU is registered already" in err and "Traceback" not in err
    assert main(["--db", db, "party", "disable", "HAUL1"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "party", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [ln.split()[:3] for ln in lines] == [["HAUL1", "haulier", "inactive"],
                                                ["MAEU", "line", "active"]]


def test_parties_file_imports_and_reimports(db_file, tmp_path, capsys):
    f = tmp_path / "parties.yaml"
    f.write_text(f"kind: parties\nparties:\n"
                 f"  - {{code: COSU, name: COSCO, kind: line}}\n"
                 f"  - {{code: HAUL1, name: Trucks, kind: haulier, identity: {USCI}}}\n")
    assert main(["--db", str(db_file), "import", str(f)]) == 0
    assert "2 added" in capsys.readouterr().out
    f.write_text(f.read_text().replace("name: Trucks", "name: Trucks Ltd"))
    assert main(["--db", str(db_file), "import", str(f)]) == 0
    assert "0 added, 1 changed, 1 unchanged" in capsys.readouterr().out


def test_parties_file_names_the_line_of_each_problem(db_file, tmp_path, capsys):
    f = tmp_path / "parties.yaml"
    f.write_text("kind: parties\nparties:\n"
                 "  - {code: COSU, name: COSCO, kind: line}\n"
                 "  - {code: CO5U, name: Bad line, kind: line}\n"
                 "  - {code: H1, name: Trucks, kind: haulier, identity: 91350100M000100Y44}\n"
                 "  - {code: COSU, name: twice, kind: line}\n"
                 "  - {code: X1, name: What, kind: pirate}\n")
    assert main(["--db", str(db_file), "import", str(f)]) == 1
    err = capsys.readouterr().err
    assert "parties.yaml:6" in err and "listed twice" in err
    assert "parties.yaml:7" in err and "pirate" in err
    assert main(["--db", str(db_file), "import", str(f)]) == 1
    f.write_text("\n".join(f.read_text().splitlines()[:5]) + "\n")
    capsys.readouterr()
    assert main(["--db", str(db_file), "import", str(f)]) == 1
    err = capsys.readouterr().err
    assert "parties.yaml:4" in err and "SCAC" in err
    assert "parties.yaml:5" in err and "check character" in err


def test_demo_parties_file_registers_lines_hauliers_and_checked_identities(db_file, capsys):
    from pathlib import Path

    from portops.db import make_engine

    demo = Path(__file__).resolve().parent.parent / "schedules" / "demo" / "parties.yaml"
    assert main(["--db", str(db_file), "import", str(demo)]) == 0
    engine = make_engine(db_file)
    assert _party(engine, "SHJT").identity_scheme == "usci"
    with Session(engine) as s:
        kinds = set(s.exec(select(Party.kind)).all())
    assert kinds == {"line", "forwarder", "haulier", "shipper", "agent"}


@pytest.mark.parametrize("kind", ["shipper", "agent"])
def test_a_shipper_or_agent_cannot_be_given_the_right_to_collect(core, engine, small_terminal,
                                                                kind):
    from tests.gate_world import build

    build(core, engine, small_terminal)
    core.run(DISPATCHER, register_party, code="P1", name="Someone", kind=kind, identity="X-1")
    with pytest.raises(Refused) as exc:
        core.run(DISPATCHER, line_release, line="COSU", to_party="P1", reference="DO-1",
                 bl_number="BL-1")
    assert exc.value.rules == ["release.party.unknown"]
