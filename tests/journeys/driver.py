"""Driving the console as a person does, for the journeys: keys only, and a look at the screen
after every step.

A :class:`Desk` wraps Textual's ``Pilot``: it signs in by typing a name and a password, signs
out with F10, opens areas with their function keys, types into fields, and waits for what a
person would wait for (a screen's first read, an answer to an operation) rather than for a
fixed time. After every step :meth:`Desk.look` fails the journey if the screen or a
notification shows a traceback, an unexpected error, or a rule id without its sentence (a
refusal reads ``[rule.id] sentence — remedy``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from textual.widgets import Static

from portops.clock import FixedClock
from tests.ui.conftest import text_of, wait_for

#: A rule id in brackets, and what follows it on its line.
RULE = re.compile(r"\[([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\]([^\n]*)")


class ScreenFault(AssertionError):
    """What a person would have seen go wrong: the journey stops there."""


def faults(texts: list[str]) -> list[str]:
    """Which of ``texts`` show a traceback or a rule id without its sentence."""
    found = []
    for text in texts:
        if "Traceback (most recent call last)" in text or re.search(r'File ".*", line \d+',
                                                                     text):
            found.append(f"traceback: {text[:300]}")
        for m in RULE.finditer(text):
            after = m.group(2).strip()
            if not re.search(r"\w{2}", after):
                found.append(f"rule {m.group(1)} shown without its sentence: {text[:300]}")
    return found


class Desk:
    """One console, worked by keyboard (see the module docstring)."""

    def __init__(self, pilot, clock: FixedClock, users: dict[str, tuple[str, str]]) -> None:
        self.pilot, self.app, self.clock, self.users = pilot, pilot.app, clock, users
        #: Every notification the console gave, in order, as (severity, title, message):
        #: read here as it is given, for a notification leaves the screen after seconds.
        self.heard: list[tuple[str, str, str]] = []
        self._read = 0
        notify = self.app.notify

        def hear(message, *, title="", severity="information", **kw):
            self.heard.append((str(severity), str(title or ""), str(message)))
            return notify(message, title=title, severity=severity, **kw)

        self.app.notify = hear

    # -- looking ---------------------------------------------------------------------------
    def notes(self) -> list[tuple[str, str, str]]:
        """(severity, title, message) of every notification on the screen now."""
        return [(n.severity, str(n.title or ""), str(n.message))
                for n in self.app._notifications]

    def screen_texts(self) -> list[str]:
        texts = []
        for w in self.app.screen.query(Static):
            try:
                texts.append(text_of(w))
            except Exception:  # noqa: BLE001 - a widget that cannot be read is not a fault
                continue
        return texts

    def look(self) -> None:
        """Fail if the screen or a notification shows what no person should see."""
        from portops.i18n import _

        notes = self.notes() + self.heard
        bad = faults([m for _s, _t, m in notes] + self.screen_texts())
        wrong = _("Something went wrong")
        bad += [f"error notification: {t}: {m}" for s, t, m in notes
                if s == "error" and t in (wrong, "Something went wrong")]
        if bad:
            raise ScreenFault("; ".join(bad))

    def _new(self) -> list[tuple[str, str, str]]:
        return self.heard[self._read:]

    def _mark(self) -> None:
        self._read = len(self.heard)

    # -- waiting ---------------------------------------------------------------------------
    async def wait(self, condition: Callable[[], object], what: str,
                   timeout: float = 45.0) -> None:
        try:
            await wait_for(self.pilot, condition, timeout=timeout, what=what)
        except AssertionError as exc:
            shown = " | ".join(t.strip() for t in self.screen_texts() if t.strip())
            raise AssertionError(f"{exc}; the screen shows: {shown[:1500]}; "
                                 f"notes: {self.notes()}") from None
        self.look()

    async def settle(self) -> None:
        """Until no worker is running (reads and operations started by the last keys)."""
        await self.wait(lambda: not any(w.is_running or w.state.name == "PENDING"
                                        for w in self.app.workers), "workers")
        await self.pilot.pause()

    # -- keys ------------------------------------------------------------------------------
    async def press(self, *keys: str) -> None:
        """Press keys; ``"type:TEXT"`` types TEXT a character at a time."""
        i = 0
        while i < len(keys):
            k = keys[i]
            if k.startswith("type:"):
                await self.burst(list(k[5:]))
            elif k in ("down", "up") and i + 1 < len(keys) and keys[i + 1] == k:
                run = 1
                while i + run < len(keys) and keys[i + run] == k:
                    run += 1
                await self.burst([k] * run)  # the cursor walking down a list
                i += run
                continue
            else:
                await self.pilot.press(k)
            i += 1
        await self.pilot.pause()
        self.look()

    async def burst(self, keys: list[str]) -> None:
        """Keys sent at once, as a fast typist, a scanner or a paste sends them, then wait.

        Pilot waits for the console to go idle after every key (80 ms a key on a busy
        machine); the characters of one field need not wait for each other: they all go to
        the field with the cursor, in order (the console takes bursts: test_burst_typing)."""
        import unicodedata

        from textual import events
        from textual._wait import wait_for_idle
        from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

        driver = self.app._driver
        for key in keys:
            name = _character_to_key(key) if len(key) == 1 and not key.isalnum() else key
            try:
                char = unicodedata.lookup(_get_unicode_name_from_key(
                    REPLACED_KEYS.get(name, name)))
            except KeyError:
                char = key if len(key) == 1 else None
            event = events.Key(name, char)
            event.set_sender(self.app)
            driver.send_message(event)
        await wait_for_idle(0)
        await self.pilot.pause()

    async def answer(self, *keys: str, refused: str | None = None,
                     contains: str | None = None, warned: bool = False) -> str:
        """Press ``keys`` and wait for the console's answer (a new notification).

        ``refused``: the rule id the refusal must name; ``warned``: the answer is a warning
        (a "why not" in words); otherwise the answer must not be a refusal (nor an error),
        and must contain ``contains`` if given. Returns its text."""
        self._mark()
        await self.press(*keys)

        def arrived() -> bool:
            for _s, _t, m in self._new():
                if refused and f"[{refused}]" in m:
                    return True
                if not refused and (contains is None or contains in m):
                    return True
                if not refused and _s in ("warning", "error") and "[" in m:
                    return True
            return False

        await self.wait(arrived, what=f"answer to {keys} ({refused or contains or 'any'})")
        new = self._new()
        self._mark()
        text = "\n".join(f"{t}: {m}" for _s, t, m in new)
        if warned:  # a "why not" said in words (no rule id): a warning
            assert any(s == "warning" for s, _t, _m in new), f"expected a warning: {text}"
            return text
        if refused:
            return text
        bad = [m for s, _t, m in new if s in ("warning", "error") and
               (contains is None or contains not in m)]
        assert not bad, f"expected {contains or 'success'}, got: {text}"
        return text

    @staticmethod
    def t(text: str) -> str:
        """``text`` as the console shows it in its language now."""
        from portops.i18n import _

        return _(text)

    def showing(self, text: str) -> bool:
        return any(text in t for t in self.screen_texts())

    async def shows(self, *keys: str, text: str) -> None:
        """Press ``keys`` and wait until the screen shows ``text``."""
        await self.press(*keys)
        await self.wait(lambda: self.showing(text), what=f"{text!r} on the screen")

    # -- people and areas ------------------------------------------------------------------
    async def sign_in(self, name: str) -> None:
        """Type ``name`` and its password at the sign-in form; wait for the first area."""
        password = self.users[name][1]
        app = self.app
        await self.wait(lambda: app.user is None and app.screen.query("#name"), "sign-in form")
        if not app.screen.query_one("#name").has_focus:
            await self.pilot.click("#name")
        # the form is empty for each person (issue 13: it kept the last one's name)
        await self.press(f"type:{name}", "enter", f"type:{password}", "enter")
        await self.wait(lambda: app.user is not None and app.user.name == name,
                        what=f"{name} signed in")
        await self.settle()

    async def sign_out(self) -> None:
        await self.press("f10")
        await self.wait(lambda: self.app.user is None, "signed out")

    async def area(self, key: str, mode: str, ready: Callable[[object], object] | None = None,
                   ) -> None:
        """Press the area's key and wait until its screen has read its data."""
        await self.press(key)
        app = self.app

        def shown() -> bool:
            if app.current_mode != mode:
                return False
            if ready is not None:
                return bool(ready(app.screen))
            return getattr(app.screen, "loaded", True)

        await self.wait(shown, what=f"area {mode}")
        await self.settle()

    def later(self, **delta: float) -> None:
        """Time passes at the terminal (the console reads the same clock)."""
        self.clock.advance(**delta)

    def text(self, selector: str) -> str:
        return text_of(self.app.screen.query_one(selector))
