"""What an import did, entry by entry: added, changed (which fields, from what to what), or
unchanged. Import operations return an :class:`ImportReport`; the CLI and the console show it
and the event records its counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from portops.ops.core import jsonable

ADDED, CHANGED, UNCHANGED = "added", "changed", "unchanged"


@dataclass(frozen=True)
class Change:
    kind: str  # berth, yard block, vessel, visit ...
    key: str  # what a person searches by: B3, A01, 9839179, COSU-045E
    action: str  # added, changed, unchanged
    #: For a change: field -> (old, new), as shown to a person.
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    def describe(self) -> str:
        text = f"{self.action} {self.kind} {self.key}"
        if self.fields:
            text += ": " + ", ".join(f"{k} {_show(o)} -> {_show(n)}"
                                     for k, (o, n) in self.fields.items())
        return text


def _show(value: Any) -> str:
    value = jsonable(value)
    return "-" if value in (None, "") else str(value)


@dataclass
class ImportReport:
    what: str  # "layout", "schedule", ...
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, kind: str, key: str, old: dict[str, Any] | None, new: dict[str, Any]) -> Change:
        """Compare ``old`` (None: not there before) with ``new`` and note the outcome."""
        if old is None:
            change = Change(kind, key, ADDED)
        else:
            diff = {k: (old.get(k), v) for k, v in new.items() if old.get(k) != v}
            change = Change(kind, key, CHANGED if diff else UNCHANGED, diff)
        self.changes.append(change)
        return change

    def counts(self) -> dict[str, dict[str, int]]:
        """``{kind: {added: n, changed: n, unchanged: n}}``."""
        out: dict[str, Counter] = {}
        for c in self.changes:
            out.setdefault(c.kind, Counter())[c.action] += 1
        return {k: {a: v.get(a, 0) for a in (ADDED, CHANGED, UNCHANGED)} for k, v in out.items()}

    def event_data(self, limit: int = 200) -> dict[str, Any]:
        """What the import event keeps: counts, and which entries were added or changed (with
        the changed fields' new values), at most ``limit`` of them."""
        moved = [c for c in self.changes if c.action != UNCHANGED][:limit]
        return {"counts": self.counts(),
                "changes": [{"kind": c.kind, "key": c.key, "action": c.action,
                             "fields": {k: jsonable(n) for k, (_, n) in c.fields.items()}}
                            for c in moved]}

    def summary(self) -> str:
        parts = [f"{kind}s {n[ADDED]} added, {n[CHANGED]} changed, {n[UNCHANGED]} unchanged"
                 for kind, n in self.counts().items()]
        return f"{self.what}: " + ("; ".join(parts) or "nothing in the file")

    def details(self) -> list[str]:
        """One line per entry that was added or changed (the unchanged are only counted)."""
        return [c.describe() for c in self.changes if c.action != UNCHANGED] + self.notes
