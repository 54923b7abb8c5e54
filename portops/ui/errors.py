"""The one error policy: how a failure becomes something a person reads, never a crash.

A :class:`~portops.ops.Refused` names every unmet rule: its id, its sentence and its remedy.
Anything else becomes an error notification with the exception's one-line text (the console
keeps running; the traceback goes to the Textual log for developers).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from portops.i18n import _
from portops.ui.operation_titles import operation_title


@dataclass(frozen=True)
class Report:
    title: str
    message: str
    severity: str  # "warning" for refusals, "error" for failures


def rule_line(u) -> str:
    """One unmet rule in the console's language: ``[FILE:LINE: ][rule.id] sentence — remedy``.

    The rule id stays as it is (it is what people quote to each other and to support)."""
    return u.line(_)


def rules_text(unmet) -> str:
    """Each unmet rule as one line (see :func:`rule_line`)."""
    return "\n".join(rule_line(u) for u in unmet)


def report(error: BaseException) -> Report:
    # Refused is looked up only if the operations were loaded (the sign-in form is drawn
    # before them; nothing can have been refused before they were)
    refused = getattr(sys.modules.get("portops.ops.core"), "Refused", None)
    if refused is not None and isinstance(error, refused):
        # the step as the clerk reads it (拒绝：记录卡车到达), as the command line names it;
        # its id stays in the events and F11
        return Report(_("Refused: {operation}").format(
            operation=operation_title(error.operation)),
                      rules_text(error.unmet), "warning")
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return Report(_("Something went wrong"), text, "error")


def show_error(app, error: BaseException) -> None:
    """The console's one error policy: a refusal (a warning naming every rule) or a failure
    (an error with its message), 15 s, on ``app``; the traceback goes to the Textual log.
    Every worker (``screens.base.Working``) and ``PortopsApp.report_error`` show errors here."""
    r = report(error)
    app.log.error(repr(error))
    app.notify(r.message, title=r.title, severity=r.severity, timeout=15, markup=False)
