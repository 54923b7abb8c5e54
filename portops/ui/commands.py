"""Commands are declared once; the binding, the footer, the palette entry and F1 help follow.

A screen lists its commands in ``COMMANDS_DECLARED``; :class:`~portops.ui.screens.base.AreaScreen`
binds each key to ``action_<action>`` with the command's id (so keys can be remapped with
``App.set_keymap``), shows its title in the footer, offers it in the command palette as
"<group>: <title>" and lists it on the screen's help. Titles and help are English source texts
marked with ``N_``; they are translated when shown, so a language switch needs no redeclaring.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

from portops.i18n import N_, _


@dataclass(frozen=True)
class Command:
    #: Stable id, e.g. ``schedule.edit_times`` (binding id for keymaps; palette; tests).
    id: str
    #: The key (Textual key name: ``e``, ``enter``, ``f2``, ``ctrl+r``).
    key: str
    #: Short title for the footer and palette (English, marked with ``N_``).
    title: str
    #: One sentence for the palette and F1 help (English, marked with ``N_``).
    help: str
    #: The action run: ``action_<action>`` on the screen (or ``app.<name>`` for the app).
    action: str
    #: Palette namespace, e.g. ``N_("schedule")``.
    group: str = N_("console")
    #: Shown in the footer (palette and help always list it).
    show: bool = True
    #: Handled before the focused widget sees the key.
    priority: bool = False
    #: Key as the footer shows it, when the key name is not what a person reads.
    key_display: str | None = None
    #: A key that does not collide with typing (a Ctrl combination or function key) for a
    #: command whose ``key`` is a character a text field takes: while such a field has the
    #: focus the character goes into it (Textual leaves it to the field) and this key runs
    #: the command instead; the footer then shows it in place of the character.
    field_key: str | None = None

    def binding(self) -> Binding:
        """The Textual binding, in the current language."""
        return Binding(self.key, self.action, _(self.title), show=self.show,
                       key_display=self.key_display, priority=self.priority,
                       tooltip=_(self.help), id=self.id)

    def bindings(self) -> list[Binding]:
        """The command's binding and, if it has one, its field key's (a priority binding:
        it must act before the field's own editing keys)."""
        out = [self.binding()]
        if self.field_key:
            out.append(Binding(self.field_key, self.action, _(self.title), show=self.show,
                               priority=True, tooltip=_(self.help),
                               id=self.id + FIELD_SUFFIX))
        return out

    @property
    def keys_label(self) -> str:
        """Its keys as F1 help lists them, e.g. ``v / ^N``."""
        main = self.key_display or KEY_NAMES.get(self.key, self.key)
        return f"{main} / {key_label(self.field_key)}" if self.field_key else main

    @property
    def palette_title(self) -> str:
        return f"{_(self.group)}: {_(self.title)}"


#: Ends the id of a command's field-key binding.
FIELD_SUFFIX = ".field"
KEY_NAMES = {"slash": "/", "left_square_bracket": "[", "right_square_bracket": "]",
             "enter": "Enter", "escape": "Esc", "home": "Home", "end": "End"}


def key_label(key: str) -> str:
    """``ctrl+n`` as ``^N``, ``f5`` as ``F5``: how a key is written in help."""
    if key.startswith("ctrl+"):
        return "^" + key.removeprefix("ctrl+").upper()
    return key.upper() if key.startswith("f") and key[1:].isdigit() else KEY_NAMES.get(key, key)


def bind_commands(node, commands) -> None:
    """Bind ``commands`` on ``node`` (a screen or a widget): the one way keys are bound."""
    keys = node._bindings.key_to_bindings
    for cmd in commands:
        for binding in cmd.bindings():
            keys.setdefault(binding.key, []).append(binding)


def footer_bindings(active: dict) -> dict:
    """What the footer shows of ``active`` (key → ActiveBinding): a command's field key only
    while its character is taken by the focused field (Textual then leaves the character
    out of the active bindings), so the footer names the one key that works now."""
    shown_actions = {(b.binding.action, id(b.node)) for b in active.values()
                     if not (b.binding.id or "").endswith(FIELD_SUFFIX)}
    return {key: b for key, b in active.items()
            if not (b.binding.id or "").endswith(FIELD_SUFFIX)
            or (b.binding.action, id(b.node)) not in shown_actions}


#: The console's own commands, available on every screen once signed in.
HELP = Command("app.help", "f1", N_("help"), N_("Show what this screen does and its keys."),
               "app.help", priority=True)
PALETTE = Command("app.palette", "ctrl+p", N_("commands"),
                  N_("Search every command by name."), "app.command_palette", show=False)
SIGN_OUT = Command("app.sign_out", "f10", N_("sign out"),
                   N_("Sign out and hand the console to the next person."), "app.sign_out",
                   priority=True)
QUIT = Command("app.quit", "ctrl+q", N_("quit"), N_("Close the console."), "app.quit",
               show=False, priority=True)
LANGUAGE = Command("app.language", "ctrl+l", N_("language"),
                   N_("Switch between English and Simplified Chinese."), "app.next_language",
                   show=False)
APP_COMMANDS: tuple[Command, ...] = (HELP, SIGN_OUT, PALETTE, LANGUAGE, QUIT)
