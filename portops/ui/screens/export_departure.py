"""The departure bay plan written from the console (F12 Loading, ctrl+w): the BAPLIE of what is
on board the visit now, as ``portops export bay-plan`` writes it, to a file the clerk names.

Loading ends with two documents for the line: the load tally report (ctrl+r, recorded as
issued) and the departure bay plan. The clerk who completed loading is at the console, so the
plan is written from there too (before, only from a shell). Writing a file changes nothing in
the database, so no operation is run; the file's text is read in a worker, and a path that
cannot be written gets one sentence saying which and why.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from portops.db import read_session
from portops.formats.checklists import ValueDef
from portops.i18n import _


def departure_text(session, visit_id: int, now: datetime) -> str:
    """The visit's boxes on board as a BAPLIE (D.95B, SMDG 2.2) prepared ``now``."""
    from portops.formats.edifact.baplie import write_baplie
    from portops.queries.bayplan import on_board

    plan = on_board(session, visit_id)
    plan.header.prepared = now
    return write_baplie(plan, control_ref=now.strftime("%y%m%d%H%M%S"), prepared=now)


def write_departure(engine, visit_id: int, path: str, now: datetime) -> tuple[str, str | None]:
    """Write the file; ``(path, None)`` when written, ``(path, why)`` when it could not be."""
    with read_session(engine) as s:
        text = departure_text(s, visit_id, now)
    target = Path(path).expanduser()
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        return str(target), exc.strerror or type(exc).__name__
    return str(target.resolve()), None


def ask_and_write(pane, visit_id: int, key: str) -> None:
    """The form (a file name; blank: KEY-departure.edi here), then the file written."""
    from portops.ui.screens.checklists import ValuesForm

    default = f"{key}-departure.edi"

    def done(values: dict[str, str] | None) -> None:
        if values is None:
            return
        path = values["path"].strip() or default
        pane.fetch(write_departure, visit_id, path, pane.app.clock.now(), then=said,
                   group="departure-plan")

    def said(result: tuple[str, str | None]) -> None:
        path, why = result
        if why is None:
            pane.notify(_("Departure bay plan of {visit} written to {path}").format(
                visit=key, path=path), title=_("Departure bay plan"))
        else:
            pane.notify(_("{path}: cannot write the departure bay plan ({why}); name another "
                          "file").format(path=path, why=why), severity="warning")

    pane.app.push_screen(ValuesForm(_("Departure bay plan {visit}").format(visit=key), [
        ValueDef("path", "text", False, None,
                 {"en": _("file (blank: {name} here)").format(name=default)})]), done)
