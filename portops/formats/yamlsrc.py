"""Line-aware YAML: every value read from a file can say which line it came from.

Importers read a file with :func:`load_file` (or :func:`load_documents`) and get plain data —
``Map`` (a ``dict``), ``Seq`` (a ``list``) and ordinary scalars — whose containers remember
the line of each key and item. Anything wrong is reported as a :class:`SourceError`,
``FILE:LINE: what is wrong and how to fix it``; many at once as :class:`SourceErrors`.
Nothing the file contains can make the loader raise anything else.

Scalars follow the YAML 1.2 core schema, not PyYAML's YAML 1.1 default: ``NO`` (Norway) stays
a string, ``08:00`` stays ``"08:00"`` rather than 480 minutes, and dates stay text so the
importer parses them with the terminal's time zone. Tags (``!!python/...``, ``!!binary``) are
refused; duplicate keys are refused with both lines named.

:class:`Fields` reads one mapping's keys with parsers (``portops.formats.fields``), collecting
every problem instead of stopping at the first, and flags keys it does not know (a typo such
as ``depht_m``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from portops.i18n import N_, Said, Translate, localized_value

T = TypeVar("T")

#: Files larger than this are refused before parsing (a schedule is a few hundred KB).
MAX_BYTES = 20 * 1024 * 1024


class SourceError(Exception):
    """One problem in one file: where it is and a sentence saying what to do about it."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.message = str(path), line, message
        super().__init__(path, line, message)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    @classmethod
    def at(cls, where: str, message: str) -> SourceError:
        """An error at a ``FILE:LINE`` place kept from an earlier read (see ``Map.where``)."""
        path, _, line = where.rpartition(":")
        if not line.isdigit():
            return cls(where, None, message)
        return cls(path, int(line), message)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def localized(self, translate: Translate) -> str:
        """``FILE:LINE: message`` with the message in ``translate``'s language."""
        return f"{self.where}: {localized_value(self.message, translate)}"


class SourceErrors(Exception):
    """Several problems found while reading; ``str()`` gives one line per problem."""

    def __init__(self, errors: Iterable[SourceError]):
        errors = list(errors)
        order = {p: i for i, p in reversed(list(enumerate(e.path for e in errors)))}
        #: Files in the order given, each file's problems by line.
        self.errors: list[SourceError] = sorted(
            errors, key=lambda e: (order[e.path], e.line or 0))
        super().__init__("\n".join(str(e) for e in self.errors))

    def localized(self, translate: Translate) -> str:
        """One line per problem, each in ``translate``'s language."""
        return "\n".join(e.localized(translate) for e in self.errors)

    @staticmethod
    def of(exc: SourceError | SourceErrors) -> list[SourceError]:
        return list(exc.errors) if isinstance(exc, SourceErrors) else [exc]


class Map(dict):
    """A YAML mapping: a ``dict`` that knows its file, its line and the line of each key."""

    path: str = "<memory>"
    line: int | None = None

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int | None:
        """The line of ``key`` in the file; the mapping's own line for a missing key."""
        return self.lines.get(key, self.line)

    @property
    def where(self) -> str:
        """``FILE:LINE`` of the mapping, to keep with what was read from it."""
        return f"{self.path}:{self.line}"

    def where_of(self, key: Any) -> str:
        return f"{self.path}:{self.line_of(key)}"

    def error(self, key: Any, message: str) -> SourceError:
        return SourceError(self.path, self.line_of(key), message)


class Seq(list):
    """A YAML sequence: a ``list`` that knows its file, its line and the line of each item."""

    path: str = "<memory>"
    line: int | None = None

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.lines: list[int] = []

    def line_of(self, index: int) -> int | None:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line

    def error(self, index: int, message: str) -> SourceError:
        return SourceError(self.path, self.line_of(index), message)


# -- loading -------------------------------------------------------------------------------
class _Loader(yaml.SafeLoader):
    """SafeLoader's reader, scanner, parser and composer with YAML 1.2 core-schema tags."""


_Loader.yaml_implicit_resolvers = {}
_CORE = [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
]
for _tag, _pattern, _first in _CORE:
    _Loader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))
_Loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^$"), [None])

_STR, _NULL, _BOOL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def read_text(path: str | Path) -> str:
    """The file's text, or a SourceError saying why it cannot be read."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SourceError(name, None, Said(N_("no such file; check the path"))) from None
    except IsADirectoryError:
        raise SourceError(name, None, Said(N_("is a directory; name the files in it"))) from None
    except OSError as exc:
        raise SourceError(name, None, Said(N_("cannot be read ({strerror})"),
                                           strerror=exc.strerror)) from None
    if len(data) > MAX_BYTES:
        raise SourceError(name, None, Said(N_("is larger than {MAX_BYTES} MB; split it"),
                                           MAX_BYTES=MAX_BYTES // 2**20))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(name, line,
                          Said(N_("is not UTF-8 text; save the file as UTF-8"))) from None
    return text


def load_file(path: str | Path) -> Any:
    """Load a file holding exactly one YAML document."""
    docs = load_documents(read_text(path), str(path))
    if len(docs) != 1:
        raise SourceError(str(path), None if not docs else 1,
                          Said(N_("is empty; it needs one YAML document")) if not docs else
                          Said(N_("holds {docs} YAML documents (---); keep one per file"),
                               docs=len(docs)))
    return docs[0]


def load_documents(text: str, path: str = "<memory>") -> list[Any]:
    """Every document in ``text`` as line-aware plain data."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, path) from None
    except yaml.YAMLError as exc:  # ReaderError: a control character in the text
        line = getattr(exc, "position", None)
        where = text[:line].count("\n") + 1 if isinstance(line, int) else None
        raise SourceError(path, where, Said(N_("contains a character YAML does not allow (a "
                                               "control character); remove it"))) from None
    except RecursionError:
        raise SourceError(path, None,
                          Said(N_("is nested too deeply to be a portops file"))) from None
    out = []
    for node in nodes:
        if node is None:
            continue
        try:
            out.append(_Builder(path).build(node))
        except RecursionError:
            raise SourceError(path, _line(node), Said(N_("is nested too deeply"))) from None
    return out


def _line(node: Node) -> int:
    return node.start_mark.line + 1


#: What PyYAML says of the syntax errors people make most, marked to be translated: a text
#: as it is, or a pattern whose groups are the values {first} and {second} (an alias, a
#: character, a token).
_PYYAML_PROBLEMS = (
    (r"mapping values are not allowed here", N_("mapping values are not allowed here")),
    (r"found character '\\t' that cannot start any token",
     N_("found character '\\t' that cannot start any token")),
    (r"could not find expected ':'", N_("could not find expected ':'")),
    (r"cannot be parsed", N_("cannot be parsed")),
    (r"second occurrence", N_("second occurrence")),
    (r"found unexpected end of stream", N_("found unexpected end of stream")),
    (r"found undefined alias (.+)", N_("found undefined alias {first}")),
    (r"found unknown escape character (.+)", N_("found unknown escape character {first}")),
    (r"expected the node content, but found (.+)",
     N_("expected the node content, but found {first}")),
    (r"expected <block end>, but found (.+)", N_("expected <block end>, but found {first}")),
    (r"expected alphabetic or numeric character, but found (.+)",
     N_("expected alphabetic or numeric character, but found {first}")),
    (r"expected chomping or indentation indicators, but found (.+)",
     N_("expected chomping or indentation indicators, but found {first}")),
    (r"expected indentation indicator in the range 1-9, but found (.+)",
     N_("expected indentation indicator in the range 1-9, but found {first}")),
    (r"sequence entries are not allowed here", N_("sequence entries are not allowed here")),
    (r"expected (.+), but found (.+)", N_("expected {first}, but found {second}")),
    (r"expected (.+), but got (.+)", N_("expected {first}, but got {second}")),
    (r"found character (.+) that cannot start any token",
     N_("found character {first} that cannot start any token")),
)


def _pyyaml_said(problem: str) -> str:
    for pattern, template in _PYYAML_PROBLEMS:
        found = re.fullmatch(pattern, problem)
        if found:
            groups = found.groups()
            return Said(template, **dict(zip(("first", "second"), groups, strict=False)))
    return problem


def _syntax_error(exc: yaml.MarkedYAMLError, path: str) -> SourceError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "cannot be parsed"
    problem = _pyyaml_said(problem)  # PyYAML's own words, the ones people meet most
    hint = N_("check the indentation and quoting on this line and the one above")
    if "mapping values are not allowed" in problem:
        hint = N_("put text that contains ': ' in quotes, or fix the indentation")
    elif "found character '\\t'" in problem or "\\t" in problem:
        hint = N_("indent with spaces, not tabs")
    elif "could not find expected ':'" in problem:
        hint = N_("every key needs a ':' after it")
    elif "found undefined alias" in problem:
        hint = N_("define the anchor (&name) before using *name")
    elif "found duplicate anchor" in problem:
        hint = N_("give each anchor (&name) its own name")
    return SourceError(path, mark.line + 1 if mark else None,
                       Said(N_("YAML syntax error: {problem}; {hint}"),
                            problem=problem, hint=Said(hint)))


class _Builder:
    """Turns composed nodes into Map/Seq/scalars, remembering lines; aliases are shared."""

    def __init__(self, path: str):
        self.path = path
        self.done: dict[int, Any] = {}
        self.open: set[int] = set()

    def build(self, node: Node) -> Any:
        if id(node) in self.done:
            if id(node) in self.open:
                raise SourceError(self.path, _line(node),
                                  Said(N_("an alias (*name) refers to the list or mapping it is "
                                          "in; remove the loop")))
            return self.done[id(node)]
        if isinstance(node, SequenceNode | MappingNode):
            self.open.add(id(node))
            try:
                return self.container(node)
            finally:
                self.open.discard(id(node))
        return self.scalar(node)

    def container(self, node: Node) -> Any:
        if isinstance(node, SequenceNode):
            self.tag_ok(node, _SEQ)
            seq = Seq()
            seq.path, seq.line = self.path, _line(node)
            self.done[id(node)] = seq
            for item in node.value:
                seq.append(self.build(item))
                seq.lines.append(_line(item))
            return seq
        if isinstance(node, MappingNode):
            self.tag_ok(node, _MAP)
            m = Map()
            m.path, m.line = self.path, _line(node)
            self.done[id(node)] = m
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise SourceError(self.path, _line(key_node),
                                      Said(N_("a key must be plain text, not a list or mapping")))
                key = self.scalar(key_node)
                if isinstance(key, float) and math.isnan(key):
                    key = "nan"
                if key in m.lines:
                    raise SourceError(self.path, _line(key_node),
                                      Said(N_("key {key!r} appears twice (first on line "
                                              "{lines}); keep one"), key=key, lines=m.lines[key]))
                m[key] = self.build(value_node)
                m.lines[key] = _line(key_node)
            return m
        raise SourceError(self.path, _line(node), Said(N_("cannot be read")))  # pragma: no cover

    def tag_ok(self, node: Node, expected: str) -> None:
        if node.tag != expected:
            raise SourceError(self.path, _line(node),
                              Said(N_("YAML tag {tag!r} is not supported; remove it"),
                                   tag=node.tag))

    def scalar(self, node: ScalarNode) -> Any:
        tag, value = node.tag, node.value
        try:
            if tag == _STR:
                return value
            if tag == _NULL:
                return None
            if tag == _BOOL:
                return value.lower() == "true"
            if tag == _INT:
                if value.startswith("0o"):
                    return int(value[2:], 8)
                if value.startswith("0x"):
                    return int(value[2:], 16)
                return int(value)
            if tag == _FLOAT:
                low = value.lower()
                if low.endswith(".inf"):
                    return -math.inf if low.startswith("-") else math.inf
                if low == ".nan":
                    return math.nan
                return float(value)
        except ValueError:
            raise SourceError(self.path, _line(node), Said(N_("{value!r} is not a number"),
                                                           value=value)) from None
        raise SourceError(self.path, _line(node),
                          Said(N_("YAML tag {tag!r} is not supported; remove it"), tag=tag))


# -- reading fields ------------------------------------------------------------------------
_MISSING = object()


class Fields:
    """Reads the keys of mappings with parsers and collects every problem it finds.

    A parser takes the raw value and returns the parsed one or raises ``ValueError`` (which
    includes :class:`portops.codes.CodeError`) with a sentence that says what is wrong and how
    to fix it; the error is recorded with the key's file and line.
    """

    def __init__(self) -> None:
        self.errors: list[SourceError] = []

    def add(self, error: SourceError | SourceErrors) -> None:
        self.errors += SourceErrors.of(error)

    def fail(self, where: Map | Seq, key: Any, message: str) -> None:
        self.errors.append(where.error(key, message))

    def get(self, m: Map, key: str, parse: Callable[[Any], T] = lambda v: v, *,
            default: Any = _MISSING) -> T:
        """``m[key]`` parsed; a missing key is an error unless a ``default`` is given.

        A missing or bad value is recorded and read as None, typed as the parsed value: the
        record it goes into is never used, because :meth:`raise_if_any` raises first (so a
        parser's callers build their specs without checking each field for None)."""
        if key not in m or (m[key] is None and default is not _MISSING):
            if default is _MISSING:
                self.fail(m, key, Said(N_("{key}: is missing; add it"), key=key))
                return cast(T, None)
            return default
        try:
            return parse(m[key])
        except (ValueError, TypeError, OverflowError, SourceError) as exc:
            self.fail(m, key, Said(N_("{key}: {problem}"), key=key, problem=reason(exc)))
            return cast(T, None)

    def known(self, m: Map, keys: Iterable[str], what: str) -> None:
        """Flag every key of ``m`` not in ``keys`` (usually a typo)."""
        allowed = list(keys)
        for key in m:
            if key not in allowed:
                near = [k for k in allowed if _similar(str(key), k)]
                hint = Said(N_("did you mean {near!r}?"), near=near[0]) if near else \
                    Said(N_("use one of: {keys}"), keys=", ".join(allowed))
                self.fail(m, key, Said(N_("{what} has no key {key!r}; {hint}"),
                                       what=what, key=key, hint=hint))

    def mapping(self, value: Any, where: Map | Seq, key: Any, what: str) -> Map | None:
        if isinstance(value, Map):
            return value
        self.fail(where, key, Said(N_("{what} must be a mapping of 'key: value' lines"),
                                   what=what))
        return None

    def items(self, m: Map, key: str, what: str, *, required: bool = True) -> Iterator[Map]:
        """The mappings listed under ``key`` (a YAML list of mappings)."""
        seq = m.get(key)
        if seq is None:
            if required:
                self.fail(m, key, Said(N_("{key}: is missing; add a list of {what}"),
                                       key=key, what=what))
            return
        if not isinstance(seq, Seq):
            self.fail(m, key, Said(N_("{key}: must be a list of {what} (lines starting with '- "
                                      "')"), key=key, what=what))
            return
        for i, item in enumerate(seq):
            if isinstance(item, Map):
                yield item
            else:
                self.fail(seq, i, Said(N_("each entry of {key} must be a mapping of 'key: "
                                          "value' lines"), key=key))

    def unique(self, keyed: Iterable[tuple[Any, str]], what: str) -> None:
        """Flag keys listed twice; ``keyed`` holds (key, ``FILE:LINE``) pairs."""
        seen: dict[Any, str] = {}
        for key, where in keyed:
            if key is None:
                continue
            if key in seen:
                self.errors.append(SourceError.at(
                    where, Said(N_("{what} {key} is listed twice (first at {seen}); keep one"),
                                what=what, key=key, seen=seen[key])))
            seen.setdefault(key, where)

    def raise_if_any(self) -> None:
        if self.errors:
            raise SourceErrors(self.errors)


def reason(exc: BaseException) -> str:
    """What a parser's exception says, kept translatable when it was raised with a
    :class:`Said` (``ValueError(Said(...))``, a :class:`SourceError`)."""
    if isinstance(exc, SourceError):
        return Said("{where}: {message}", where=exc.where, message=exc.message)
    said = getattr(exc, "said", None)
    if callable(said):
        return said()
    template, params = getattr(exc, "template", None), getattr(exc, "params", None)
    if isinstance(template, str) and isinstance(params, dict):  # portops.codes.CodeError
        return Said(template, **params)
    if len(exc.args) == 1 and isinstance(exc.args[0], Said) and str(exc) == exc.args[0]:
        return exc.args[0]
    return str(exc)


def _similar(a: str, b: str) -> bool:
    import difflib

    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.75
