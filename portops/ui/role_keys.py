"""A key for a step the signed-in role may not take says whose step it is.

Issue 14: such keys opened a form that the operation refused only once it was typed (a tally
clerk's roll on F12, port entry on F2). A screen asks :func:`not_permitted` before opening
the form (or in ``check_action``, to grey the key) and, when it answers an operation, calls
:func:`say_whose`: the operation's own refusal (``role.not_permitted``), in the clerk's
language, naming the roles that may.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from portops.ops import Operation


def not_permitted(app: Any, op: Operation | str | None) -> Operation | None:
    """``op`` (an operation or its name) when the signed-in user's role may not run it."""
    if isinstance(op, str):
        from portops.ops.core import OPERATIONS

        op = OPERATIONS.get(op)
    user = app.user
    return op if op is not None and user is not None and not op.permits(user.role) else None


def say_whose(app: Any, op: Operation) -> None:
    """The refusal the operation would give the signed-in role, as a notification."""
    from portops.i18n import N_, Term, Terms
    from portops.model import Role
    from portops.ops import Refused, Unmet

    allowed = Terms(sorted(r.label for r in op.roles) or [Role.ADMIN.label])
    app.report_error(Refused(op.name, [Unmet.of(
        "role.not_permitted", N_("a {role} may not {action}"), N_("ask a {allowed} to do it"),
        role=Term(app.user.role.label), action=Term(op.action), allowed=allowed)]))
