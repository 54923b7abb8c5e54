"""How every state change happens: named operations, checked rules, one transaction, one event.

An operation is a function decorated with :func:`operation`. It receives a :class:`Tx` and its
arguments, states its preconditions with :meth:`Tx.rule` (each a stable rule id, a sentence a
clerk understands and what would clear it), calls :meth:`Tx.ensure` once every rule is stated,
and only then changes data. :class:`Core` runs it:

* the caller's account is looked up and its role checked against the operation's roles;
* every rule is evaluated, so a refusal lists *all* unmet rules, not the first;
* on success the changes and one audit :class:`~portops.model.Event` commit together;
* on refusal nothing is written and :class:`Refused` is raised;
* :meth:`Core.check` runs the same function up to ``ensure()`` and rolls back, which answers
  "why can't I?" before a clerk tries.

Nothing outside ``portops.ops`` writes to the database.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NoReturn, ParamSpec, TypeVar

from sqlalchemy import bindparam
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, select

from portops.clock import Clock, SystemClock
from portops.db import DatabaseBusy, advisory_lock, locks_rows, reader, write_turn
from portops.i18n import (  # noqa: F401 - Term & co. are the core's words too
    LIST_SEPARATOR,
    N_,
    Choices,
    Term,
    Terms,
    localized_value,
)
from portops.identity import current_via
from portops.model import Role, User, load_all
from portops.ops.ending import (
    ConstraintMeans,
    Ending,
    LastWrites,
    Write,
    caller_gone,
    constraint_named,
    ending_for,
)
from portops.prepared import Prepared, flush_pending

P = ParamSpec("P")
R = TypeVar("R")


def action_text(summary: str) -> str:
    """An operation's summary as the phrase a refusal names it by: "Book a truck appointment."
    -> "book a truck appointment" (an initial acronym such as "EIR" keeps its capitals).
    ``portops.i18n_tools`` extracts these phrases for translation with the same function."""
    text_ = summary.strip().rstrip(".")
    return text_[:1].lower() + text_[1:] if text_[1:2].islower() else text_


#: A rule's remedy as a customer (haulier, consignee, shipper) is to read it, where the
#: staff's remedy is a step only staff can take (a haulier told to "record or import the
#: customs release" could do nothing with it). Rule id -> English template, marked ``N_``;
#: filled by the module that states the rule (``portops.flags``).
CUSTOMER_REMEDIES: dict[str, str] = {}


@dataclass(frozen=True)
class Unmet:
    """One rule that stands in the way: which, why in plain words, and what would clear it.

    ``message`` and ``remedy`` are English with the values filled in (logs, the CLI, tests).
    When a rule is stated with ``params``, ``templates`` keeps the English texts with their
    ``{placeholders}`` so a console in another language can translate the template and fill
    in the same values: :meth:`localized`.
    """

    rule: str
    message: str
    remedy: str
    #: Where the cause lies when it is in a file (``FILE:LINE``); empty otherwise.
    where: str = ""
    #: The values the templates name (empty: ``message`` and ``remedy`` are final texts).
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)
    #: ``(message, remedy)`` templates before ``params`` were filled in.
    templates: tuple[str, str] | None = field(default=None, compare=False)

    @classmethod
    def of(cls, rule: str, message: str, remedy: str, where: str = "",
           **params: Any) -> Unmet:
        """An unmet rule from English templates and the values they name."""
        if not params:
            return cls(rule, message, remedy, where)
        return cls(rule, message.format(**params), remedy.format(**params), where,
                   dict(params), (message, remedy))

    def localized(self, translate: Callable[[str], str]) -> tuple[str, str]:
        """``(message, remedy)`` in the language of ``translate`` (a gettext function)."""
        if self.templates is None:
            return translate(self.message), translate(self.remedy)
        message, remedy = self.templates
        params = {k: localized_value(v, translate) for k, v in self.params.items()}
        try:
            return translate(message).format(**params), translate(remedy).format(**params)
        except (KeyError, IndexError, ValueError):  # a stored value lost its type (a time)
            return self.message, self.remedy

    def as_dict(self) -> dict[str, Any]:
        """Plain data to store (a truck's trouble reasons) and rebuild with :meth:`from_dict`."""
        out: dict[str, Any] = {"rule": self.rule, "message": self.message,
                               "remedy": self.remedy}
        if self.where:
            out["where"] = self.where
        if self.templates is not None:
            out["params"] = {k: _plain(v) for k, v in self.params.items()}
            out["templates"] = list(self.templates)
            terms = [k for k, v in self.params.items() if isinstance(v, Term)]
            if terms:
                out["terms"] = terms
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Unmet:
        templates = data.get("templates")
        params = dict(data.get("params") or {})
        for k in data.get("terms") or ():
            params[k] = Term(params[k])
        return cls(data["rule"], data["message"], data["remedy"], data.get("where", ""),
                   params, tuple(templates) if templates else None)

    def line(self, translate: Callable[[str], str] | None = None) -> str:
        """``[FILE:LINE: ][rule.id] sentence — remedy``, in ``translate``'s language (default
        English). The rule id stays as it is: it is what people quote to each other."""
        message, remedy = (self.message, self.remedy) if translate is None else \
            self.localized(translate)
        where = f"{self.where}: " if self.where else ""
        return f"{where}[{self.rule}] {message} — {remedy}"

    def __str__(self) -> str:
        return self.line()


def _plain(value: Any) -> Any:
    """A template value as JSON can keep it (numbers and text as they are, else text)."""
    return value if isinstance(value, int | float | str | bool) or value is None else str(value)


class Refused(Exception):
    """An operation did not happen. ``unmet`` lists every rule that refused it."""

    def __init__(self, operation: str, unmet: Iterable[Unmet]):
        self.operation = operation
        self.unmet: tuple[Unmet, ...] = tuple(unmet)
        super().__init__(self.describe())

    @property
    def rules(self) -> list[str]:
        return [u.rule for u in self.unmet]

    def describe(self) -> str:
        lines = [f"{self.operation} refused:"]
        lines += [f"  - {u}" for u in self.unmet]
        return "\n".join(lines)


class _ChecksPassed(Exception):
    """Raised by ``Tx.ensure`` in check mode to stop before anything changes."""


class _LostConnection(Exception):
    """The database connection died before the commit (a restarted server, an idle
    connection dropped by the network): the server rolled the transaction back, so nothing was
    done and the operation is simply tried again on a fresh connection. Checked here instead of
    pinging every pooled connection before use, which cost every operation a round trip."""


class _CallerChanged(Exception):
    """The caller, as this console last read it, is no longer so in the database (disabled,
    given another role): the operation is tried again with the caller read afresh."""


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role


@dataclass
class Tx:
    """What an operation body works with. One ``Tx`` is one transaction.

    ``conn`` is the transaction's connection; ``session`` (the ORM's) is made on first use,
    bound to it, so an operation that asks only prepared questions (a booking) pays nothing
    for the ORM's unit of work. What the body states: its rules (``unmet``), what its event
    is about and records, and the writes it ends with (``last``, :meth:`write_last`). How the
    transaction ends is the core's business (``portops.ops.ending``)."""

    conn: Connection
    actor: Actor
    clock: Clock
    operation: str
    #: Only judged (``Core.check``, "why not?"): ``ensure()`` stops once the rules hold.
    checking: bool = False
    unmet: list[Unmet] = field(default_factory=list)
    subject_kind: str = ""
    subject_id: int | None = None
    subject_ref: str = ""
    dcsa: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    #: The writes the operation ends with (:meth:`write_last`).
    last: LastWrites | None = None
    #: The ORM session: a batch's own (``Core.run_all``), else made on first use.
    orm: Session | None = None

    @property
    def session(self) -> Session:
        """The ORM session in this transaction (made on first use). It never commits or
        rolls back: the core does, on ``conn``."""
        if self.orm is None:
            self.orm = Session(bind=self.conn, expire_on_commit=False,
                               join_transaction_mode="rollback_only")
        return self.orm

    def flushed(self) -> Connection:
        """``conn``, with what the ORM session holds unwritten (if any) written first."""
        if self.orm is not None:
            flush_pending(self.orm)
        return self.conn

    # -- rules ---------------------------------------------------------------------------
    def rule(self, ok: Any, rule: str, message: str, remedy: str, *, where: str = "",
             **params: Any) -> bool:
        """State a precondition. Returns whether it holds; an unmet one is collected.

        ``message`` and ``remedy`` are English, marked ``N_(...)`` so they are translated;
        values go in ``params`` and are named in the texts as ``{placeholders}`` (never
        an f-string: the translated template is filled in at display). ``where`` names the
        place in an imported file the rule is about (``FILE:LINE``).
        """
        if not ok:
            self.unmet.append(Unmet.of(rule, message, remedy, where, **params))
        return bool(ok)

    def fail(self, rule: str, message: str, remedy: str, *, where: str = "",
             **params: Any) -> NoReturn:
        """A precondition without which no other rule can even be judged (a missing record)."""
        self.unmet.append(Unmet.of(rule, message, remedy, where, **params))
        raise Refused(self.operation, self._for_reader(self._in_terminal_time(self.unmet)))

    def _for_reader(self, unmet: list[Unmet]) -> list[Unmet]:
        """A customer's refusal with the customer's remedies (:data:`CUSTOMER_REMEDIES`);
        staff's as stated."""
        if not self.actor.role.is_customer or not any(u.rule in CUSTOMER_REMEDIES
                                                      for u in unmet):
            return unmet
        out = []
        for u in unmet:
            remedy = CUSTOMER_REMEDIES.get(u.rule)
            if remedy is not None:
                u = replace(u, remedy=remedy.format(**u.params),
                            templates=(u.templates[0], remedy) if u.templates else None)
            out.append(u)
        return out

    def _in_terminal_time(self, unmet: list[Unmet]) -> list[Unmet]:
        """The refusal's times as the terminal's clock shows them (stored and judged in UTC).

        A clerk reads "the slot 2026-12-07 14:00 is full" in the terminal's own time; the
        rules state UTC values, and only a refusal (rare, off the hot path) reads the zone.
        """
        def utc(v: Any) -> bool:
            return isinstance(v, datetime) and v.tzinfo is not None and not v.utcoffset()

        if not any(u.templates and any(utc(v) for v in u.params.values()) for u in unmet):
            return unmet
        from zoneinfo import ZoneInfo

        from portops.model import Terminal

        ask = select(Terminal.timezone).limit(1)
        try:
            name = self.session.execute(ask).scalar()
        except DBAPIError:  # the transaction was ended by the error being explained
            with self.conn.engine.connect() as other:
                name = other.execute(ask).scalar()
        if not name or name == "UTC":
            return unmet
        zone = ZoneInfo(name)
        out = []
        for u in unmet:
            if u.templates and any(utc(v) for v in u.params.values()):
                params = {k: v.astimezone(zone) if utc(v) else v for k, v in u.params.items()}
                message, remedy = u.templates
                u = replace(u, message=message.format(**params),
                            remedy=remedy.format(**params), params=params)
            out.append(u)
        unmet[:] = out
        return unmet

    def add(self, *unmet: Unmet) -> None:
        """Collect rules already judged elsewhere (a shared check), keeping their templates."""
        self.unmet.extend(unmet)

    def ensure(self) -> None:
        """Every rule is stated: refuse if any is unmet; in check mode, stop here."""
        if self.unmet:
            raise Refused(self.operation, self._for_reader(self._in_terminal_time(self.unmet)))
        if self.checking:
            raise _ChecksPassed

    # -- data ----------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now()

    @property
    def locks_rows(self) -> bool:
        """Does this database take row locks (else a write transaction holds them all)?"""
        return locks_rows(self.conn)

    def get(self, model: type[R], ident: Any, *, what: str | None = None,
            for_update: bool = False) -> R:
        """Load a row by primary key or refuse with ``<what>.not_found``."""
        lock = for_update and self.locks_rows
        # populate_existing: a row read earlier in this transaction is re-read once locked, so
        # the operation judges what another console committed while it waited for the lock.
        row = self.session.get(model, ident, with_for_update=lock or None,
                               populate_existing=lock)
        if row is None:
            name = what or model.__name__.lower()
            self.fail(f"{name}.not_found", N_("there is no {what} {ident!r}"),
                      N_("check the {what} and try again"), what=Term(name), ident=ident)
        return row

    def lock(self, *key: Any) -> None:
        """Serialise every transaction that locks the same ``key`` until this one ends.

        For races about something that has no row yet to lock with ``for_update`` (the first
        grant of a permission on a B/L, the last place in an appointment slot counted by
        rows): on PostgreSQL a transaction-scoped advisory lock on a hash of the key; on SQLite
        nothing, as the write transaction already holds the database's single write lock.
        """
        advisory_lock(self.flushed(), "\x1f".join(str(jsonable(k)) for k in key))

    def write_last(self, *writes: Write,
                   unless: ConstraintMeans | tuple[ConstraintMeans, ...] = ()) -> None:
        """End the operation with ``writes``, in order, after everything else it does (so a
        hot row they lock, a slot's count, is locked as briefly as can be). ``unless``: the constraint a race for them is settled by and the rule its
        failure means (one, or several: a booking races for the slot's room and the box's
        place); the operation is then refused by that rule and nothing is written."""
        self.last = LastWrites(tuple(writes),
                               unless if isinstance(unless, tuple) else (unless,))

    def about(self, kind: str, ident: int | None, ref: str = "") -> None:
        """Name what the event is about (kind, id, and the key a person would search by).
        A key longer than the event's column (``event.subject_ref``, 64 characters; PostgreSQL
        refuses more) keeps its end after an ellipsis: an importer's file path ends in the
        file's name (the whole path stays in the event's data)."""
        if len(ref) > 64:
            ref = "…" + ref[-63:]
        self.subject_kind, self.subject_id, self.subject_ref = kind, ident, ref

    def record(self, **data: Any) -> None:
        """Add values to the operation's event."""
        self.data.update({k: jsonable(v) for k, v in data.items()})


@dataclass(frozen=True)
class Step:
    """One operation of a :meth:`Core.run_all` batch, and where its input came from."""

    op: Operation
    kwargs: dict[str, Any]
    where: str = ""


@dataclass(frozen=True)
class Operation:
    """A named operation: its body and the roles that may call it (admin always may)."""

    name: str
    roles: frozenset[Role]
    body: Callable[..., Any]
    summary: str
    #: The arguments copied into the event (``None``: all). Bulk operations name only the
    #: small ones and record counts, so a 20,000-box import does not copy itself into the log.
    log_args: frozenset[str] | None = None
    #: Its transaction may begin at its first write or lock, not at its first read, if its
    #: ending can (PostgreSQL's fast path, ``portops.ops.fastpath_pg``). For an operation that
    #: reads without locks and writes once, last (``Tx.write_last``): it then reads and
    #: writes in two round trips, its writes and event one statement, atomic by itself.
    #: Under READ COMMITTED a read sees the same outside a transaction as in one that has not
    #: written yet.
    late_begin: bool = False

    def permits(self, role: Role) -> bool:
        return role == Role.ADMIN or role in self.roles

    @property
    def action(self) -> str:
        """What the operation does, as a refusal names it ("book a truck appointment ...")."""
        return action_text(self.summary)


OPERATIONS: dict[str, Operation] = {}


def operation(name: str, *roles: Role, log_args: Iterable[str] | None = None,
              late_begin: bool = False) -> Callable[[Callable[..., R]], Operation]:
    """Declare an operation called ``name`` that ``roles`` (and admin) may perform.

    ``log_args`` limits which arguments the event copies (default: all of them);
    ``late_begin``: see ``Operation.late_begin``.
    """

    def wrap(fn: Callable[..., R]) -> Operation:
        if name in OPERATIONS:
            raise ValueError(f"operation {name!r} declared twice")
        summary = (fn.__doc__ or name).strip().splitlines()[0]
        op = Operation(name, frozenset(roles), fn, summary,
                       None if log_args is None else frozenset(log_args), late_begin)
        OPERATIONS[name] = op
        return op

    return wrap


def jsonable(value: Any) -> Any:
    """Turn a value into something JSON can hold, for event data."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return str(value)


#: Arguments never copied into an event as given (the event says only whether one was given).
SECRET_ARGS = frozenset({"password", "new_password", "old_password"})


def _redact(name: str, value: Any) -> Any:
    if name in SECRET_ARGS:
        return "***" if value else None
    return jsonable(value)


_RETRYABLE_PG = {"40001", "40P01"}  # serialization failure, deadlock detected

#: Built once: every operation asks for its caller.
_ACTOR = Prepared(select(User.name, User.role, User.active).where(
    User.name == bindparam("name")))
class Core:
    """Runs operations against one database with one clock. Cheap to create; thread-safe."""

    def __init__(self, engine: Engine, clock: Clock | None = None, *, retries: int = 5):
        self.engine = engine
        self.clock = clock or SystemClock()
        self.retries = retries
        #: The callers as last read here (name -> Actor); each event re-checks its caller.
        self._callers: dict[str, Actor] = {}
        #: Where the operations come from (the OS account, host and face: CLI, console, web;
        #: ``portops.identity``), copied into each event's data as ``via``.
        self.via: dict[str, Any] | None = current_via()
        #: How its operations' transactions end (``portops.ops.ending``): the engine's.
        self.ending: Ending = ending_for(engine)

    # -- public --------------------------------------------------------------------------
    def run(self, user: str, op: Operation, /, **kwargs: Any) -> Any:
        """Perform ``op`` as ``user``. Returns the body's (plain) result or raises Refused."""
        return self._retrying(op.name, user,
                              lambda: self._execute(user, op, kwargs, checking=False))

    def run_all(self, user: str, steps: Sequence[Step], *, dry_run: bool = False) -> list[Any]:
        """Perform several operations in ONE transaction, each with its own event: all or none.

        ``portops import a.yaml b.yaml`` is one such call: the second file is judged against
        the database as the first leaves it, and if any step is refused nothing is written.
        Every step is tried, so the refusal lists the unmet rules of every step (each unmet
        rule's ``where`` defaults to its step's ``where``). ``dry_run`` does it all and rolls
        back: the answer to "would this import go through?".
        """
        name = steps[0].op.name if len(steps) == 1 else "batch"
        return self._retrying(name, user, lambda: self._execute_all(user, steps, dry_run))

    def check(self, user: str, op: Operation, /, **kwargs: Any) -> list[Unmet]:
        """Every rule that would refuse ``op`` now; empty if it would go ahead. Changes nothing."""
        try:
            self._execute(user, op, kwargs, checking=True)
        except Refused as refusal:
            return list(refusal.unmet)
        return []

    # -- machinery -----------------------------------------------------------------------
    def _retrying(self, name: str, user: str, attempt_once: Callable[[], Any]) -> Any:
        for attempt in range(self.retries + 1):
            try:
                return attempt_once()
            except _CallerChanged:
                continue  # the caller is read afresh for the next attempt
            except DatabaseBusy as busy:
                raise Refused(name, [Unmet.of(
                    "db.busy", N_("another console has held the database for over {seconds:g} s"),
                    N_("try again; if it keeps happening, close the console that is stuck"),
                    seconds=busy.seconds)]) from busy
            except _LostConnection as lost:
                # other pooled connections are likely dead too (a restarted server)
                self.engine.dispose(close=False)
                if attempt == self.retries:
                    assert lost.__cause__ is not None  # raised from the database's error
                    raise lost.__cause__ from None
            except DBAPIError as exc:
                code = getattr(getattr(exc, "orig", None), "sqlstate", None)
                if code in _RETRYABLE_PG and attempt < self.retries:
                    time.sleep(0.005 * (2**attempt))
                    continue
                if isinstance(exc, IntegrityError):
                    raise Refused(name, [Unmet.of(
                        "db.conflict",
                        N_("another console made a conflicting change at the same moment"
                           "{constraint}"), N_("refresh and try again"),
                        constraint=constraint_named(exc))]) from exc
                raise
        raise AssertionError("unreachable")

    def _execute(self, user: str, op: Operation, kwargs: dict[str, Any], *, checking: bool) -> Any:
        load_all()  # a flush may follow foreign keys to tables nobody imported yet
        bind = reader(self.engine) if checking else self.engine
        with write_turn(bind, checking), bind.connect() as conn:
            self.ending.open(conn, late=op.late_begin and not checking)
            with conn.begin() as outer:
                return self._run_in(conn, outer, user, op, kwargs, checking)

    def _run_in(self, conn: Connection, outer: Any, user: str, op: Operation,
                kwargs: dict[str, Any], checking: bool) -> Any:
        """Perform ``op`` in ``outer``, ``conn``'s transaction, and end it."""
        try:
            return self._step(conn, None, user, op, kwargs, checking, commit=True)
        except DBAPIError as exc:
            if exc.connection_invalidated:  # before the commit: nothing happened
                raise _LostConnection from exc
            raise
        except (_ChecksPassed, Refused) as exc:
            outer.rollback()
            if isinstance(exc, Refused):
                raise
            return None

    def _execute_all(self, user: str, steps: Sequence[Step], dry_run: bool) -> list[Any]:
        results: list[Any] = []
        unmet: list[Unmet] = []
        load_all()
        with (write_turn(self.engine), Session(self.engine, expire_on_commit=False) as session,
              session.begin()):
            for step in steps:
                savepoint = session.begin_nested()
                try:
                    results.append(self._step(session.connection(), session, user, step.op,
                                              step.kwargs, False, commit=False))
                    savepoint.commit()
                except Refused as refusal:
                    savepoint.rollback()
                    results.append(None)
                    unmet += [u if u.where else replace(u, where=step.where)
                              for u in refusal.unmet]
            if unmet or dry_run:
                session.rollback()
            if unmet:
                raise Refused(steps[0].op.name if len(steps) == 1 else "batch", unmet)
        return results

    def _step(self, conn: Connection, session: Session | None, user: str, op: Operation,
              kwargs: dict[str, Any], checking: bool, commit: bool) -> Any:
        """Judge and (unless checking) perform one operation in ``conn``'s transaction, with
        ``session`` as its ORM session (made on first use if None, and closed after).
        ``commit``: the operation is the transaction's only one, so its ending may commit
        with its last writes (``Ending.end``)."""
        kept = not checking and user in self._callers
        actor = self._caller(conn, user, op, afresh=checking)
        tx = Tx(conn, actor, self.clock, op.name, checking=checking, orm=session)
        try:
            return self._perform(tx, user, op, kwargs, alone=commit)
        except Refused:
            # Judged with the caller as last read: is it still so? If not, the operation is
            # tried again, so the refusal says the user is disabled (or judges the new role)
            # rather than what the old role lacked. Asked in this transaction, before it is
            # rolled back (one that a failed statement ended cannot ask: the refusal stands).
            if kept and self._caller_changed(conn, user):
                raise _CallerChanged from None
            raise
        finally:
            if session is None and tx.orm is not None:
                tx.orm.close()

    def _perform(self, tx: Tx, user: str, op: Operation, kwargs: dict[str, Any], *,
                 alone: bool) -> Any:
        actor, checking = tx.actor, tx.checking
        if not op.permits(actor.role):
            allowed = Terms(sorted(r.label for r in op.roles) or [Role.ADMIN.label])
            tx.rule(False, "role.not_permitted", N_("a {role} may not {action}"),
                    N_("ask a {allowed} to do it"), role=Term(actor.role.label),
                    action=Term(op.action), allowed=allowed)
        result = op.body(tx, **kwargs)
        tx.ensure()  # a body without rules, or one that forgot, still gets judged
        if checking:
            raise _ChecksPassed
        data = {k: _redact(k, v) for k, v in kwargs.items()
                if op.log_args is None or k in op.log_args}
        data.update(tx.data)
        if self.via:
            data["via"] = self.via
        event = dict(at=self.clock.now(), user=actor.name, role=actor.role.value,
                     operation=op.name, subject_kind=tx.subject_kind, subject_id=tx.subject_id,
                     subject_ref=tx.subject_ref, dcsa=tx.dcsa, data=data)
        try:
            self.ending.end(tx, event, alone=alone)
        except IntegrityError as exc:
            if caller_gone(exc):  # disabled or given another role since last read here
                self._callers.pop(user, None)
                raise _CallerChanged from None
            means = tx.last.means(exc) if tx.last is not None else None
            if means is None:
                raise
            means.refuse()  # states the rule and refuses; the transaction is undone
            raise  # ``refuse`` must refuse; if it did not, the database's error stands
        return result

    def _caller(self, conn: Connection, user: str, op: Operation, afresh: bool) -> Actor:
        """The caller as last read (the event re-checks it), or read now: always for a check,
        which writes no event, and the first time."""
        known = None if afresh else self._callers.get(user)
        if known is not None:
            return known
        row = _ACTOR(conn, {"name": user}).first()
        if row is None or not row.active:
            self._callers.pop(user, None)
            raise Refused(op.name, [Unmet.of(
                "user.unknown" if row is None else "user.disabled",
                N_("user {user!r} is not known") if row is None
                else N_("user {user!r} is disabled"),
                N_("sign in as an active user (portops user add NAME --role ROLE)"), user=user)])
        actor = self._callers[user] = Actor(row.name, Role(row.role))
        return actor

    def _caller_changed(self, conn: Connection, user: str) -> bool:
        """Is the caller no longer as last read here (disabled, another role, gone)?"""
        known = self._callers.get(user)
        if known is None:
            return False
        try:
            row = _ACTOR(conn, {"name": user}).first()
        except DBAPIError:  # the transaction cannot ask any more (a failed statement)
            return False  # the refusal stands as judged
        if row is not None and row.active and Role(row.role) == known.role:
            return False
        self._callers.pop(user, None)
        return True
