"""Parties outside the terminal: shipping lines, consignees, forwarders, hauliers, shippers,
agents. Registered, edited and deactivated by the dispatcher (or an admin), one by one from the
console or the CLI, or many at once from a ``kind: parties`` YAML file.

A line's code is its SCAC (four letters: the code its releases and box operators name). The
others' legal identity is checked where its scheme is known: an EU EORI (country + up to 15
letters and digits) or a Chinese USCI (统一社会信用代码, 18 characters ending in a check
character, GB 32100-2015); anything else is kept as typed. A party is never deleted: rights to
collect and hand-overs refer to it; a deactivated one is refused as a release's holder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import select

from portops.i18n import N_
from portops.model import Party, PartyKind, Role
from portops.model.base import pk
from portops.ops.core import Term, Tx, operation
from portops.ops.report import ImportReport

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,15}$")
_SCAC = re.compile(r"^[A-Z]{4}$")
_EORI = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,15}$")
#: USCI characters: digits and the capitals without I, O, Z, S, V.
USCI_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCI_SHAPE = re.compile(rf"^[{USCI_CHARS}]{{2}}\d{{6}}[{USCI_CHARS}]{{10}}$")
_USCI_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
SCHEMES = ("eori", "usci", "other")
#: The kinds as words to translate (a refusal names a kind with ``Term``).
KIND_WORDS = (N_("line"), N_("consignee"), N_("forwarder"), N_("haulier"), N_("shipper"),
              N_("agent"))
NAME_MAX, IDENTITY_MAX = 128, 32


def usci_check_char(first17: str) -> str:
    """The 18th character of a USCI whose first 17 are ``first17`` (GB 32100-2015)."""
    total = sum(USCI_CHARS.index(c) * w for c, w in zip(first17, _USCI_WEIGHTS, strict=True))
    return USCI_CHARS[(31 - total % 31) % 31]


def scheme_of(identity: str) -> str:
    """The identity scheme an identity looks like: ``usci`` (18 characters with the USCI's
    shape), ``eori`` (two letters then letters and digits), or ``other``."""
    if _USCI_SHAPE.match(identity):
        return "usci"
    if _EORI.match(identity) and not identity.isalpha():
        return "eori"
    return "other"


def _norm(value: str | None) -> str:
    return (value or "").strip()


def _judge_identity(tx: Tx, identity: str, scheme: str, where: str) -> str:
    """State the identity's rules; return the scheme it is kept under."""
    scheme = scheme.strip().lower() or (scheme_of(identity) if identity else "other")
    tx.rule(scheme in SCHEMES, "party.scheme", N_("{scheme!r} is not an identity scheme"),
            N_("use one of: {choices}"), where=where, scheme=scheme, choices=", ".join(SCHEMES))
    tx.rule(len(identity) <= IDENTITY_MAX, "party.identity.long",
            N_("the identity is longer than {n} characters"), N_("shorten it"), where=where,
            n=IDENTITY_MAX)
    if scheme == "eori":
        tx.rule(bool(_EORI.match(identity)), "party.identity.eori",
                N_("{identity!r} is not an EORI number"),
                N_("write the country code and up to 15 letters or digits, e.g. DE123456789012"),
                where=where, identity=identity)
    elif scheme == "usci":
        shaped = bool(_USCI_SHAPE.match(identity))
        tx.rule(shaped, "party.identity.usci",
                N_("{identity!r} is not a unified social credit code (18 characters)"),
                N_("copy the 18 characters from the business licence"),
                where=where, identity=identity)
        if shaped:
            expected = usci_check_char(identity[:17])
            tx.rule(identity[17] == expected, "party.identity.usci_check",
                    N_("{identity} has the wrong check character (the last must be {expected})"),
                    N_("check the code against the business licence"), where=where,
                    identity=identity, expected=expected)
    return scheme if scheme in SCHEMES else "other"


def _judge(tx: Tx, code: str, name: str, kind: str, identity: str, scheme: str,
           where: str = "") -> str:
    """State every rule of a party's fields (not its uniqueness); return the scheme."""
    tx.rule(bool(_CODE.match(code)), "party.code", N_("{code!r} is not a party code"),
            N_("use up to 16 letters and digits"), where=where, code=code)
    tx.rule(bool(name), "party.name", N_("a party needs a name"), N_("enter the company name"),
            where=where)
    tx.rule(len(name) <= NAME_MAX, "party.name.long",
            N_("the name is longer than {n} characters"), N_("shorten it"), where=where,
            n=NAME_MAX)
    known_kind = kind in {k.value for k in PartyKind}
    tx.rule(known_kind, "party.kind", N_("{kind!r} is not a party kind"),
            N_("use one of: {choices}"), where=where, kind=Term(kind),
            choices=", ".join(k.value for k in PartyKind))
    if kind == PartyKind.LINE:
        tx.rule(bool(_SCAC.match(code)), "party.line.scac",
                N_("a shipping line's code is its SCAC: four letters, not {code!r}"),
                N_("use the line's SCAC, e.g. COSU or MAEU"), where=where, code=code)
    elif known_kind:
        tx.rule(bool(identity), "party.identity",
                N_("a {kind} needs its legal identity (EORI, USCI)"),
                N_("enter the identity the party registered with"), where=where,
                kind=Term(kind))
    return _judge_identity(tx, identity, scheme, where)


def _by_code(tx: Tx, code: str, *, lock: bool = False) -> Party | None:
    q = select(Party).where(Party.code == code)
    if lock and tx.locks_rows:
        q = q.with_for_update()
    return tx.session.exec(q).first()


@operation("party.register", Role.DISPATCHER)
def register_party(tx: Tx, code: str, name: str, kind: str, identity: str = "",
                   scheme: str = "") -> int:
    """Register a line, consignee, forwarder, haulier, shipper or agent with its identity."""
    code, name, kind = _norm(code).upper(), _norm(name), _norm(kind).lower()
    identity = _norm(identity).upper()
    tx.about("party", None, code)
    scheme = _judge(tx, code, name, kind, identity, scheme)
    tx.rule(_by_code(tx, code) is None, "party.exists",
            N_("party {code} is registered already"), N_("choose another code"), code=code)
    tx.ensure()
    party = Party(code=code, name=name, kind=PartyKind(kind), identity=identity,
                  identity_scheme=scheme if identity else "")
    tx.session.add(party)
    tx.session.flush()
    tx.about("party", party.id, code)
    return pk(party)


def _existing(tx: Tx, code: str) -> Party:
    code = _norm(code).upper()
    party = _by_code(tx, code, lock=True)
    if party is None:
        tx.fail("party.not_found", N_("there is no party {code!r}"),
                N_("check the code in the parties list"), code=code)
    tx.about("party", party.id, party.code)
    return party


@operation("party.update", Role.DISPATCHER)
def update_party(tx: Tx, code: str, name: str | None = None, identity: str | None = None,
                 scheme: str = "") -> None:
    """Change a party's name or legal identity (its code and kind stay)."""
    party = _existing(tx, code)
    new_name = party.name if name is None else _norm(name)
    new_identity = party.identity if identity is None else _norm(identity).upper()
    kept = _judge(tx, party.code, new_name, party.kind, new_identity,
                  scheme or ("" if identity is not None else party.identity_scheme))
    tx.ensure()
    changed = {k: v for k, v in (("name", new_name), ("identity", new_identity))
               if getattr(party, k) != v}
    party.name, party.identity = new_name, new_identity
    party.identity_scheme = kept if new_identity else ""
    tx.record(changed=sorted(changed))


@operation("party.disable", Role.DISPATCHER)
def disable_party(tx: Tx, code: str) -> None:
    """Deactivate a party: no new release may name it (what it holds stays)."""
    party = _existing(tx, code)
    tx.rule(party.active, "party.disabled", N_("party {code} is inactive already"),
            N_("nothing to do"), code=party.code)
    tx.ensure()
    party.active = False


@operation("party.enable", Role.DISPATCHER)
def enable_party(tx: Tx, code: str) -> None:
    """Make a deactivated party active again."""
    party = _existing(tx, code)
    tx.rule(not party.active, "party.active", N_("party {code} is active already"),
            N_("nothing to do"), code=party.code)
    tx.ensure()
    party.active = True


@dataclass(frozen=True)
class PartySpec:
    """One party as a file lists it (``where`` = ``FILE:LINE``)."""

    where: str
    code: str
    name: str
    kind: str
    identity: str = ""
    scheme: str = ""
    active: bool = True


_FIELDS = ("name", "kind", "identity", "identity_scheme", "active")


@operation("party.import", Role.DISPATCHER, log_args=["source"])
def import_parties(tx: Tx, parties: list[PartySpec], source: str = "") -> ImportReport:
    """Import parties from a file: added by code, or their name, identity and state updated."""
    report = ImportReport(N_("parties"))
    tx.about("party", None, source)
    existing = {p.code: p for p in tx.session.exec(select(Party))}
    judged: list[tuple[PartySpec, dict]] = []
    for spec in parties:
        code, identity = spec.code.strip().upper(), spec.identity.strip().upper()
        scheme = _judge(tx, code, spec.name.strip(), spec.kind, identity, spec.scheme,
                        spec.where)
        row = existing.get(code)
        tx.rule(row is None or row.kind == spec.kind, "party.kind.changed",
                N_("party {code} is registered as a {kind}, the file says {new}"),
                N_("a party's kind does not change; register it under another code"),
                where=spec.where, code=code, kind=Term(row.kind if row else spec.kind),
                new=Term(spec.kind))
        judged.append((spec, {"code": code, "name": spec.name.strip(), "kind": spec.kind,
                              "identity": identity,
                              "identity_scheme": scheme if identity else "",
                              "active": spec.active}))
    tx.ensure()
    for _spec, new in judged:
        row = existing.get(new["code"])
        values = {k: new[k] for k in _FIELDS}
        report.add(N_("party"), new["code"],
                   None if row is None else {k: getattr(row, k) for k in _FIELDS}, values)
        if row is None:
            tx.session.add(Party(code=new["code"], **values))
        else:
            for k, v in values.items():
                setattr(row, k, v)
    tx.session.flush()
    tx.record(**report.event_data())
    return report
