"""One box's holds and permissions (opened from Releases & holds): see, record, apply, release.

The box's flags are listed with who set and cleared them; what still stands in the way of
its delivery (or loading) is listed above them, as the booking would say it. Every change is
an operation run as the signed-in user: ``permission.grant`` (customs), ``release.line``
(the line's release, naming the party that may collect), ``hold.apply``, ``hold.release``
and ``permission.revoke``. A type the user's role does not own is read-only: its key answers
with the core's own refusal (which role to ask), and nothing changes.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from portops import textcheck
from portops.clock import local
from portops.flags import FLAG_TYPES
from portops.i18n import N_, _
from portops.model import Role
from portops.ops.core import Refused
from portops.ops.flags import apply_hold, grant_permission, release_hold, revoke_permission
from portops.ops.releases import line_release
from portops.queries import releases as q
from portops.ui.areas import ROLE_TITLES
from portops.ui.commands import Command
from portops.ui.live import Changes
from portops.ui.screens.admin_forms import FormField, OperationForm
from portops.ui.screens.base import AreaScreen
from portops.ui.widgets.table import Cell, Column, KeyedTable

CUSTOMS = Command("releases.customs", "c", N_("customs release"),
                  N_("Record the customs release of this box (or of its whole B/L) with its "
                     "entry number."), "customs", N_("releases"))
LINE = Command("releases.line", "l", N_("line release"),
               N_("Record the shipping line's release, naming the consignee, forwarder or "
                  "haulier that may collect the box."), "line", N_("releases"))
HOLD = Command("releases.hold", "h", N_("apply hold"),
               N_("Put a hold on this box (or its B/L) with the reason and a reference."),
               "hold", N_("releases"))
CLEAR = Command("releases.clear", "r", N_("release/revoke"),
                N_("Release the hold, or revoke the permission, under the cursor, with the "
                   "reference and the reason."), "clear", N_("releases"))
BACK = Command("releases.back", "escape", N_("back"), N_("Back to the boxes waiting."), "back",
               N_("releases"))

COLUMNS = (Column("type", N_("Type"), 13), Column("state", N_("State"), 8),
           Column("on", N_("On"), 6), Column("reference", N_("Reference"), 18),
           Column("by", N_("Set by"), 10), Column("at", N_("When"), 11))
REF, NOTE, CODE = (textcheck.REFERENCE.max_len, textcheck.NOTE.max_len,
                   textcheck.CODE.max_len)
STATES = {"active": N_("active"), "released": N_("released"), "granted": N_("granted"),
          "revoked": N_("revoked")}
#: Each type in a dozen characters, for the table columns (the full title is in the detail).
SHORT = {"PORT_ENTRY": N_("port entry"), "CUSTOMS_IMPORT": N_("customs imp."),
         "LINE_RELEASE": N_("line release"), "CUSTOMS_EXPORT": N_("customs exp."),
         "XRAY": N_("X-ray hold"), "INSPECTION": N_("inspection"), "DAMAGE": N_("damage hold"),
         "STORAGE": N_("storage hold")}
CATEGORY = {"import": N_("import box"), "export": N_("export box"),
            "tranship": N_("tranship box"), "storage": N_("storage box")}
WHERE = {"vessel": N_("on board"), "yard": N_("in the yard"), "advised": N_("expected"),
         "truck": N_("on a truck")}


def title_of(rule: str) -> str:
    """The translated title of the flag type a ``permission.x``/``hold.x`` rule names."""
    ft = FLAG_TYPES.get(rule.partition(".")[2].upper())
    return _(ft.title) if ft else rule


def short_of(code: str) -> str:
    return _(SHORT[code]) if code in SHORT else code


def lacks_text(unmet) -> str:
    """What a box still lacks, in a few words each, comma-separated."""
    return ", ".join(short_of(u.rule.partition(".")[2].upper()) for u in unmet)


def on_text(on: str, full: bool = False) -> str:
    if on == "box":
        return _("box")
    kind, _s, ref = on.partition(" ")
    word = _("B/L") if kind == "B/L" else _("booking")
    return f"{word} {ref}" if full else word


class ChoiceForm(ModalScreen[str | None]):
    """Pick one of a few options by arrow keys and Enter (Esc cancels); a disabled option is
    shown but cannot be picked (a type the role may only read)."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, title: str, options: list[tuple[str, str, bool]]) -> None:
        super().__init__()
        self.title_text, self.options = title, options

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Static(self.title_text, classes="form-title")
            yield OptionList(*(Option(text, id=f"o-{value}", disabled=not enabled)
                               for value, text, enabled in self.options), id="choices")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id.removeprefix("o-"))

    def action_cancel(self) -> None:
        self.dismiss(None)


class BoxScreen(AreaScreen):
    TITLE = N_("Box: holds and releases")
    HELP = N_("One box: what still stands in the way of its pickup (or loading), and every "
              "hold and permission on it or on its B/L, with who set it and when. c records "
              "the customs release with its entry number, l the line's release with the party "
              "that may collect, h applies a hold with its reason, r releases the hold or "
              "revokes the permission under the cursor with the reference and the reason. "
              "Fill the B/L field to cover every box on the bill of lading. A type your role "
              "does not own is read-only: its key says whom to ask. Esc goes back.")
    COMMANDS_DECLARED = (CUSTOMS, LINE, HOLD, CLEAR, BACK)
    DEFAULT_CSS = """
    #box-head { height: auto; padding: 0 1; text-style: bold; }
    #box-blocking { height: auto; max-height: 6; padding: 0 1; }
    #box-flags { height: 1fr; }
    #box-detail { height: auto; max-height: 4; padding: 0 1; }
    """

    def __init__(self, view: q.BoxView) -> None:
        super().__init__()
        self.view = view

    def compose_body(self) -> ComposeResult:
        yield Static("", id="box-head")
        yield Static("", id="box-blocking")
        yield KeyedTable(id="box-flags")
        yield Static("", id="box-detail")

    def on_mount(self) -> None:
        self.query_one("#box-flags", KeyedTable).set_columns(COLUMNS, _)
        self.show(self.view)
        self.query_one("#box-flags", KeyedTable).focus()

    # -- what is shown ------------------------------------------------------------------------
    @property
    def role(self) -> Role:
        return self.app.user.role

    def owns(self, roles) -> bool:
        return self.role == Role.ADMIN or str(self.role) in roles

    def show(self, view: q.BoxView | None) -> None:
        if view is None:  # left the terminal meanwhile
            self.notify(_("container {container} is not at or expected at the terminal")
                        .format(container=self.view.number), severity="warning")
            self.app.pop_screen()
            return
        self.view = v = view
        line = _("right to collect: {holder}").format(holder=v.holder) if v.holder else ""
        self.query_one("#box-head", Static).update(" · ".join(p for p in (
            f"{v.number} {v.size_type}", _(CATEGORY.get(v.category, v.category)), _(WHERE.get(v.location, v.location)),
            _("visit {key}").format(key=v.visit) if v.visit else "",
            _("B/L {bl}").format(bl=v.bl_number) if v.bl_number else "",
            _("line {code}").format(code=v.operator) if v.operator else "", line) if p))
        what = _("Pickup") if v.action == "deliver" else _("Loading")
        if v.blocking:
            lines = [_("{what} would be refused:").format(what=what)] + [
                f" ✗ {title_of(u.rule)} — {u.localized(_)[1]}" for u in v.blocking]
        else:
            lines = [_("{what}: no hold or missing release stands in the way.").format(what=what)]
        self.query_one("#box-blocking", Static).update("\n".join(lines))
        tz = self.app.terminal.timezone
        table = self.query_one("#box-flags", KeyedTable)
        was = self.selected()
        table.fill([(str(f.id), {
            "type": Cell(short_of(f.code), style="" if self.owns(f.roles) else "dim"),
            "state": Cell(_(STATES.get(f.state, f.state)),
                          style="bold" if f.in_force else "dim"),
            "on": Cell(on_text(f.on)), "reference": Cell(f.reference),
            "by": Cell(f.set_by), "at": Cell(f"{local(f.set_at, tz):%m-%d %H:%M}")})
            for f in v.flags])
        if was is not None and table.has_row(str(was.id)):  # the cursor stays on its row
            table.move_cursor(row=table.get_row_index(str(was.id)))
        self._detail()

    def selected(self) -> q.FlagRow | None:
        table = self.query_one("#box-flags", KeyedTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return next((f for f in self.view.flags if str(f.id) == key), None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def _detail(self) -> None:
        f = self.selected()
        detail = self.query_one("#box-detail", Static)
        if f is None:
            detail.update(_("No holds or permissions on this box yet."))
            return
        tz = self.app.terminal.timezone
        parts = [f"{_(f.title)}: {_(STATES.get(f.state, f.state))} ({on_text(f.on, True)})",
                 _("ref {ref}, set by {who} {when}").format(
                     ref=f.reference or "—", who=f.set_by,
                     when=f"{local(f.set_at, tz):%m-%d %H:%M}")]
        if f.reason:
            parts.append(_("reason: {reason}").format(reason=f.reason))
        if f.cleared_by:
            parts.append(_("cleared by {who} {when} (ref {ref})").format(
                who=f.cleared_by, when=f"{local(f.cleared_at, tz):%m-%d %H:%M}",
                ref=f.clear_reference or "—"))
        roles = ", ".join(_(ROLE_TITLES[Role(r)]) for r in sorted(f.roles))
        parts.append(_("set and cleared by: {roles}").format(roles=roles) if self.owns(f.roles)
                     else _("read-only for you: ask a {roles}").format(roles=roles))
        detail.update(" · ".join(parts))

    def reload(self) -> None:
        self.fetch(q.box, self.view.number, then=self.show, group="box")

    def apply_changes(self, changes: Changes) -> None:
        self.reload()

    # -- keys ----------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def _refuse_role(self, op, **kwargs) -> None:
        """Show the core's own refusal of this role for this type (nothing is changed)."""
        def then(unmet) -> None:
            own = [u for u in unmet if u.rule.endswith(".role")] or unmet
            if own:
                self.app.report_error(Refused(op.name, own))

        self.why_not(op, then=then, **kwargs)

    def _form(self, title: str, fields: list[FormField], op, fixed: dict, done: str) -> None:
        """The operation's form: it stays open on a refusal, every rule shown in it with what
        was typed still there; a B/L typed covers every box on it, else this box."""
        def build(values: dict[str, str]) -> dict:
            values = {k: v.strip() for k, v in values.items()}
            bl = values.pop("bl", None)
            subject = {} if bl is None else (
                {"bl_number": bl} if bl else {"container": self.view.number})
            return {**fixed, **subject, **values}

        def closed(result) -> None:
            if result is not None:
                self.notify(done, title=_("Releases & holds"))
                self.reload()

        self.app.push_screen(OperationForm(title, fields, op, build), closed)

    def _bl_field(self) -> FormField:
        return FormField("bl", _("B/L"), "", max_length=textcheck.REFERENCE.max_len,
                         hint=_("empty: this box only; a B/L: every box on it"))

    def action_customs(self) -> None:
        code = "CUSTOMS_EXPORT" if self.view.category == "export" else "CUSTOMS_IMPORT"
        ft = FLAG_TYPES[code]
        if not self.owns({str(r) for r in ft.roles}):
            self._refuse_role(grant_permission, code=code, reference="?",
                              container=self.view.number)
            return
        self._form(
            _("{number}: {title}").format(number=self.view.number, title=_(ft.title)),
            [FormField("reference", _("Entry number"), max_length=REF,
                       hint=_("the customs entry (declaration) or release number")),
             FormField("reason", _("Note"), max_length=NOTE), self._bl_field()],
            grant_permission, {"code": code},
            _("{title} recorded for {number}").format(title=_(ft.title),
                                                     number=self.view.number))

    def action_line(self) -> None:
        ft = FLAG_TYPES["LINE_RELEASE"]
        if not self.owns({str(r) for r in ft.roles}):
            self._refuse_role(line_release, line=self.view.operator or "?", to_party="?",
                              reference="?", container=self.view.number)
            return

        def ask(parties: dict[str, list[str]]) -> None:
            takers = sorted(c for k, codes in parties.items() if k != "line" for c in codes)
            hint = ", ".join(takers[:6]) + (" …" if len(takers) > 6 else "")
            self._form(
                _("{number}: the line's release").format(number=self.view.number),
                [FormField("line", _("Shipping line"), self.view.operator, max_length=CODE,
                           hint=_("the releasing line's party code")),
                 FormField("to_party", _("May collect"), max_length=CODE,
                           hint=_("consignee, forwarder or haulier: {codes}").format(
                               codes=hint or _("none registered"))),
                 FormField("reference", _("Release number"), max_length=REF,
                           hint=_("the line's release (delivery order) number")),
                 self._bl_field()],
                line_release, {},
                _("line release recorded for {number}").format(number=self.view.number))

        self.fetch(q.parties, then=ask)

    def action_hold(self) -> None:
        options = []
        for ft in (t for t in FLAG_TYPES.values() if not t.is_permission):
            roles = {str(r) for r in ft.roles}
            text = _(ft.title) if self.owns(roles) else _("{title} (read-only: ask a {roles})").format(
                title=_(ft.title), roles=", ".join(_(ROLE_TITLES[r]) for r in sorted(ft.roles)))
            options.append((ft.code, text, self.owns(roles)))

        def picked(code: str | None) -> None:
            if code is None:
                return
            ft = FLAG_TYPES[code]
            self._form(
                _("{number}: {title}").format(number=self.view.number, title=_(ft.title)),
                [FormField("reason", _("Reason"), max_length=NOTE,
                           hint=_("why the box is held")),
                 FormField("reference", _("Reference"), max_length=REF,
                           hint=_("inspection order, survey or notice number")),
                 self._bl_field()],
                apply_hold, {"code": code},
                _("{title} applied to {number}").format(title=_(ft.title),
                                                       number=self.view.number))

        self.app.push_screen(ChoiceForm(_("{number}: which hold?").format(
            number=self.view.number), options), picked)

    def action_clear(self) -> None:
        f = self.selected()
        if f is None or not f.in_force:
            self.notify(_("Choose a hold or permission in force (arrow keys)."),
                        severity="warning")
            return
        hold = f.kind == "hold"
        op = release_hold if hold else revoke_permission
        if not self.owns(f.roles):
            self._refuse_role(op, flag_id=f.id, reference="?", **({} if hold else
                                                                 {"reason": "?"}))
            return
        self._form(
            (_("Release the {title}") if hold else _("Revoke the {title}")).format(
                title=_(f.title)),
            [FormField("reference", _("Reference"), max_length=REF,
                       hint=_("what cleared it: inspection, survey, payment") if hold
                       else _("the customs or line notice")),
             FormField("reason", _("Reason"), max_length=NOTE,
                       hint=_("why it is released") if hold else _("why it is revoked"))],
            op, {"flag_id": f.id},
            (_("{title} released") if hold else _("{title} revoked")).format(title=_(f.title)))
