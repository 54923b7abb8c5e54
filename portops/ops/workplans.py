"""Issuing the day-and-night work plan: what the dispatcher hands to the shifts is kept."""

from __future__ import annotations

from datetime import date

from portops.model import Role, WorkPlanIssue
from portops.ops.core import Tx, operation
from portops.planning.workplan import diff
from portops.queries.workplan import build, last_issued


@operation("workplan.issue", Role.DISPATCHER)
def issue(tx: Tx, day: date) -> dict:
    """Issue the day-and-night work plan for a day."""
    tx.about("work_plan", None, day.isoformat())
    tx.ensure()
    plan = build(tx.session, day).to_json()
    before = last_issued(tx.session, day)
    changes = [str(m) for m in diff(before.body, plan)] if before else []  # the English
    row = WorkPlanIssue(day=day, issued_at=tx.now(), issued_by=tx.actor.name, body=plan)
    tx.session.add(row)
    tx.session.flush()
    tx.about("work_plan", row.id, day.isoformat())
    tx.record(reissue_of=before.id if before else None, changes=changes)
    return {"id": row.id, "changes": changes, "first": before is None}
