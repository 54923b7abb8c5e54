"""What ``portops import`` can read, and the dispatcher that picks the importer for a file.

An importer is two halves: ``parse`` reads and validates one file on its own (no database;
problems raise :class:`~portops.formats.yamlsrc.SourceError` /
:class:`~portops.formats.yamlsrc.SourceErrors`), and an *operation* writes what was parsed
(rules that need the database — "berth B9 exists" — live there, with ``where=FILE:LINE``).

Register a YAML document kind (a file whose top level has ``kind: <name>``)::

    registry.register_yaml("checklists", parse_checklists, import_checklists,
                           summary="checklist definitions")

where ``parse_checklists(doc: Map, path: str)`` returns the operation's keyword arguments.
Register any other format with a content test::

    registry.register("baplie", sniff=lambda path, head: b"BAPLIE" in head,
                      parse=read_baplie_file, operation=import_bayplan, summary="bay plan")

Add the module that registers to :data:`IMPORTER_MODULES` so that the CLI finds it.

A parse function may also return ``"problems"``: what reading tolerated (a box skipped or
flagged, a warning; each with ``kind``/``where``/``what``, see
``portops.formats.edifact.problems``). They are kept on :attr:`Prepared.problems`, for the CLI
and the console to show before writing, and never passed to the operation.

:func:`prepare` parses every file first and reports every problem of every file;
:func:`apply` then runs all operations in one transaction (:meth:`Core.run_all`): a bad
file anywhere leaves the database untouched.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portops.formats.yamlsrc import Map, SourceError, SourceErrors, load_file
from portops.i18n import N_, Said
from portops.ops.core import Core, Operation, Step

#: Modules that register importers when imported (each helper adds its own line).
IMPORTER_MODULES: list[str] = [
    "portops.formats.inventory",
    "portops.formats.layout",
    "portops.formats.parties",
    "portops.formats.port_entry",
    "portops.formats.schedule",
    "portops.ops.checklists",
    "portops.ops.bayplan",
    "portops.ops.load_lists",
    "portops.ops.manifest",
    "portops.ops.releases",
    "portops.formats.export_bookings",
    "portops.ops.coarri",
    "portops.ops.vermas",
    "portops.ops.codeco",
]

#: How much of a file ``sniff`` sees.
HEAD_BYTES = 4096


@dataclass(frozen=True)
class Importer:
    name: str
    summary: str
    operation: Operation
    #: ``parse(path) -> kwargs`` for files; ``parse(doc, path) -> kwargs`` for YAML kinds.
    parse: Callable[..., dict[str, Any]]
    yaml_kind: str | None = None
    sniff: Callable[[Path, bytes], bool] | None = None
    #: ``route(kwargs) -> Operation`` where one format carries different things (a COPRAR
    #: discharge list or load list); ``None``: always :attr:`operation`.
    route: Callable[[dict[str, Any]], Operation] | None = None


@dataclass(frozen=True)
class Prepared:
    """A file read and validated, ready for its operation."""

    path: str
    importer: Importer
    kwargs: dict[str, Any]
    #: What reading tolerated (box problems and warnings: ``kind``/``where``/``what``, see
    #: ``portops.formats.edifact.problems``); fatal problems raise instead. A screen shows
    #: them before asking to write; ``portops import --strict`` refuses when there are any.
    problems: list[Any] = field(default_factory=list)

    @property
    def step(self) -> Step:
        route = self.importer.route
        op = route(self.kwargs) if route else self.importer.operation
        return Step(op, self.kwargs, where=self.path)


_BY_NAME: dict[str, Importer] = {}
_loaded = False


def register(name: str, *, sniff: Callable[[Path, bytes], bool],
             parse: Callable[[str], dict[str, Any]], operation: Operation,
             summary: str, route: Callable[[dict[str, Any]], Operation] | None = None) -> None:
    """Register a non-YAML format recognised by ``sniff(path, first_bytes)``."""
    _add(Importer(name, summary, operation, parse, sniff=sniff, route=route))


def register_yaml(kind: str, parse: Callable[[Map, str], dict[str, Any]],
                  operation: Operation, *, summary: str) -> None:
    """Register a YAML document ``kind`` (the value of its top-level ``kind:`` key)."""
    _add(Importer(kind, summary, operation, parse, yaml_kind=kind))


def _add(importer: Importer) -> None:
    if importer.name in _BY_NAME and _BY_NAME[importer.name] != importer:
        raise ValueError(f"importer {importer.name!r} registered twice")
    _BY_NAME[importer.name] = importer


def importers() -> list[Importer]:
    """Every registered importer (loading :data:`IMPORTER_MODULES` on first use)."""
    global _loaded
    if not _loaded:
        for module in IMPORTER_MODULES:
            importlib.import_module(module)
        _loaded = True
    return list(_BY_NAME.values())


def _yaml_kinds() -> dict[str, Importer]:
    return {i.yaml_kind: i for i in importers() if i.yaml_kind}


def _looks_like_yaml(head: bytes) -> bool:
    return head.lstrip().startswith((b"kind:", b"---", b"#")) or b"\nkind:" in head


def prepare_one(path: str | Path) -> Prepared:
    """Read and validate one file with the importer that recognises it."""
    name = str(path)
    p = Path(path)
    try:
        with p.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        head = b""  # load_file / the importer reports the real reason with the path
    if not p.is_file():
        load_file(p)  # raises the precise SourceError (missing, a directory, unreadable)
    is_yaml = p.suffix.lower() in (".yaml", ".yml")
    for imp in importers():
        if not is_yaml and imp.sniff is not None and imp.sniff(p, head):
            kwargs = imp.parse(name)
            return Prepared(name, imp, kwargs, list(kwargs.pop("problems", None) or []))
    if is_yaml or _looks_like_yaml(head):
        doc = load_file(p)
        kinds = _yaml_kinds()
        known = ", ".join(sorted(kinds))
        if not isinstance(doc, Map):
            raise SourceError(name, 1, Said(N_("is not a portops YAML file; it must be a "
                                               "mapping starting with 'kind:' (one of: {known})"),
                                            known=known))
        if "kind" not in doc:
            raise SourceError(name, doc.line, Said(N_("has no 'kind:' line; add one of: {known}"),
                                                   known=known))
        kind = doc["kind"]
        if not isinstance(kind, str) or kind not in kinds:
            raise doc.error("kind", Said(N_("kind {kind!r} is not one portops imports; use one "
                                            "of: {known}"), kind=kind, known=known))
        imp = kinds[kind]
        return Prepared(name, imp, imp.parse(doc, name))
    formats = ", ".join(sorted(i.name for i in importers()))
    from portops.formats.edifact.files import not_read

    if (why := not_read(head)) is not None:
        raise SourceError(name, None, Said(N_("{why} (it reads: {formats})"),
                                           why=why, formats=formats))
    raise SourceError(name, None, Said(N_("is not a format portops imports (it reads: "
                                          "{formats}); check the file"), formats=formats))


def prepare(paths: Sequence[str | Path]) -> list[Prepared]:
    """Read and validate every file; raise SourceErrors listing the problems of all of them."""
    out: list[Prepared] = []
    errors: list[SourceError] = []
    for path in paths:
        try:
            out.append(prepare_one(path))
        except (SourceError, SourceErrors) as exc:
            errors += SourceErrors.of(exc)
    if errors:
        raise SourceErrors(errors)
    return out


def apply(core: Core, user: str, prepared: Sequence[Prepared], *,
          dry_run: bool = False) -> list[Any]:
    """Run the operations of all prepared files in one transaction (Refused: none written)."""
    return core.run_all(user, [p.step for p in prepared], dry_run=dry_run)
