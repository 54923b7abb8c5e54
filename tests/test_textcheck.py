"""Every typed field has a length and a shape (portops.textcheck), said in one sentence that
names the field and what is wrong — never the whole value. Once a 600-character pilot name and
a 400-character plate were stored."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from portops import textcheck as tc
from portops.model import Role
from portops.ops.checklists import tick
from portops.ops.visits import cancel
from tests.conftest import as_role

KINDS = list({kind.name: kind for kind, _label in tc.FIELDS.values()}.values())
PLAIN = string.ascii_uppercase + string.digits


@given(st.sampled_from(KINDS), st.text(alphabet=PLAIN, min_size=1, max_size=400))
def test_letters_and_digits_pass_up_to_the_length_and_not_beyond(kind, text):
    found = tc.problem(kind, text)
    if len(text) <= kind.max_len:
        assert found is None
    else:
        assert found is not None and found[0] == tc.TOO_LONG
        sentence = tc.message(kind, text)
        assert f"{len(text)} characters" in sentence and str(kind.max_len) in sentence
        assert text not in sentence  # the value itself is not echoed


@given(st.sampled_from(KINDS), st.text(alphabet=PLAIN, max_size=6),
       st.characters(categories=["Cc"]), st.text(alphabet=PLAIN, max_size=4))
def test_a_control_character_is_refused_in_every_kind(kind, before, ch, after):
    text = "A" + before + ch + after + "B"  # inside the value: not a blank stripped at an end
    found = tc.problem(kind, text)
    assert found is not None and found[0] == tc.BAD_CHAR
    assert repr(ch) in tc.message(kind, text)


@given(st.text(alphabet="<>{}[]|\\$#@!?*&%^~`\"=+", min_size=1, max_size=6))
def test_markup_and_symbols_are_no_plate_driver_id_or_seal(text):
    for kind in (tc.PLATE, tc.DRIVER_ID, tc.SEAL, tc.CODE):
        assert tc.problem(kind, "AB" + text + "12") is not None


def test_real_values_pass():
    assert tc.problem(tc.PLATE, "沪A·12345") is None
    assert tc.problem(tc.PLATE, "SH-A 12345") is None
    assert tc.problem(tc.DRIVER_ID, "310101199001011234") is None
    assert tc.problem(tc.SEAL, "CN7300140, CN7300141") is None
    assert tc.problem(tc.PERSON_NAME, "Wang Lei") is None
    assert tc.problem(tc.PERSON_NAME, "王磊") is None
    assert tc.problem(tc.PERSON_NAME, "O'Brien-Smith") is None
    assert tc.problem(tc.NOTE, "dent left side, 30 cm; photo taken") is None


def test_a_600_character_pilot_name_is_refused_at_the_checklist(core, small_terminal):
    rules = [u.rule for u in core.check(
        as_role(Role.DISPATCHER), tick, visit_id=small_terminal["visit"], checklist="berthing",
        step="POSITION_CONFIRMED",
        values={"pilot": "W" * 600, "bollard_fore": "B14", "bollard_aft": "B22"})]
    assert "checklist.value.shape" in rules


def test_a_pilot_name_with_markup_is_refused_and_a_real_one_is_not(core, small_terminal):
    def rules(pilot):
        return [u.rule for u in core.check(
            as_role(Role.DISPATCHER), tick, visit_id=small_terminal["visit"],
            checklist="berthing", step="POSITION_CONFIRMED",
            values={"pilot": pilot, "bollard_fore": "B14", "bollard_aft": "B22"})]
    assert "checklist.value.shape" in rules("<script>")
    assert "checklist.value.shape" not in rules("Wang Lei")


def test_a_visit_cancelled_with_a_novel_as_reason_is_refused(core, small_terminal):
    unmet = core.check(as_role(Role.DISPATCHER), cancel, visit_id=small_terminal["visit"],
                       reason="x" * 900)
    assert [u.rule for u in unmet] == ["visit.cancel.reason.shape"]
    assert unmet[0].message == "reason is 900 characters long; at most 256 fit"
