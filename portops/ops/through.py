"""One operation doing another's change: who may, decided in one place.

Some operations do another operation's change inside their own transaction: ticking the
berthing checklist's last step berths the vessel (``visit.berth``), recording port entry
grants the PORT_ENTRY permission (``permission.grant``). Calling the inner operation's
``.body`` skips its role check (the core checks only the outer operation's roles), so who
may berth a vessel was then decided by the checklist file a terminal imports, not by
``visit.berth``'s declaration.

Do it with :func:`through` instead: the inner operation's role check applies to the caller
as if they had called it, and its refusal joins the outer operation's other rules. Where a
role is meant to make the inner change only by way of the outer operation (a haulier books
an appointment only through ``customer.book``, for its own boxes), :data:`THROUGH` says so,
here and nowhere else.
"""

from __future__ import annotations

from typing import Any

from portops.i18n import N_, Term, Terms
from portops.model import Role
from portops.ops.core import Operation, Tx

#: (outer operation, inner operation) -> the roles that may make the inner change through the
#: outer one besides the inner operation's own roles (and admin, who always may).
THROUGH: dict[tuple[str, str], frozenset[Role]] = {
    # a haulier books, changes and cancels its own appointments (the party fixed to its own)
    ("customer.book", "appointment.book"): frozenset({Role.HAULIER}),
    ("customer.change", "appointment.change"): frozenset({Role.HAULIER}),
    ("customer.cancel", "appointment.cancel"): frozenset({Role.HAULIER}),
    # the holder of the right to collect a box hands it on (as the holder)
    ("customer.pass_on", "right.pass_on"): frozenset({Role.CONSIGNEE, Role.HAULIER}),
    # a shipper (or forwarder) books and cancels deliveries on its own export bookings
    ("customer.export_book", "export.appointment"): frozenset({Role.SHIPPER, Role.CONSIGNEE}),
    ("customer.export_cancel", "export.cancel"): frozenset({Role.SHIPPER, Role.CONSIGNEE}),
    # a haulier the shipper nominated books and cancels deliveries on the booking; revoking
    # a nomination cancels the haulier's open deliveries on it
    ("customer.haulier_export_book", "export.appointment"): frozenset({Role.HAULIER}),
    ("customer.haulier_export_cancel", "export.cancel"): frozenset({Role.HAULIER}),
    ("customer.revoke_nomination", "export.cancel"): frozenset({Role.SHIPPER, Role.CONSIGNEE}),
    # the tally clerk who declares the last of a visit's cargo work finished completes it
    # (ops.cargo_work): working -> completed, as the first box tallied starts it
    ("discharge.complete", "visit.complete_work"): frozenset({Role.TALLY_CLERK}),
    ("load.complete", "visit.complete_work"): frozenset({Role.TALLY_CLERK}),
}


def roles_through(outer: str, inner: Operation) -> frozenset[Role]:
    """Every role that may make ``inner``'s change inside ``outer`` (admin aside)."""
    return inner.roles | THROUGH.get((outer, inner.name), frozenset())


def may(role: Role, outer: str, inner: Operation) -> bool:
    """Whether ``role`` may make ``inner``'s change inside the operation named ``outer``."""
    return role == Role.ADMIN or role in roles_through(outer, inner)


def through(tx: Tx, inner: Operation, **kwargs: Any) -> Any:
    """Run ``inner``'s body in ``tx`` (the outer operation's transaction), with its role
    check: a caller who may not make that change gets ``role.not_permitted`` naming it,
    among every other rule the inner body states."""
    role = tx.actor.role
    if not may(role, tx.operation, inner):
        allowed = Terms(sorted(r.label for r in roles_through(tx.operation, inner))
                        or [Role.ADMIN.label])
        tx.rule(False, "role.not_permitted", N_("a {role} may not {action}"),
                N_("ask a {allowed} to do it"), role=Term(role.label),
                action=Term(inner.action), allowed=allowed)
    return inner.body(tx, **kwargs)
