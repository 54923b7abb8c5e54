"""One reader for the times people type, in the terminal's time zone (portops.clock.parse_typed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portops.clock import TimeTextError, parse_typed, show

TZ = "Asia/Shanghai"
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # 10:00 on the 7th in Shanghai


@pytest.mark.parametrize("text", ["11:34", "07 11:34", "12-07 11:34", "2026-12-07 11:34",
                                  "2026-12-07T11:34", "2026-12-07 11:34:00",
                                  "2026-12-07T03:34Z", "2026-12-07T11:34+08:00",
                                  " 2026-12-07 11:34 "])
def test_every_form_reads_11_34_local_as_03_34_utc(text):
    assert parse_typed(text, TZ, NOW) == datetime(2026, 12, 7, 3, 34, tzinfo=UTC)


def test_a_naive_datetime_is_local_and_an_aware_one_keeps_its_instant():
    assert parse_typed(datetime(2026, 12, 7, 11, 34), TZ, NOW) == datetime(
        2026, 12, 7, 3, 34, tzinfo=UTC)
    aware = datetime(2026, 12, 7, 3, 34, tzinfo=UTC)
    assert parse_typed(aware, TZ, NOW) == aware


@pytest.mark.parametrize("text", ["", "x", "25:00", "11:60", "32 10:00", "2026-13-01 10:00",
                                  "11.34", "tomorrow", "2026-12-07", "2026-12-07T11:34+25:00"])
def test_bad_input_is_one_sentence_naming_the_forms(text):
    with pytest.raises(TimeTextError) as exc:
        parse_typed(text, TZ, NOW)
    assert "14:30, 07 14:30, 2026-12-07 14:30" in str(exc.value)
    assert "Asia/Shanghai" in str(exc.value)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)),
       st.sampled_from(["Asia/Shanghai", "UTC", "Asia/Singapore", "Asia/Kolkata"]))
def test_what_is_shown_reads_back_as_the_same_minute(moment, tz):
    when = moment.replace(second=0, microsecond=0, tzinfo=UTC)
    now = when + timedelta(hours=3)
    assert parse_typed(show(when, tz), tz, now) == when
    assert parse_typed(show(when, tz, "%d %H:%M"), tz, when) == when
    assert parse_typed(show(when, tz, "%H:%M"), tz, when) == when


@given(st.text(max_size=30))
def test_any_text_is_a_time_or_a_clear_error(text):
    try:
        got = parse_typed(text, TZ, NOW)
    except TimeTextError as exc:
        assert "is not a time" in str(exc)
    else:
        assert got.tzinfo is not None and got.utcoffset() == timedelta(0)
