"""UN/EDIFACT for a container terminal: a fast syntax layer and readers/writers for BAPLIE,
COPRAR, COARRI, CODECO and CUSRES mapping to the plain dataclasses in ``records``.

Core code: no Textual, no database. Import operations live in ``portops.ops``.
"""

from portops.formats.edifact.interchange import Interchange, Message, parse
from portops.formats.edifact.records import (
    AS_ORDERED,
    GATE_IN,
    GATE_OUT,
    HOLD,
    OVER_LANDED,
    RELEASE,
    SHORT_LANDED,
    BayPlan,
    ContainerList,
    CustomsDecision,
    CustomsResponse,
    Damage,
    DangerousGoods,
    GateMove,
    GateReport,
    HandledBox,
    HandlingReport,
    Header,
    Slot,
    StowedBox,
)
from portops.formats.edifact.syntax import (
    DEFAULT,
    EdifactError,
    Segment,
    Separators,
    serialize,
    tokenize,
)

__all__ = [
    "AS_ORDERED", "DEFAULT", "GATE_IN", "GATE_OUT", "HOLD", "OVER_LANDED", "RELEASE",
    "SHORT_LANDED", "BayPlan", "ContainerList", "CustomsDecision", "CustomsResponse", "Damage",
    "DangerousGoods", "EdifactError", "GateMove", "GateReport", "HandledBox", "HandlingReport",
    "Header", "Interchange", "Message", "Segment", "Separators", "Slot", "StowedBox", "parse",
    "serialize", "tokenize",
]
