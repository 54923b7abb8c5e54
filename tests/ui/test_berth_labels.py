"""F3 berth plan: labels of visits close in time stay apart (issue 14: "MACMA CGM…",
"34366m berthed" where one visit's label ran into the next's)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portops.queries.berths import BerthRow, Block, Chart
from portops.ui.widgets.berth_chart import draw

T0 = datetime(2026, 11, 27, 0, 0, tzinfo=UTC)


def _block(vid: int, key: str, vessel: str, start_h: float, hours: float, loa: float) -> Block:
    return Block(vid, key, vessel, "LINE", loa, 12.0, "B1", 0.0, loa,
                 T0 + timedelta(hours=start_h), T0 + timedelta(hours=start_h + hours), False,
                 "berthed")


def test_close_visits_labels_do_not_run_together() -> None:
    # one vessel leaves, the next berths 12 minutes later on the same stretch of quay
    chart = Chart(T0, T0 + timedelta(days=7), "UTC", 0.0, 400.0, 20.0,
                  (BerthRow(1, "B1", 0.0, 400.0, 15.0),),
                  (_block(1, "MAEU-1", "MAERSK ESSEX", 0, 2.5, 343),
                   _block(2, "CMDU-2", "CMA CGM LYRA", 2.7, 10, 366)), ())
    lines = ["".join(seg.text for seg in strip) for strip in
             draw(chart, T0, 24, 80, 20, selected=None)]  # a day (d)
    text = "\n".join(lines)
    # the first block is 7 cells wide: its labels stop a cell before the next block
    for line in lines:
        assert "MACMA" not in line and "34366m" not in line and "343366" not in line
        for label in ("CMDU-2", "CMA CGM", "366m"):
            at = line.find(label)
            if at > 0:
                assert line[at - 1] == " ", (line, label)
    assert "CMDU-2" in text
