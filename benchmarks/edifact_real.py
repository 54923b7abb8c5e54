"""EDIFACT memory on a real-shaped file: a 50 MB bay plan made of a real plan's box groups.

    python benchmarks/edifact_real.py [--mb 50] [--keep DIR]

The 20,000-box plan of ``benchmarks/edifact.py`` is generated: every box has the same few
segments, all of which portops interprets. A real departure plan is not like that: its slot
groups carry segments portops keeps as they came (``LOC+76``, ``LOC+83``, ``RFF+BM``, ``EQA``,
``DIM``, ``GDS``, blank lines), and issue 15's 50 MB file, with escaped apostrophes (``?'``)
throughout, peaked at 1.2-3.1 GB. This builds that shape from the corpus's real plan
(``tests/data/edi/real/parse-baplie-v22-excerpt.edi``, henry0hai/parse-baplie, ISC): its
header, then its nine slot groups repeated, each with a unique stowage position and a
unique container number (the group's owner code, a serial, the computed check digit), up to
``--mb`` megabytes, with UNT and UNZ counted right; and a variant with a released apostrophe
in every free text of the groups (``FTX+AAA+++SHIPPER?'S MT``).

For each file, in a fresh interpreter each (nothing else weighs on the figures):

* ``portops import`` as it stands: the file is prepared as the command does
  (``registry.prepare_one``), which refuses a message over ``files.MAX_BYTES`` (20 MB) before
  reading it; peak RSS of that process;
* the reader with the cap lifted (``files.parser(read_baplie)``: the encoding check, the
  stream, every record kept), as if the file were under the cap: peak RSS (``VmHWM``)
  and its growth over the interpreter after imports, and in a second run tracemalloc's peak,
  each over the file's size (target: at most 5x).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from stdnum import iso6346

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "data" / "edi" / "real" / "parse-baplie-v22-excerpt.edi"

_EQD = re.compile(r"^EQD\+CN\+([A-Z]{4})\d{7}")


def _groups(text: str) -> tuple[list[str], list[list[str]]]:
    """The real plan's header lines and its slot groups (``LOC+147`` to before the next one,
    blank lines kept), without its UNT/UNZ."""
    lines = text.splitlines(keepends=True)
    body = [ln for ln in lines if not ln.startswith(("UNT+", "UNZ+"))]
    first = next(i for i, ln in enumerate(body) if ln.startswith("LOC+147+"))
    header, groups = body[:first], []
    for ln in body[first:]:
        if ln.startswith("LOC+147+"):
            groups.append([])
        groups[-1].append(ln)
    return header, groups


def _slot(i: int) -> str:
    """A unique stowage position per box: bay, row (00-19), tier (02-98, even)."""
    return f"{1 + i // 980:03d}{(i // 49) % 20:02d}{2 + 2 * (i % 49):02d}"


def _number(owner: str, i: int) -> str:
    serial = f"{i:06d}"
    return owner + serial + iso6346.calc_check_digit(owner + serial)


def build(target_bytes: int, escaped: bool) -> str:
    """The real plan's header and slot groups repeated to ``target_bytes`` (see module doc)."""
    header, groups = _groups(REAL.read_text(encoding="ascii"))
    out, size, boxes, segments = list(header), sum(map(len, header)), 0, 0
    segments = sum(1 for ln in header if ln.strip()) - 1  # UNB is outside the message
    while size < target_bytes:
        for group in groups:
            for ln in group:
                if ln.startswith("LOC+147+"):
                    ln = f"LOC+147+{_slot(boxes)}::5'\n"
                elif (m := _EQD.match(ln)) is not None:
                    ln = ln[:7] + _number(m.group(1), boxes) + ln[18:]
                elif escaped and ln.startswith("FTX+AAA+++"):
                    ln = ln[:10] + "SHIPPER?'S " + ln[10:]
                out.append(ln)
                size += len(ln)
                segments += bool(ln.strip())
            boxes += 1
    ref = header[1].split("+")[1]
    out.append(f"UNT+{segments + 1}+{ref}'\nUNZ+1+1'\n")
    return "".join(out)


#: Peak resident set of this process: ``VmHWM`` (not ``ru_maxrss``, which on Linux keeps the
#: parent's size across fork and exec: the parent built the 50 MB text).
_HWM = """
def hwm():
    with open("/proc/self/status") as fh:
        return next(int(ln.split()[1]) * 1024 for ln in fh if ln.startswith("VmHWM:"))
"""

_READER = _HWM + """
import sys
from portops.formats.edifact import files
from portops.formats.edifact.baplie import read_baplie
files.MAX_BYTES = 1 << 40  # the cap lifted: what reading the file itself costs
parse = files.parser(read_baplie, "plan")
if sys.argv[2] == "tracemalloc":
    import tracemalloc
    tracemalloc.start()
base = hwm()
result = parse(sys.argv[1])
peak = hwm()
traced = tracemalloc.get_traced_memory()[1] if sys.argv[2] == "tracemalloc" else 0
print(base, peak, traced, len(result["plan"].boxes), len(result["problems"]))
"""

_IMPORT = _HWM + """
import sys
from pathlib import Path
from portops.formats import registry
from portops.formats.yamlsrc import SourceError, SourceErrors
try:
    registry.prepare_one(Path(sys.argv[1]))
    said = "read"
except (SourceError, SourceErrors) as exc:
    said = str(exc).replace(sys.argv[1], "FILE")
print(hwm(), "|", said)
"""


def _fresh(script: str, *args: str) -> str:
    return subprocess.run([sys.executable, "-c", script, *args], check=True, text=True,
                          capture_output=True, cwd=ROOT).stdout


def measure(path: Path) -> None:
    size = path.stat().st_size
    peak, said = _fresh(_IMPORT, str(path)).split("|", 1)
    print(f"  portops import (prepare): peak RSS {int(peak) / 1e6:.0f} MB "
          f"= {int(peak) / size:.2f}x; {said.strip()}")
    base, peak, _, boxes, problems = map(int, _fresh(_READER, str(path), "rss").split())
    print(f"  reader, cap lifted: {boxes} boxes, {problems} problems; peak RSS "
          f"{peak / 1e6:.0f} MB = {peak / size:.2f}x, growth over the interpreter "
          f"{(peak - base) / 1e6:.0f} MB = {(peak - base) / size:.2f}x (target <= 5x)")
    *_, traced, _, _ = map(int, _fresh(_READER, str(path), "tracemalloc").split())
    print(f"  reader, cap lifted: tracemalloc peak {traced / 1e6:.0f} MB "
          f"= {traced / size:.2f}x (target <= 5x)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=50)
    ap.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        where = args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        for name, escaped in (("real-shaped.edi", False), ("real-shaped-escaped.edi", True)):
            path = where / name
            path.write_text(build(int(args.mb * 1e6), escaped), encoding="ascii")
            text = path.read_text(encoding="ascii")
            print(f"{name}: {path.stat().st_size / 1e6:.1f} MB, {text.count(chr(39))} "
                  f"apostrophes, {text.count('?' + chr(39))} of them released")
            del text
            measure(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
