"""Garbage in the demo files' values: every importer answers with FILE:LINE lines, never a
traceback (hypothesis mutates one value at a time)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portops.formats import registry
from portops.formats.yamlsrc import SourceErrors

DEMO = Path(__file__).resolve().parent.parent / "schedules" / "demo"
INVENTORY = """\
kind: inventory
containers:
  - number: CSQU3054383
    size_type: 45R1
    reefer_temp_c: -18
    imdg_class: "3"
    un_number: "1993"
    pol: NLRTM
    seals: [CN1, CN2]
    yard: A01.02.1.1
  - number: MSKU0000006
    size_type: "2200"
    vessel: COSU-AEU3-125
    slot: "0780690"
"""
NASTY = ["[]", "{}", '""', "~", "1e999", "-1", "0", "x: y", "true", "!!str a", "&a b", "[",
         "'", "*a", "2026-02-30T00:00", "99999999999999999999", ".nan", "- a", "\t", "é",
         "[1, [2, [3]]]", "{a: {b: c}}", "0x", "CSQU3054384", "45X9", "NOPE"]


def _texts():
    files = {"layout.yaml": (DEMO / "layout.yaml").read_text(),
             "schedule.yaml": (DEMO / "schedule.yaml").read_text(),
             "inventory.yaml": INVENTORY}
    return st.sampled_from(sorted(files.items()))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(doc=_texts(), line=st.integers(0, 10_000), value=st.one_of(
    st.sampled_from(NASTY), st.text(max_size=12)))
def test_mutated_values_give_source_errors_only(tmp_path, doc, line, value):
    name, text = doc
    lines = text.splitlines()
    candidates = [i for i, s in enumerate(lines) if ": " in s and not s.lstrip().startswith("#")]
    i = candidates[line % len(candidates)]
    key = lines[i].split(": ", 1)[0]
    lines[i] = f"{key}: {value}"
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    try:
        registry.prepare([path])
    except SourceErrors as exc:
        for error in exc.errors:
            assert str(error).startswith(str(path)) and "\n" not in str(error)
