"""The line-aware YAML loader: plain data that knows its lines; every problem is FILE:LINE."""

from __future__ import annotations

import contextlib
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portops import codes
from portops.formats import fields, yamlsrc
from portops.formats.yamlsrc import Fields, Map, Seq, SourceError, SourceErrors, load_documents


def test_lines_of_keys_and_items():
    doc = load_documents("kind: layout\nberths:\n  - name: B1\n  - name: B2\n", "f.yaml")[0]
    assert isinstance(doc, Map) and isinstance(doc["berths"], Seq)
    assert doc.line_of("berths") == 2
    assert doc["berths"].line_of(1) == 4 and doc["berths"][1].line_of("name") == 4
    assert doc.error("nope", "x").line == 1  # a missing key points at its mapping


def test_core_schema_keeps_codes_and_times_as_text():
    doc = load_documents("a: NO\nb: 08:00\nc: 2026-11-23\nd: 0x10\ne: .inf\nf: ~\ng: yes\n")[0]
    assert doc == {"a": "NO", "b": "08:00", "c": "2026-11-23", "d": 16, "e": math.inf,
                   "f": None, "g": "yes"}


@pytest.mark.parametrize(("text", "line", "words"), [
    ("a: [1, 2\n", 2, "YAML syntax error"),
    ("a: 1\nb: c: d\n", 2, "in quotes"),
    ("a: 1\nb:\n\t- x\n", 3, "spaces, not tabs"),
    ("a: 1\na: 2\n", 2, "appears twice (first on line 1)"),
    ("a: !!python/object:os.system x\n", 1, "not supported"),
    ("a: &x [*x]\n", 1, "loop"),
    ("a: *nothing\n", 1, "anchor"),
    ("? [1]\n: 2\n", 1, "plain text"),
])
def test_problems_name_file_and_line(text, line, words):
    with pytest.raises(SourceError) as exc:
        load_documents(text, "bad.yaml")
    assert exc.value.path == "bad.yaml" and exc.value.line == line
    assert words in str(exc.value) and str(exc.value).startswith(f"bad.yaml:{line}: ")
    assert "\n" not in str(exc.value)


def test_unreadable_files(tmp_path):
    (tmp_path / "latin1.yaml").write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(SourceError, match=r"latin1.yaml:2: is not UTF-8"):
        yamlsrc.load_file(tmp_path / "latin1.yaml")
    with pytest.raises(SourceError, match="no such file"):
        yamlsrc.load_file(tmp_path / "missing.yaml")
    (tmp_path / "empty.yaml").write_text("# nothing\n")
    with pytest.raises(SourceError, match="is empty"):
        yamlsrc.load_file(tmp_path / "empty.yaml")


def test_fields_collect_every_problem_and_catch_typos():
    doc = load_documents("name: B1\ndepht_m: 15\nquay_start_m: x\n", "l.yaml")[0]
    f = Fields()
    f.known(doc, ["name", "quay_start_m", "quay_end_m", "depth_m"], "a berth")
    f.get(doc, "quay_start_m", fields.number(0))
    f.get(doc, "quay_end_m", fields.number(0))
    assert f.get(doc, "name", fields.text(16)) == "B1"
    with pytest.raises(SourceErrors) as exc:
        f.raise_if_any()
    lines = str(exc.value).splitlines()
    assert lines == [
        "l.yaml:1: quay_end_m: is missing; add it",
        "l.yaml:2: a berth has no key 'depht_m'; did you mean 'depth_m'?",
        "l.yaml:3: quay_start_m: 'x' is not a number; write digits, e.g. 15.5",
    ]


def test_moment_naive_is_terminal_time_and_malformed_is_refused():
    parse = fields.moment("Asia/Shanghai")
    assert parse("2026-11-23T08:00").isoformat() == "2026-11-23T00:00:00+00:00"
    assert parse("2026-11-23T08:00+00:00").hour == 8
    for bad in ["2026-13-01T00:00", "2026-11-31T08:00", "tomorrow", 20261123, None]:
        with pytest.raises(ValueError):
            parse(bad)


# -- garbage in, never a traceback -----------------------------------------------------------
_yamlish = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#?,% \n\t\x00\x85é08.~")),
                   max_size=80)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_yamlish, st.text(max_size=80)))
def test_loader_never_raises_anything_but_source_error(text):
    try:
        docs = load_documents(text, "fuzz.yaml")
    except SourceError as exc:
        assert str(exc).startswith("fuzz.yaml") and "\n" not in str(exc)
        return
    assert isinstance(docs, list)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_loader_survives_any_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "f.yaml"
    path.write_bytes(data)
    with contextlib.suppress(SourceError):
        yamlsrc.load_file(path)


_VALIDATORS = [codes.parse_container_number, codes.parse_imo, codes.parse_locode,
               codes.parse_size_type]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_VALIDATORS),
       st.one_of(st.text(max_size=20), st.integers(), st.text(alphabet="0123456789ABCDEFGUJZ ",
                                                                max_size=12)))
def test_validators_raise_only_code_errors(validator, value):
    try:
        out = validator(value)
    except codes.CodeError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(out, str)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30)))
def test_field_parsers_raise_only_value_errors(value):
    parsers = [fields.number(0, 100), fields.text(8), fields.clock_time, fields.timezone,
               fields.moment("Asia/Shanghai"), fields.code(codes.parse_imo),
               fields.code(codes.parse_locode), fields.boolean, fields.choice("a", "b")]
    for parse in parsers:
        with contextlib.suppress(ValueError):
            parse(value)
