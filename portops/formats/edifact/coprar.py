"""COPRAR, the line's discharge or load order: read.

``BGM`` 43 (D.95B) / 118 (D.00B) is a discharge list, 45 / 121 a load list. Each box is a
group that starts at ``EQD+CN``: references (``RFF+BM/BN``), stowage position (``LOC+147``),
POL/POD, weights, seals, reefer temperature, dangerous goods, operator (``NAD+CF``).
A container given twice, or two boxes for one stowage position, refuse the message.
"""

from __future__ import annotations

from portops.formats.edifact import fields as f
from portops.formats.edifact.records import ContainerList
from portops.formats.edifact.syntax import EdifactText

KINDS = {"43": "discharge", "118": "discharge", "45": "load", "121": "load"}


def read_coprar(text: EdifactText, source: str = "") -> ContainerList:
    """Read a COPRAR interchange into a :class:`ContainerList` (discharge or load)."""
    with f.reading(source):
        header, kind, body = f.streamed_list(
            text, "COPRAR", KINDS, "a discharge order (43 or 118) or a load order (45 or 121)")
        result = ContainerList(header, kind)
        result.boxes = [b for b, _ in f.read_equipment_groups(header, body)]
        return result
