"""Parties (⇧F2): the shipping lines, hauliers, forwarders, consignees, shippers and agents
the terminal deals with. The dispatcher (or an admin) registers one, corrects its name or legal
identity, and deactivates or activates it again; a line must be registered before its release
can be recorded, a haulier before the right to collect can be passed to it."""

from __future__ import annotations

from typing import Any, ClassVar

from portops.i18n import N_, _
from portops.queries.parties import PartyRow, parties
from portops.ui.commands import Command
from portops.ui.screens.admin_forms import FormField, Invalid, OperationForm, pick
from portops.ui.screens.base import KeyedListScreen
from portops.ui.widgets.table import Cell, Column

#: Each kind's value and its word (the words are translated where shown).
KINDS = {"line": N_("line"), "consignee": N_("consignee"), "forwarder": N_("forwarder"),
         "haulier": N_("haulier"), "shipper": N_("shipper"), "agent": N_("agent")}
COLUMNS = (Column("code", N_("Code"), 8), Column("kind", N_("Kind"), 9),
           Column("name", N_("Name"), 26), Column("identity", N_("Identity"), 18),
           Column("state", N_("State"), 8))

ADD = Command("parties.add", "a", N_("add"),
              N_("Register a party: code (a line's is its SCAC), name, kind and identity."),
              "add", N_("parties"))
EDIT = Command("parties.edit", "e", N_("edit"),
               N_("Change the highlighted party's name or legal identity."), "edit",
               N_("parties"))
TOGGLE = Command("parties.toggle", "d", N_("deactivate/activate"),
                 N_("Deactivate the highlighted party (no new release may name it), or "
                    "activate it again."), "toggle", N_("parties"))


class PartiesScreen(KeyedListScreen):
    TITLE = N_("Parties")
    HELP = N_("The shipping lines, hauliers, forwarders, consignees, shippers and agents the "
              "terminal deals with. A line's code is its SCAC (four letters); the others need "
              "their legal identity: an EORI number, a unified social credit code "
              "(统一社会信用代码, 18 characters, its last a check character) or another "
              "registration number. A release can name only a registered line and an active "
              "party. a adds, e edits, d deactivates or activates the highlighted party.")
    COMMANDS_DECLARED: ClassVar[tuple[Command, ...]] = (ADD, EDIT, TOGGLE)
    TABLE_ID = "parties"
    COLUMNS = COLUMNS
    KEY = "code"
    WATCHED = "party"
    NONE_HIGHLIGHTED = N_("No party highlighted")

    load = staticmethod(parties)

    def cells(self, r: PartyRow) -> dict[str, Cell]:
        return {"code": Cell(r.code), "kind": Cell(_(KINDS.get(r.kind, r.kind))),
                "name": Cell(r.name), "identity": Cell(r.identity or "—"),
                "state": Cell(_("active") if r.active else _("inactive"),
                              style="" if r.active else "dim")}

    def note(self, rows: list[PartyRow]) -> str:
        return (_("parties: {n} · a = add a line, haulier or other party").format(n=len(rows))
                if rows else
                _("No parties yet: press a to register a shipping line or a haulier."))

    def action_add(self) -> None:
        from portops.ops.parties import register_party

        def build(v: dict[str, str]) -> dict[str, Any]:
            if not v["code"].strip():
                raise Invalid("code", _("Code: type the party's code"))
            return {"code": v["code"], "name": v["name"],
                    "kind": pick(v["kind"], KINDS, "kind", _("Kind")),
                    "identity": v["identity"]}

        kinds = " · ".join(f"{k} {_(w)}" if _(w) != k else k for k, w in KINDS.items())
        self.app.push_screen(OperationForm(_("Register a party"), [
            FormField("code", _("Code (line: SCAC)"), max_length=16),
            FormField("name", _("Name"), max_length=128),
            FormField("kind", _("Kind"), max_length=16, hint=kinds),
            FormField("identity", _("Identity"), max_length=32,
                      hint=_("EORI, USCI (统一社会信用代码) or other; a line may leave it empty")),
        ], register_party, build), self.saved(_("registered")))

    def action_edit(self) -> None:
        from portops.ops.parties import update_party

        row = self.highlighted()
        if row is None:
            return
        self.app.push_screen(OperationForm(
            _("{code} ({kind}): name and identity").format(code=row.code,
                                                           kind=_(KINDS.get(row.kind, row.kind))),
            [FormField("name", _("Name"), row.name, max_length=128),
             FormField("identity", _("Identity"), row.identity, max_length=32)],
            update_party, lambda v: {"code": row.code, "name": v["name"],
                                     "identity": v["identity"]}),
            self.saved(_("changed")))

    def action_toggle(self) -> None:
        from portops.ops.parties import disable_party, enable_party

        row = self.highlighted()
        if row is None:
            return
        op, done = (disable_party, _("deactivated")) if row.active else (enable_party,
                                                                         _("activated"))
        self.perform(op, code=row.code,
                     then=lambda _r: self.notify(f"{row.code}: {done}"))
