"""Sign-in: a user name and password checked against the user table; the role picks the areas.

On a demo database the screen also offers "who are you?": one account per role, chosen
without a password (``portops demo`` only; a real database always asks for the password).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from portops.i18n import _
from portops.model import Role
from portops.queries.accounts import (
    Account,
    SignInResult,
    account,
    active_accounts,
    sign_in,
)
from portops.ui.areas import ROLE_TITLES
from portops.ui.screens.base import Working
from portops.ui.widgets.fields import FieldInput, focus_next_field

if TYPE_CHECKING:
    from portops.ui.app import PortopsApp


class SignInScreen(Working, Screen):
    app: PortopsApp
    BINDINGS = [("ctrl+l", "app.next_language", "language"),
                # Enter in the name field moves on as a priority key, so a password typed
                # right behind it lands in the password field, not after the name.
                Binding("enter", "next_field", show=False, priority=True)]

    def compose(self) -> ComposeResult:
        self.AUTO_FOCUS = "#picker" if self.app.settings.demo else "#name"
        # The demo's picker takes the place of name and password (which its accounts do
        # not have): both together ran past the box and the screen at 80x24.
        demo = "demo" if self.app.settings.demo else ""
        with Center(), Vertical(id="signin-box", classes=demo):
            yield Static(id="signin-title")
            yield Label(id="name-label", classes="credentials")
            yield FieldInput(id="name", compact=True, classes="credentials")
            yield Label(id="password-label", classes="credentials")
            yield FieldInput(id="password", password=True, compact=True, classes="credentials")
            yield Button(id="signin-button", variant="primary", compact=True,
                         classes="credentials")
            yield Static(id="signin-message")
            if self.app.settings.demo:
                yield Label(id="picker-label")
                yield OptionList(id="picker")
        yield Static(id="signin-footer")

    #: Demo: the terminal is still being built (the picker fills when it is ready).
    _building = False
    #: Demo: the accounts the picker offers.
    _accounts: list[Account] = []  # noqa: RUF012 - replaced, never changed in place

    def on_mount(self) -> None:
        self._building = self.app.settings.demo
        self.reset()
        if self.app.settings.demo:
            # One account per role, named after it (portops.ui.demo): listed at once, so
            # people pick while the terminal is built; a pick then waits for it.
            self._show_accounts([Account(role.value.replace("_", "-"), "", role)
                                 for role in sorted(Role, key=lambda r: r.value)],
                                built=False)
            self.fetch(active_accounts, then=self._show_accounts)

    def reset(self) -> None:
        """Clear the password and (re)draw every text in the current language."""
        self.show_terminal()
        self.query_one("#name-label", Label).update(_("User name"))
        self.query_one("#password-label", Label).update(_("Password"))
        self.query_one("#signin-button", Button).label = _("Sign in")
        self.query_one("#password", Input).value = ""
        self.query_one("#signin-message", Static).update(
            _("Building the demo terminal as of now…") if self._building else "")
        self.query_one("#signin-footer", Static).update(
            _("Enter: sign in · Ctrl+L: language ({language}) · Ctrl+Q: quit")
            .format(language=self.app.language))
        if self.app.settings.demo:
            self.query_one("#picker-label", Label).update(
                _("Demo: who are you? (no password needed)"))
            self._draw_picker()
            self.query_one("#picker", OptionList).focus()
        else:
            self.query_one("#name", Input).focus()

    def show_terminal(self) -> None:
        """The title, with the terminal's name once the database is open."""
        title = _("portops — sign in")
        if self.app.terminal.name:
            title += f"\n{self.app.terminal.name}"
        self.query_one("#signin-title", Static).update(title)

    def _show_accounts(self, accounts: list[Account], built: bool = True) -> None:
        if built and self._building:
            self._building = False
            self._say("")
        self._accounts = accounts
        self._draw_picker()

    def _draw_picker(self) -> None:
        """The demo's accounts, with role titles in the current language."""
        picker = self.query_one("#picker", OptionList)
        options = [(a.name, f"{a.name:<16} {_(ROLE_TITLES[a.role])}") for a in self._accounts]
        if [name for name, _p in options] == [picker.get_option_at_index(i).id
                                              for i in range(picker.option_count)]:
            for name, prompt in options:  # the same accounts: keep the highlight
                picker.replace_option_prompt(name, prompt)
            return
        picker.clear_options()
        picker.add_options(Option(prompt, id=name) for name, prompt in options)
        if options:
            picker.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self._building:
            self._say(_("Signing in as {name} when the demo terminal is ready…")
                      .format(name=event.option.id))
        self.fetch(account, event.option.id, then=self._picked)

    def _picked(self, found) -> None:
        if found is not None:
            self.app.sign_in_as(found)

    def action_next_field(self) -> None:
        fields = [self.query_one("#name", Input), self.query_one("#password", Input)]
        if not focus_next_field(self, fields):
            raise SkipAction  # the password's own Enter signs in (Input.Submitted)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._submit()  # only the password's Enter gets here: the name's moves on (above)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self._submit()

    def _submit(self) -> None:
        name = self.query_one("#name", Input).value
        password = self.query_one("#password", Input).value
        if not name.strip():
            self._say(_("Type your user name."))
            return
        self._say(_("Checking…"))
        from portops.identity import source

        # the back-off counts failures by where they come from: a browser's or an SSH
        # client's address, else this OS account at this host
        self.fetch(sign_in, name, password, source("console"), self.app.clock,
                   then=self._signed_in)

    def _signed_in(self, result: SignInResult) -> None:
        self.query_one("#password", Input).value = ""
        if result.account is not None:
            self._say("")
            # The form is the next person's after F10: a name left here had theirs typed
            # onto its end (after a refusal the name stays, to retype only the password).
            self.query_one("#name", Input).value = ""
            self.app.sign_in_as(result.account)
        elif result.reason == "disabled":
            self._say(_("This account is disabled; ask an administrator."))
        elif result.reason == "locked":
            self._say(_("This account is locked after too many wrong passwords; ask an "
                        "administrator to unlock it."))
        elif result.reason == "wait":
            self._say(_("Too many wrong passwords: wait {seconds} s and try again.")
                      .format(seconds=result.wait_seconds))
        else:
            self._say(_("Unknown user name or wrong password."))

    def _say(self, text: str) -> None:
        self.query_one("#signin-message", Static).update(text)
