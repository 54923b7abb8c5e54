"""Database work off the UI thread for the discharge views (usable inside or outside the
console's frame: they carry their own :class:`~portops.ops.Core`).

``in_thread(job, then)`` runs ``job()`` in a thread worker and hands its result to ``then`` on
the UI thread; ``operate(op, then, **kw)`` runs an operation there as the view's user and turns
a refusal into one notification listing every rule (then ``refused(refusal)``, if given).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from portops.ops import Refused
from portops.ui.errors import report


class Threaded:
    core: Any
    user: str

    def in_thread(self, job: Callable[[], Any], then: Callable[[Any], None] | None = None, *,
                  group: str = "load", exclusive: bool = True):
        app = self.app

        def run() -> Any:
            result = job()
            if then is not None:
                app.call_from_thread(then, result)
            return result

        return self.run_worker(run, thread=True, exit_on_error=False, group=group,
                               exclusive=exclusive)

    def operate(self, op, then: Callable[[Any], None], *,
                refused: Callable[[Any], None] | None = None, **kwargs: Any):
        core, user = self.core, self.user

        def job() -> tuple[bool, Any]:
            try:
                return True, core.run(user, op, **kwargs)
            except Refused as exc:
                return False, exc

        def done(result: tuple[bool, Any]) -> None:
            ok, out = result
            if ok:
                then(out)
            else:  # the console's one wording of a refusal: every rule, sentence, remedy
                r = report(out)
                self.notify(r.message, title=r.title, severity="error", timeout=10)
                if refused is not None:  # e.g. put the cursor back where the clerk retypes
                    refused(out)

        return self.in_thread(job, done, group="operate", exclusive=False)
