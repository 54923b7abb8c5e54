"""Users (⇧F10, admin only): every person's account with its role and whether it may sign
in. The admin adds one (the password typed twice, masked), changes its role, sets a new
password, disables or enables it, and unlocks one locked by wrong passwords; each is an operation in the audit log, the password
never (the event keeps ``***``)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len

from portops.i18n import N_, _
from portops.model import PartyKind, Role
from portops.queries.accounts import UserRow, users
from portops.queries.parties import PartyRow
from portops.scope import ROLE_OF_KIND
from portops.ui.areas import ROLE_TITLES
from portops.ui.commands import Command
from portops.ui.screens.admin_forms import FormField, Invalid, OperationForm, pick
from portops.ui.screens.base import KeyedListScreen
from portops.ui.screens.parties import KINDS
from portops.ui.widgets.table import Cell, Column

ROLES = {r.value: ROLE_TITLES[r] for r in Role}
COLUMNS = (Column("name", N_("User"), 16), Column("full_name", N_("Full name"), 24),
           Column("role", N_("Role"), 14), Column("state", N_("State"), 10))

ADD = Command("users.add", "a", N_("add"),
              N_("Add an account: user name, full name, role, the party a customer's account "
                 "belongs to (its first account is the party's admin) and a password typed "
                 "twice."),
              "add", N_("users"))
ROLE = Command("users.role", "r", N_("role"), N_("Change the highlighted user's role."),
               "role", N_("users"))
PASSWORD = Command("users.password", "p", N_("password"),
                   N_("Set a new password for the highlighted user (typed twice)."),
                   "password", N_("users"))
TOGGLE = Command("users.toggle", "d", N_("disable/enable"),
                 N_("Disable the highlighted account (it can no longer sign in), or enable "
                    "it again."), "toggle", N_("users"))
UNLOCK = Command("users.unlock", "u", N_("unlock"),
                 N_("Unlock the highlighted account, locked after too many wrong passwords "
                    "(its count of wrong passwords starts again)."), "unlock", N_("users"))


def _state(r: UserRow) -> Cell:
    if not r.active:
        return Cell(_("disabled"), style="dim")
    if r.locked:
        return Cell(_("locked"), style="bold red")
    return Cell(_("active"))


def _passwords(v: dict[str, str]) -> str:
    if len(v["password"]) < 8:
        raise Invalid("password", _("Password: at least 8 characters"))
    if v["password"] != v["again"]:
        raise Invalid("again", _("The two passwords differ: type the same twice"))
    return v["password"]


def _password_fields() -> list[FormField]:
    return [FormField("password", _("Password"), password=True, max_length=128),
            FormField("again", _("Password again"), password=True, max_length=128)]


def _party(typed: str, registered: list[PartyRow]) -> PartyRow | None:
    """The registered party whose code (or the unique beginning of one) was typed; none for
    an empty field (a staff account)."""
    t = typed.strip().upper()
    if not t:
        return None
    exact = [p for p in registered if p.code == t]
    starts = exact or [p for p in registered if p.code.startswith(t)]
    if len(starts) == 1:
        return starts[0]
    raise Invalid("party", _("Party: {typed!r} is not a registered party; type one of: "
                             "{codes} (register it first under Parties, ⇧F2)").format(
        typed=typed.strip(), codes=", ".join(p.code for p in registered) or "—"))


def _party_hint(registered: list[PartyRow], width: int = 60) -> str:
    """One line: empty for staff, else a registered party's code (with its kind), as many as
    fit in the form at 80 columns."""
    head = _("empty for staff, or one of:")
    if not registered:
        return _("empty for staff (no party registered yet: Parties, ⇧F2)")
    line, shown = head, 0
    for p in registered:
        item = f" {p.code} {_(KINDS.get(p.kind, p.kind))}"
        if cell_len(line + item) + 2 > width:
            break
        line, shown = line + item, shown + 1
    return line if shown == len(registered) else line + " …"


class UsersScreen(KeyedListScreen):
    TITLE = N_("Users")
    HELP = N_("Every person's account: its role decides the areas and operations it may use. "
              "a adds an account (a customer's first one names its party, registered under "
              "Parties, and is the party's admin; its role may be left empty, the party's kind "
              "says it), r changes the highlighted user's role, p sets a new "
              "password, d disables or enables it, u unlocks it after too many wrong passwords. "
              "A disabled account cannot sign in and stays in the audit log. Passwords are "
              "typed twice and never shown.")
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (ADD, ROLE, PASSWORD, TOGGLE,
                                                           UNLOCK)

    TABLE_ID = "users"
    COLUMNS = COLUMNS
    KEY = "name"
    WATCHED = "user"
    NONE_HIGHLIGHTED = N_("No user highlighted")

    load = staticmethod(users)

    def cells(self, r: UserRow) -> dict[str, Cell]:
        return {"name": Cell(r.name), "full_name": Cell(r.full_name or "—"),
                "role": Cell(_(ROLES[r.role])), "state": _state(r)}

    def note(self, rows: list[UserRow]) -> str:
        return _("accounts: {n}, active: {active}").format(n=len(rows),
                                                            active=sum(r.active for r in rows))

    def _role_hint(self) -> str:
        """The roles as the clerk reads them (each is what may be typed; ``pick`` takes the
        code too): two lines at 80 columns, not four (the add form scrolled)."""
        return " · ".join(_(t) for t in ROLES.values())

    def action_add(self) -> None:
        """The form, once the registered parties are read (the party field offers them)."""
        from portops.queries.parties import parties

        self.fetch(parties, then=self._add_form)

    def _add_form(self, registered: list[PartyRow]) -> None:
        from portops.ops.users import add_user

        active = [p for p in registered if p.active]

        def build(v: dict[str, str]) -> dict[str, Any]:
            party = _party(v["party"], active)
            if not v["role"].strip() and party is not None:  # the party's kind says the role
                role = ROLE_OF_KIND[PartyKind(party.kind)].value
            else:
                role = pick(v["role"], ROLES, "role", _("Role"))
            return {"name": v["name"], "full_name": v["full_name"].strip(), "role": role,
                    "password": _passwords(v), "party": party.code if party else ""}

        self.app.push_screen(OperationForm(_("Add a user"), [
            FormField("name", _("User name"), max_length=32,
                      hint=_("2-32 lower-case letters, digits, . _ -")),
            FormField("full_name", _("Full name"), max_length=128),
            FormField("role", _("Role"), max_length=24, hint=self._role_hint()),
            FormField("party", _("Party"), max_length=16, hint=_party_hint(active)),
            *_password_fields()], add_user, build), self.saved(_("added")))

    def action_role(self) -> None:
        from portops.ops.users import set_role

        row = self.highlighted()
        if row is None:
            return
        self.app.push_screen(OperationForm(
            _("{name}: role (now {role})").format(name=row.name, role=_(ROLES[row.role])),
            [FormField("role", _("New role"), max_length=24, hint=self._role_hint())],
            set_role, lambda v: {"name": row.name,
                                 "role": pick(v["role"], ROLES, "role", _("Role"))}),
            self.saved(_("role changed")))

    def action_password(self) -> None:
        from portops.ops.users import set_password

        row = self.highlighted()
        if row is None:
            return
        self.app.push_screen(OperationForm(
            _("{name}: new password").format(name=row.name), _password_fields(), set_password,
            lambda v: {"name": row.name, "password": _passwords(v)}),
            self.saved(_("password set")))

    def action_toggle(self) -> None:
        from portops.ops.users import disable_user, enable_user

        row = self.highlighted()
        if row is None:
            return
        op, done = (disable_user, _("disabled")) if row.active else (enable_user, _("enabled"))
        self.perform(op, name=row.name, then=lambda _r: self.notify(f"{row.name}: {done}"))

    def action_unlock(self) -> None:
        from portops.ops.signin import unlock_user

        row = self.highlighted()
        if row is None:
            return
        self.perform(unlock_user, name=row.name, then=lambda _r: (
            self.notify(_("{name}: unlocked").format(name=row.name)), self.reload()))
