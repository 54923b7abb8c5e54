"""The parties file (``kind: parties``): shipping lines, hauliers, forwarders, consignees,
shippers and agents, registered or updated by code (``docs/formats.md``).

Parsing checks what the file says about itself (keys, kinds, lengths, a code listed twice);
:func:`portops.ops.parties.import_parties` judges each party's code and identity with the same
rules as the console's form, and names the file and line of each one it refuses.
"""

from __future__ import annotations

from portops.formats import registry
from portops.formats.fields import boolean, choice, text
from portops.formats.yamlsrc import Fields, Map
from portops.i18n import N_, Said
from portops.model import PartyKind
from portops.ops.parties import IDENTITY_MAX, NAME_MAX, SCHEMES, PartySpec, import_parties

_TOP = ["kind", "version", "parties"]
_PARTY = ["code", "name", "kind", "identity", "scheme", "active"]


def parse_parties(doc: Map, path: str) -> dict:
    """Read a parties document into :class:`PartySpec` entries (every problem at once)."""
    f = Fields()
    f.known(doc, _TOP, Said(N_("a parties file")))
    f.get(doc, "version", choice(1), default=1)
    specs = []
    for p in f.items(doc, "parties", Said(N_("parties"))):
        f.known(p, _PARTY, Said(N_("a party")))
        code = f.get(p, "code", text(16))
        specs.append(PartySpec(
            where=p.where, code=(code or "").upper(), name=f.get(p, "name", text(NAME_MAX)) or "",
            kind=f.get(p, "kind", choice(*(k.value for k in PartyKind))) or "",
            identity=f.get(p, "identity", text(IDENTITY_MAX, empty=True), default=""),
            scheme=f.get(p, "scheme", choice(*SCHEMES), default=""),
            active=f.get(p, "active", boolean, default=True)))
    f.unique([(s.code or None, s.where) for s in specs], Said(N_("party")))
    f.raise_if_any()
    return {"source": path, "parties": specs}


registry.register_yaml("parties", parse_parties, import_parties,
                       summary=N_("parties: shipping lines, hauliers, forwarders, consignees, "
                               "shippers, agents"))
