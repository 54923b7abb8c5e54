"""Release feeds through ``portops import``: a CSV of customs/line releases, and a CUSRES."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from portops.cli import main
from portops.formats.edifact.cusres import write_cusres
from portops.formats.edifact.records import HOLD, RELEASE, CustomsDecision, CustomsResponse, Header
from portops.formats.releases import read_release_csv
from portops.formats.yamlsrc import SourceErrors
from portops.model import CollectRight, Flag
from tests.gate_world import build


@pytest.fixture
def world(core, engine, small_terminal):
    return build(core, engine, small_terminal)


def _import(db_url, capsys, path) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", db_url, "--user", "dispatcher", "import", str(path)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_csv_feed_releases_customs_and_line(world, engine, db_url, tmp_path, capsys):
    b = world["boxes"]
    feed = tmp_path / "releases.csv"
    feed.write_text("kind;container;bl_number;reference;line;party\n"
                    f"customs;{b[0]};;E-1;;\ncustoms;;BL-1;E-2;;\n"
                    f"line;{b[2]};;DO-7;COSU;FWD1\n", encoding="utf-8")
    code, out, err = _import(db_url, capsys, feed)
    assert code == 0, err
    assert "2 customs released, 1 line released" in out
    with Session(engine) as s:
        assert len(s.exec(select(Flag).where(Flag.type_code == "CUSTOMS_IMPORT")).all()) == 2
        assert len(s.exec(select(CollectRight)).all()) == 1


def test_bad_csv_lines_are_all_reported_and_nothing_changes(world, engine, db_url, tmp_path,
                                                           capsys):
    feed = tmp_path / "releases.csv"
    feed.write_text("kind,container,reference\nport,,E-1\ncustoms,CSQU3054384,E-2\n"
                    "customs,CSQU3054383,E-3\n")
    code, _, err = _import(db_url, capsys, feed)
    lines = err.splitlines()
    assert code == 1 and len(lines) == 2
    assert lines[0].startswith(f"{feed}:2: kind 'port' must be customs or line")
    assert lines[1].startswith(f"{feed}:3: container number") and "check digit" in lines[1]
    code, _, err = _import(db_url, capsys, tmp_path / "releases.csv")
    feed.write_text("kind,container,reference\ncustoms,CSQU3054383,E-3\n")
    code, _, err = _import(db_url, capsys, feed)
    assert code == 1 and "CSQU3054383 is not at or expected at the terminal" in err
    assert err.startswith(f"{feed}:2: ")
    with Session(engine) as s:
        assert s.exec(select(Flag)).first() is None


def test_cusres_release_then_hold(world, engine, db_url, tmp_path, capsys):
    b = world["boxes"]
    at = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)

    def cusres(decision, name):
        text = write_cusres(CustomsResponse(Header(sender="CNCUSTOMS", recipient="TEST",
                                                   message_ref="R1"), [
            CustomsDecision(decision, container=b[0], reference="E-77", at=at,
                            reason="exam" if decision == HOLD else "")]),
            control_ref="1", prepared=at)
        path = tmp_path / name
        path.write_text(text)
        return path

    assert _import(db_url, capsys, cusres(RELEASE, "rel.edi"))[0] == 0
    code, out, err = _import(db_url, capsys, cusres(HOLD, "hold.edi"))
    assert code == 0, err
    with Session(engine) as s:
        flag = s.exec(select(Flag).where(Flag.type_code == "CUSTOMS_IMPORT")).one()
        assert (flag.state, flag.reference, flag.reason) == ("revoked", "E-77", "exam")


def test_csv_reader_checks_the_header():
    with pytest.raises(Exception, match="the header must name kind, reference"):
        read_release_csv("container,ref\nX,Y\n", "f.csv")
    with pytest.raises(SourceErrors):
        read_release_csv("kind,container,reference\nline,CSQU3054383,DO\n", "f.csv")
