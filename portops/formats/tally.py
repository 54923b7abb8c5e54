"""The tally report as a COARRI discharge report: text only (edifact's writer does the EDIFACT).

What the tally clerk recorded is read from the database as plain records by
:func:`portops.queries.tally.handling_report` (formats read and write text; queries read the
database); this writes those records out.
"""

from __future__ import annotations

from datetime import datetime

from portops.formats.edifact.coarri import write_coarri
from portops.formats.edifact.records import HandlingReport


def coarri_text(report: HandlingReport, prepared: datetime) -> str:
    """The report as a COARRI interchange, its control reference from the message's."""
    return write_coarri(report, control_ref=report.header.message_ref[-14:],
                        prepared=prepared)
