"""Global options (``--db``, ``--user``, ``--lang``, ``--idle-minutes``) before or after the
command, as people type them: the README's ``portops demo --lang zh_CN`` once ended with
"unrecognized arguments"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portops.cli import build_parser, main

GIVEN = {"--db": "x.db", "--user": "boss", "--lang": "zh_CN", "--idle-minutes": "5"}
DEST = {"--db": ("db", "x.db"), "--user": ("user", "boss"), "--lang": ("lang", "zh_CN"),
        "--idle-minutes": ("idle_minutes", 5.0)}
#: Commands with their own arguments, each as typed without the global options.
COMMANDS = [["demo"], ["demo", "--keep", "k.db"], ["events", "--limit", "3"],
            ["import", "a.yaml", "b.yaml"], ["user", "add", "clerk", "--role", "gate_clerk"],
            ["init", "--demo"]]


@pytest.mark.parametrize("argv", [["demo", "--lang", "zh_CN"], ["--lang", "zh_CN", "demo"],
                                  ["demo", "--idle-minutes", "5", "--lang", "zh_CN"]])
def test_readme_demo_command_parses(argv):
    args = build_parser().parse_args(argv)
    assert args.command == "demo" and args.lang == "zh_CN"


@given(command=st.sampled_from(COMMANDS),
       options=st.lists(st.sampled_from(sorted(GIVEN)), unique=True),
       after=st.lists(st.booleans(), min_size=4, max_size=4))
def test_global_options_anywhere(command, options, after):
    """Each chosen option, before or after the command, ends up in the same place."""
    before_args, after_args = [], []
    for option, late in zip(options, after, strict=False):
        (after_args if late else before_args).extend([option, GIVEN[option]])
    args = build_parser().parse_args(before_args + command + after_args)
    for option in GIVEN:
        dest, value = DEST[option]
        assert getattr(args, dest) == (value if option in options else None), option


def test_after_the_command_wins(capsys):
    args = build_parser().parse_args(["--lang", "en", "events", "--lang", "zh_CN"])
    assert args.lang == "zh_CN"


def test_bad_idle_minutes_after_the_command_is_one_line(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--idle-minutes", "soon"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--idle-minutes" in err and "Traceback" not in err and err.count("\n") == 1
