"""The EDIFACT syntax layer: our tokenizer against pydifact, escaping, envelope errors."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydifact.parser import Parser

from portops.formats.edifact import DEFAULT, EdifactError, Segment, Separators, parse, serialize
from portops.formats.edifact.syntax import _trim, tokenize


def pydifact_segments(text: str) -> list[tuple[str, list[list[str]]]]:
    """pydifact's reading of ``text`` in our shape: (tag, trimmed elements), UNA left out."""
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydifact warns about empty segments
        parsed = list(Parser().parse(text))
    for seg in parsed:
        if seg.tag == "UNA":
            continue
        elements = [e if isinstance(e, list) else [e] for e in seg.elements]
        out.append((seg.tag, _trim(elements)))
    return out


def ours(text: str) -> list[tuple[str, list[list[str]]]]:
    return [(s.tag, _trim(s.elements)) for s in tokenize(text)[1]]


SAMPLE = (
    "UNA:+.? '\n"
    "UNB+UNOA:2+COSU+CNSHA-DEMO+261127:0600+REF1'\n"
    "UNH+1+BAPLIE:D:95B:UN:SMDG22'\n"
    "BGM++REF1+9'\n"
    "FTX+AAA+++PRICE 5?+3?:2 ?'NET?'??'\n"
    "LOC+147+0100282::5'\n"
    "EQD+CN+CSQU3054383+4510+++5'\n"
    "UNT+5+1'\n"
    "UNZ+1+REF1'\n"
)


def test_tokenize_reads_una_release_and_numbers_segments():
    seps, segs = tokenize(SAMPLE)
    assert seps == DEFAULT
    assert [s.tag for s in segs] == ["UNB", "UNH", "BGM", "FTX", "LOC", "EQD", "UNT", "UNZ"]
    assert segs[0].number == 1 and segs[5].number == 6
    assert segs[3].get(3) == "PRICE 5+3:2 'NET'?"
    assert segs[4][1] == ["0100282", "", "5"]
    assert segs[1].get(1, 4) == "SMDG22"
    assert segs[5].get(9) == ""


def test_same_segments_as_pydifact_on_sample():
    assert ours(SAMPLE) == pydifact_segments(SAMPLE)


def test_other_separators_from_una():
    text = "UNA|*,/ ~UNB*UNOA|2*A*B*261127|0600*9~UNH*1*CODECO|D|95B|UN~BGM*34*X/*Y~UNT*3*1~UNZ*1*9~"
    inter = parse(text)
    assert inter.separators == Separators("|", "*", ",", "/", " ", "~")
    assert inter.messages[0].type == "CODECO"
    assert inter.messages[0].body[0].get(1) == "X*Y"
    assert ours(text) == pydifact_segments(text)


def test_serialize_escapes_and_round_trips():
    segs = [("FTX", "AAA", "", "", ["a+b", "c:d", "it's", "100?"]), ("EQD", "CN", "X", ["22G1", "", ""])]
    text = serialize(segs)
    assert "a?+b:c?:d:it?'s:100??" in text
    assert "EQD+CN+X+22G1'" in text
    back = tokenize(text)[1]
    assert back[0].elements == [["AAA"], [""], [""], ["a+b", "c:d", "it's", "100?"]]
    assert ours(text) == pydifact_segments(text)


@pytest.mark.parametrize("text, where", [
    ("UNB+UNOA:2+A+B+261127:0600+1'UNH+1+BAPLIE:D:95B:UN'BGM++1'UNT+9+1'UNZ+1+1'", "segment 4 (UNT)"),
    ("UNB+UNOA:2+A+B+261127:0600+1'UNH+1+BAPLIE:D:95B:UN'bgm++1'UNT+3+1'UNZ+1+1'", "segment 3"),
    ("UNB+UNOA:2+A+B+261127:0600+1'UNH+1+BAPLIE:D:95B:UN'BGM++1'UNT+3+1'", "segment 5"),
    ("UNB+UNOA:2+A+B+261127:0600+1'UNH+1+BAPLIE:D:95B:UN'BGM++1'UNT+3+2'UNZ+1+1'", "segment 4 (UNT)"),
    ("UNB+UNOA:2+A+B+261127:0600+1'UNH+1+BAPLIE:D:95B:UN'BGM++1'UNT+3+1'UNZ+1+1", "segment 5"),
    ("UNB+UNOA:2+A+B+261127:0600+1'BGM++1'UNZ+1+1'", "segment 2 (BGM)"),
    ("", "no EDIFACT segments"),
    ("UNA:+", "UNA"),
])
def test_broken_envelopes_are_refused_with_where(text, where):
    with pytest.raises(EdifactError) as err:
        parse(text, source="x.edi")
    assert str(err.value).startswith("x.edi: ")
    assert where in str(err.value)


_text = st.text(alphabet=st.characters(codec="latin-1", exclude_characters="\r\n"), max_size=12)
_element = st.lists(_text, min_size=1, max_size=4)
_segment = st.tuples(st.from_regex(r"\A[A-Z]{3}\Z"), st.lists(_element, min_size=1, max_size=5))


@settings(max_examples=60, deadline=None)
@given(st.lists(_segment, min_size=1, max_size=8))
def test_generated_segments_round_trip_and_match_pydifact(segments):
    plain = [(tag, *els) for tag, els in segments]
    text = serialize(plain)
    got = tokenize(text)[1]
    assert [(s.tag, _trim(s.elements)) for s in got] == [
        (tag, _trim([list(e) for e in els])) for tag, els in segments]
    assert ours(text) == pydifact_segments(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_tokenizer_never_tracebacks(text):
    try:
        parse(text)
    except EdifactError as exc:
        assert str(exc)


def test_segment_equality_ignores_trailing_empties():
    assert Segment("LOC", [["147"], ["0100282", "", ""]]) == Segment("LOC", [["147"], ["0100282"], [""]])
