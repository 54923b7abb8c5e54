"""Fuzzing the readers: whatever arrives, the answer is a message or a clear error naming
where, never a traceback."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portops.formats.edifact import EdifactError
from portops.formats.edifact.baplie import read_baplie
from portops.formats.edifact.coarri import read_coarri, read_coarri_reports
from portops.formats.edifact.codeco import read_codeco
from portops.formats.edifact.coprar import read_coprar
from portops.formats.edifact.cusres import read_cusres
from portops.formats.edifact.movins import read_movins
from portops.formats.edifact.problems import collecting
from portops.formats.edifact.vermas import read_vermas
from portops.formats.manifest import read_manifest
from portops.formats.yamlsrc import SourceError, SourceErrors

DATA = Path(__file__).parent / "data"
READERS = {"bayplan.edi": read_baplie, "discharge-list.edi": read_coprar,
           "discharge-report.edi": read_coarri, "gate-out.edi": read_codeco,
           "customs.edi": read_cusres, "edi/movins.edi": read_movins,
           "edi/vermas.edi": read_vermas, "edi/real/itg13-coarri-features.edi": read_coarri_reports,
           "edi/real/parse-baplie-v22-excerpt.edi": read_baplie}
SAMPLES = {name: (DATA / name).read_text(encoding="utf-8") for name in READERS}
FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def _judge(reader, text):
    """Read on its own (every problem refuses) and as an import reads (box problems and
    warnings collected): a result, or one line naming the file."""
    for tolerant in (False, True):
        try:
            if tolerant:
                with collecting() as found:
                    reader(text, "f.edi")
                assert all(str(p) for p in found)
            else:
                reader(text, "f.edi")
        except EdifactError as exc:
            message = str(exc)
            assert message.startswith("f.edi: ") and len(message.splitlines()) == 1, message


@FUZZ
@given(name=st.sampled_from(sorted(READERS)), data=st.data())
def test_mutated_messages_give_a_message_or_a_clear_error(name, data):
    text = SAMPLES[name]
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 12)))
        junk = data.draw(st.text(alphabet="+:'?ABCDEQN0123456789.- \n", max_size=8))
        text = text[:i] + junk + text[j:]
    _judge(READERS[name], text)


@FUZZ
@given(name=st.sampled_from(sorted(READERS)), data=st.data())
def test_segments_dropped_or_repeated(name, data):
    segments = SAMPLES[name].split("'\n")
    i = data.draw(st.integers(0, len(segments) - 1))
    if data.draw(st.booleans()):
        del segments[i]
    else:
        segments.insert(i, segments[data.draw(st.integers(0, len(segments) - 1))])
    _judge(READERS[name], "'\n".join(segments))


@FUZZ
@given(st.text(max_size=300))
def test_any_text(text):
    for reader in READERS.values():
        _judge(reader, text)


@FUZZ
@given(st.lists(st.lists(st.text(alphabet=st.characters(exclude_characters="\r\n\x00"),
                                 max_size=14), min_size=1, max_size=9), max_size=6),
       st.booleans())
def test_manifest_gives_lines_or_errors_with_line_numbers(rows, with_header):
    head = "bl_number,container,consignee,goods,packages,gross_kg,pol,pod\n" if with_header else ""
    text = head + "\n".join(",".join(r) for r in rows)
    try:
        read_manifest(text, "m.csv")
    except (SourceError, SourceErrors) as exc:
        assert all(line.startswith("m.csv:") for line in str(exc).splitlines())
