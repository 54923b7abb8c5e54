"""Seeded, realistic-looking boxes for a terminal: for the demo and for the benchmarks.

Everything here is a pure function of a seed and plain inputs (block and visit summaries);
nothing touches the database. The boxes obey the yard's rules (valid ISO 6346 numbers, 20'
boxes on odd bays and 40'/45' on even ones, stacks built from tier 1, full reefers on plug
rows, dangerous goods in the DG block) so that ``inventory.load`` accepts them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from portops.codes import container_check_digit
from portops.ops.inventory import BoxSpec

#: Owner prefixes (BIC codes) a line's own boxes carry; lessors' boxes go to every line.
OWNERS = {"COSU": ["CSNU", "CBHU", "CCLU"], "MSCU": ["MSCU", "MEDU"], "MAEU": ["MSKU", "MRKU"],
          "CMDU": ["CMAU", "TGHU"], "EGLV": ["EGHU", "EISU"], "ONEY": ["ONEU"],
          "HLCU": ["HLBU", "HLXU"], "OOLU": ["OOLU"], "YMLU": ["YMLU"], "HDMU": ["HDMU"],
          "ZIMU": ["ZIMU"], "SITC": ["SITU"], "WHLC": ["WHSU"]}
LESSORS = ["TGHU", "TCNU", "FCIU", "SEGU", "BMOU", "TRHU"]
PORTS = ["NLRTM", "DEHAM", "BEANR", "GBFXT", "FRLEH", "ESVLC", "ITGOA", "SGSIN", "MYPKG",
         "USLAX", "USLGB", "CAVAN", "JPTYO", "KRPUS", "AEJEA", "INNSA", "AUMEL", "BRSSZ"]
DG = [("3", "1993"), ("3", "1263"), ("8", "1830"), ("9", "3077"), ("2.1", "1075"),
      ("6.1", "2810"), ("4.1", "1325"), ("5.1", "1942")]


@dataclass(frozen=True)
class BlockInfo:
    name: str
    bays: int
    rows: int
    tiers: int
    purpose: str = "mixed"
    reefer_rows: int = 0
    dangerous_goods: bool = False
    takes_45: bool = False


@dataclass(frozen=True)
class VisitInfo:
    key: str
    line: str


class Synth:
    def __init__(self, seed: int, locode: str = "CNSHA"):
        self.rnd = random.Random(seed)
        self.locode = locode
        self.used: set[str] = set()

    # -- identities ---------------------------------------------------------------------
    def number(self, line: str) -> str:
        owners = OWNERS.get(line, LESSORS)
        while True:
            owner = self.rnd.choice(owners if self.rnd.random() < 0.8 else LESSORS)
            base = f"{owner}{self.rnd.randrange(10**6):06d}"
            number = base + container_check_digit(base)
            if number not in self.used:
                self.used.add(number)
                return number

    def _cargo(self, line: str, category: str, size: str, visit_in: str | None,
               visit_out: str | None, *, reefer: bool = False, dg: bool = False,
               empty: bool = False, **place: object) -> BoxSpec:
        r = self.rnd
        if reefer:
            size = "45R1" if size[0] in "4L" else "22R1"
        full = not empty
        gross = r.randint(2_200, 4_200) if empty else r.randint(6_000, 30_000 if size[0] == "2"
                                                                 else 29_500)
        imdg = r.choice(DG) if dg else (None, None)
        other = r.choice(PORTS)
        pol, pod = (other, self.locode) if category == "import" else (self.locode, other)
        ref = f"{line[:4]}{r.randrange(10**9):09d}"
        return BoxSpec(
            number=self.number(line), size_type=size, operator=line, full=full,
            category="storage" if empty else category, gross_kg=gross,
            vgm_kg=gross if category == "export" and full else None,
            seals="" if empty else f"{line[:2]}{r.randrange(10**7):07d}",
            reefer_temp_c=r.choice([-18.0, -20.0, 2.0, 5.0, 13.0]) if reefer and full else None,
            imdg_class=imdg[0], un_number=imdg[1], pol="" if empty else pol,
            pod="" if empty else pod,
            bl_number=ref if category == "import" and full else None,
            booking_ref=ref if category == "export" else None,
            in_visit=visit_in, out_visit=visit_out, **place)

    def _size(self, forty: bool, takes_45: bool) -> str:
        if not forty:
            return self.rnd.choice(["22G1", "22G1", "22G1", "22U1", "22T1"])
        if takes_45 and self.rnd.random() < 0.05:
            return "L5G1"
        return self.rnd.choice(["45G1", "45G1", "45G1", "42G1"])

    # -- the yard -----------------------------------------------------------------------
    def yard(self, blocks: list[BlockInfo], count: int, *, imports: list[VisitInfo],
             exports: list[VisitInfo], since: datetime, now: datetime,
             fill: float = 0.6) -> list[BoxSpec]:
        """``count`` boxes stacked in ``blocks`` (at most ``fill`` of each block's slots)."""
        stacks = list(self._stacks(blocks))
        self.rnd.shuffle(stacks)
        out: list[BoxSpec] = []
        lines = [v.line for v in imports + exports] or ["COSU"]
        span = max((now - since).total_seconds(), 1)
        for block, bay, row, forty in stacks:
            if len(out) >= count:
                break
            height = min(block.tiers, max(1, round(self.rnd.triangular(
                1, block.tiers + 0.49, block.tiers * fill))))
            reefer_row = row <= block.reefer_rows
            for tier in range(1, height + 1):
                if len(out) >= count:
                    break
                when = since + timedelta(seconds=self.rnd.uniform(0, span))
                out.append(self._yard_box(block, forty, reefer_row, imports, exports, lines,
                                          location="yard", block=block.name, bay=bay,
                                          row=row, tier=tier, time_in=when))
        return out

    def _yard_box(self, blk: BlockInfo, forty: bool, reefer_row: bool,
                  imports: list[VisitInfo], exports: list[VisitInfo], lines: list[str],
                  **place: object) -> BoxSpec:
        size = self._size(forty, blk.takes_45)
        if blk.purpose == "empty":
            return self._cargo(self.rnd.choice(lines), "storage", size, None, None, empty=True,
                               **place)
        export = blk.purpose == "export" or (blk.purpose not in ("import",)
                                               and self.rnd.random() < 0.5)
        visits = (exports if export else imports) or imports or exports
        v = self.rnd.choice(visits) if visits else VisitInfo("", "COSU")
        reefer = reefer_row and self.rnd.random() < 0.9
        return self._cargo(v.line, "export" if export else "import", size,
                           None if export else (v.key or None), v.key if export else None,
                           reefer=reefer, dg=blk.dangerous_goods, **place)

    def _stacks(self, blocks: list[BlockInfo]) -> Iterator[tuple[BlockInfo, int, int, bool]]:
        """Ground stacks: each pair of 20' bays holds one 40' stack or two 20' stacks."""
        for block in blocks:
            for pair in range(block.bays // 2):
                first = 4 * pair + 1  # 20' bays first and first+2; 40' on first+1
                for row in range(1, block.rows + 1):
                    if self.rnd.random() < 0.65:
                        yield block, first + 1, row, True
                    else:
                        yield block, first, row, False
                        yield block, first + 2, row, False

    # -- on board -----------------------------------------------------------------------
    def on_board(self, visit: VisitInfo, count: int, *, load: bool = False) -> list[BoxSpec]:
        """``count`` boxes stowed on ``visit`` (import to discharge, or export loaded)."""
        slots = [(bay, row, tier) for bay in range(2, 80, 4) for row in range(1, 19)
                 for tier in (*range(2, 19, 2), *range(82, 93, 2))]
        self.rnd.shuffle(slots)
        out = []
        for bay, row, tier in slots[:count]:
            out.append(self._cargo(visit.line, "export" if load else "import",
                                   self._size(True, False), None if load else visit.key,
                                   visit.key if load else None,
                                   reefer=self.rnd.random() < 0.06, location="vessel",
                                   on_visit=visit.key, bay=bay, row=row, tier=tier))
        return out
