"""Seeded sample messages: a vessel's bay plan of any size and the messages around it.

Used by the tests (``tests/data`` is written by ``python -m portops.formats.edifact.samples
tests/data``), the benchmarks (a 20,000-box BAPLIE) and the demo, so that nothing needs outside
data. The same seed gives the same bytes.

The vessel is laid out as real ones are: 40' bays are even (02 covers 20' bays 01 and 03),
rows count out from the centre line (odd to starboard, even to port), hold tiers are 02-18
and deck tiers 82-98.
"""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from stdnum import iso6346

from portops.formats.edifact.baplie import write_baplie
from portops.formats.edifact.coarri import write_coarri
from portops.formats.edifact.codeco import write_codeco
from portops.formats.edifact.cusres import write_cusres
from portops.formats.edifact.records import (
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

OWNERS = ["MSCU", "CSQU", "CMAU", "TGHU", "TCNU", "OOLU", "HLXU", "CSNU", "MAEU", "SEGU"]
OPERATORS = ["COSU", "MSCU", "MAEU", "CMDU", "ONEY", "HLCU"]
PORTS = ["NLRTM", "DEHAM", "BEANR", "SGSIN", "KRPUS", "USLAX", "JPTYO", "GBFXT"]
HOLD_TIERS = list(range(2, 20, 2))
DECK_TIERS = list(range(82, 100, 2))
ROWS = 20
T0 = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)


def container_number(rng: random.Random, used: set[str]) -> str:
    """A fresh ISO 6346 number with the right check digit (python-stdnum computes it)."""
    while True:
        body = rng.choice(OWNERS) + f"{rng.randrange(1_000_000):06d}"
        number = body + iso6346.calc_check_digit(body)
        if number not in used:
            used.add(number)
            return number


def slots(count: int, rng: random.Random):
    """``count`` stowage positions, bay by bay, as a mix of 40' and pairs of 20' boxes."""
    made, bay40 = 0, 2
    while True:
        rows = [r for r in range(1, ROWS + 1)]
        for tier in HOLD_TIERS + DECK_TIERS:
            for row in rows:
                if rng.random() < 0.7:
                    yield Slot(bay40, row, tier), True
                    made += 1
                else:
                    for bay in (bay40 - 1, bay40 + 1):
                        yield Slot(bay, row, tier), False
                        made += 1
                        if made >= count:
                            return
                if made >= count:
                    return
        bay40 += 4


def header(rng: random.Random, here: str, *, kind: str = "BAPLIE") -> Header:
    return Header(sender="COSU", recipient="CNSHA-DEMO", message_ref=f"{kind[:3]}{rng.randrange(10**6):06d}",
                  message_type=kind, prepared=T0, voyage="045E", carrier="COSU",
                  vessel_name="COSCO DEMO STAR", call_sign="VRAB1", port=rng.choice(PORTS[3:5]),
                  next_port=here, arrival=T0 + timedelta(hours=10))


def bay_plan(count: int, *, seed: int = 1, here: str = "CNSHA", discharge_share: float = 0.4
             ) -> BayPlan:
    """A bay plan with ``count`` boxes; about ``discharge_share`` of them for port ``here``."""
    rng = random.Random(seed)
    used: set[str] = set()
    plan = BayPlan(header(rng, here))
    for slot, forty in slots(count, rng):
        kind = rng.random()
        if forty:
            size = "45R1" if kind < 0.08 else "L5G1" if kind < 0.12 else \
                "42G1" if kind < 0.4 else "45G1"
        else:
            size = "22R1" if kind < 0.05 else "22T1" if kind < 0.07 else "22G1"
        full = rng.random() > 0.12
        for_here = rng.random() < discharge_share
        box = StowedBox(
            number=container_number(rng, used), size_type=size, slot=slot, full=full,
            operator=rng.choice(OPERATORS), pol=rng.choice(PORTS[:5]),
            pod=here if for_here else rng.choice(PORTS[5:]),
            gross_kg=rng.randrange(8000, 30000, 10) if full else rng.choice([2200, 3800, 4800]),
            status="3" if for_here else "6",
            bl_number=f"COSU{rng.randrange(10**9):09d}" if full else "")
        box.vgm_kg = box.gross_kg if full and rng.random() < 0.5 else None
        if size[2] == "R" and full:
            box.reefer_temp_c = rng.choice([-18.0, -20.0, 2.0, 4.5, 13.0])
        if full and rng.random() < 0.03:
            box.dangerous.append(DangerousGoods(rng.choice(["3", "8", "9", "2.1", "6.1"]),
                                                rng.choice(["1263", "1993", "3082", "1950"])))
        plan.boxes.append(box)
    return plan


def discharge_list(plan: BayPlan, here: str = "CNSHA") -> ContainerList:
    """The COPRAR discharge list that goes with ``plan``: its boxes for ``here``."""
    boxes = [replace(b, extra=[]) for b in plan.boxes if b.pod == here]
    return ContainerList(replace(plan.header, message_type="COPRAR"), "discharge", boxes)


def write_coprar(plan: ContainerList, *, control_ref: str, prepared: datetime) -> str:
    """A COPRAR (D.95B), for tests and demos; the terminal reads these, it does not send them."""
    from portops.formats.edifact import fields as f

    body = f.header_segments(plan.header, "43" if plan.kind == "discharge" else "45", "9")
    for box in plan.boxes:
        body.append(f.eqd(box))
        body += f.reference_segments(box)
        if box.slot:
            body.append(("LOC", "147", [box.slot.code, "", "5"]))
        body += f.cargo_segments(box) + f.closing_segments(box)
    body.append(("CNT", ["16", str(len(plan.boxes))]))
    return f.one_interchange(("COPRAR", "D", "95B", "UN", "SMDG20"), plan.header, body,
                             control_ref=control_ref, prepared=prepared)


def discharge_report(plan: BayPlan, here: str = "CNSHA") -> HandlingReport:
    """A COARRI discharge report: every box for ``here`` discharged, one damaged, one short."""
    ours = [b for b in plan.boxes if b.pod == here]
    moves = [HandledBox(replace(b, seals=["SL" + b.number[4:10]]), T0 + timedelta(minutes=2 * i))
             for i, b in enumerate(ours)]
    if moves:
        moves[0].damage.append(Damage("DT", "LX", "dent left side"))
        moves[-1].condition, moves[-1].at = SHORT_LANDED, None
    extra = StowedBox("TGHU" + "000017" + iso6346.calc_check_digit("TGHU000017"), "22G1",
                      Slot(1, 1, 82), pol="SGSIN", pod=here, operator="COSU")
    moves.append(HandledBox(extra, T0 + timedelta(hours=3), OVER_LANDED))
    return HandlingReport(replace(plan.header, sender="CNSHA-DEMO", recipient="COSU"),
                          "discharge", moves)


def gate_out_report(plan: BayPlan, here: str = "CNSHA", count: int = 5) -> GateReport:
    ours = [b for b in plan.boxes if b.pod == here][:count]
    moves = [GateMove(replace(b, slot=None), GATE_OUT, T0 + timedelta(days=2, minutes=7 * i),
                      f"沪A{12345 + i}", "HAULCO", "WANG WEI", f"EIR{i + 1:06d}")
             for i, b in enumerate(ours)]
    if moves:
        moves[0].damage.append(Damage("SC", "RX", "scratched right side"))
    h = Header(sender="CNSHA-DEMO", recipient="COSU", message_ref="GATE000001",
               message_type="CODECO", prepared=T0 + timedelta(days=2))
    return GateReport(h, GATE_OUT, moves)


def customs_response(plan: BayPlan, here: str = "CNSHA", count: int = 6) -> CustomsResponse:
    ours = [b for b in plan.boxes if b.pod == here and b.bl_number][:count]
    decisions = [CustomsDecision(RELEASE if i % 3 else HOLD, container=b.number,
                                 reference=f"2233{i:08d}", at=T0 + timedelta(days=1),
                                 reason="" if i % 3 else "documents to be checked")
                 for i, b in enumerate(ours)]
    if ours:
        decisions.append(CustomsDecision(RELEASE, bl_number=ours[-1].bl_number,
                                         reference="2233BL000001", at=T0 + timedelta(days=1)))
    h = Header(sender="CNCUSTOMS", recipient="CNSHA-DEMO", message_ref="CUS000001",
               message_type="CUSRES", prepared=T0 + timedelta(days=1))
    return CustomsResponse(h, decisions)


MANIFEST_COLUMNS = ["bl_number", "container", "consignee", "goods", "packages", "gross_kg",
                    "pol", "pod"]


def manifest_csv(plan: BayPlan, here: str = "CNSHA") -> str:
    """The CSV manifest for ``plan``'s full boxes for ``here`` (columns: ``MANIFEST_COLUMNS``)."""
    import csv
    import io

    rng = random.Random(7)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(MANIFEST_COLUMNS)
    for b in plan.boxes:
        if b.pod == here and b.full and b.bl_number:
            w.writerow([b.bl_number, b.number, rng.choice(["SHANGHAI TRADING CO", "上海进出口有限公司",
                                                            "ACME IMPORTS, LTD"]),
                        rng.choice(["FURNITURE", "MACHINE PARTS", "FROZEN FISH", "TEXTILES"]),
                        rng.randrange(10, 900), b.gross_kg, b.pol, b.pod])
    return out.getvalue()


def write_samples(directory: Path) -> list[Path]:
    """(Re)write the sample files in ``directory`` (the tests' ``tests/data``)."""
    directory.mkdir(parents=True, exist_ok=True)
    plan = bay_plan(60, seed=42)
    files = {
        "bayplan.edi": write_baplie(plan, control_ref="BAP42", prepared=T0),
        "discharge-list.edi": write_coprar(discharge_list(plan), control_ref="COP42",
                                           prepared=T0),
        "discharge-report.edi": write_coarri(discharge_report(plan), control_ref="COA42",
                                             prepared=T0 + timedelta(hours=8)),
        "gate-out.edi": write_codeco(gate_out_report(plan), control_ref="COD42",
                                     prepared=T0 + timedelta(days=2)),
        "customs.edi": write_cusres(customs_response(plan), control_ref="CUS42",
                                    prepared=T0 + timedelta(days=1)),
        "manifest.csv": manifest_csv(plan),
    }
    written = []
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    for p in write_samples(Path(sys.argv[1] if len(sys.argv) > 1 else "tests/data")):
        print(p)
