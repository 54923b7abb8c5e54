"""``portops demo`` as typed at a terminal: its sign-in screen shows while the demo terminal
is still being built (it was built first: 13-30 s of nothing), in the language asked for after
the command (``portops demo --lang zh_CN``, as the README writes it), and its temporary
database is gone after Ctrl+Q, whether the demo was finished or not (it was left behind)."""

from __future__ import annotations

import os

import pytest

from benchmarks.demo_start import Terminal, portops_command
from portops.model import Role


def _left(tmp) -> list[str]:
    return [p for p in os.listdir(tmp) if p.startswith("portops-demo-")]


def test_demo_sign_in_shows_while_building_and_ctrl_q_removes_the_database(tmp_path):
    term = Terminal([*portops_command(), "demo", "--lang", "zh_CN"], env={"TMPDIR":
                                                                          str(tmp_path)})
    try:
        term.wait_for(lambda t: "演示" in t and "dispatcher" in t, timeout=60)
        term.wait_for(lambda t: "正在生成演示码头" in t, timeout=5)
        assert "Demo Container Terminal" not in term.text  # not built yet: shown at once
        assert len(_left(tmp_path)) == 1  # the database being built
    finally:
        term.send("\x11")  # ctrl+q, while the demo is still being built
        status = term.finish(timeout=30)
    assert status == 0, term.text[-500:]
    assert _left(tmp_path) == []
    assert "Traceback" not in term.text


@pytest.mark.slow
def test_demo_signs_in_once_built_and_removes_its_database(tmp_path):
    """A role picked while the terminal is built signs in when it is ready; Ctrl+Q then
    closes the console and removes the database."""
    term = Terminal([*portops_command(), "demo"], env={"TMPDIR": str(tmp_path)})
    try:
        term.wait_for(lambda t: "who are you" in t and "dispatcher" in t, timeout=60)
        # down to dispatcher: the picker lists one account per role by name, customers' too
        term.send("\x1b[B" * sorted(r.value for r in Role).index("dispatcher"))
        term.send("\r")
        term.wait_for(lambda t: "Signing in as dispatcher" in t, timeout=60)  # busy: drawn late
        mark = len(term.text)
        term.wait_for(lambda t: "Schedule" in t[mark:] and "dispatcher" in t[mark:],
                      timeout=300)
    finally:
        term.send("\x11")
        status = term.finish(timeout=30)
    assert status == 0, term.text[-500:]
    assert _left(tmp_path) == []
