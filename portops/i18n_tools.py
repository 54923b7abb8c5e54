"""Keep the gettext catalogs in step with the code: extract, merge, compile.

``python -m portops.i18n_tools update``  finds every ``_("...")``, ``N_("...")``,
``ngettext("...", "...", n)`` and, with a context, ``pgettext("ctx", "...")`` and
``NC_("ctx", "...")`` in ``portops/`` and adds missing texts to each ``.po`` (empty
translation), keeping what is translated; ``python -m portops.i18n_tools compile`` writes the
``.mo`` files. Both are small on purpose (no Babel dependency); the ``.po`` format written is
the plain subset GNU gettext reads.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

from portops.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

PACKAGE = Path(__file__).parent
Entry = tuple[str, str | None]  # (msgid, msgid_plural); a context's msgid is "ctx\x04msgid"
#: Between a context and its text in a catalog's key (as in the .mo file).
CONTEXT = "\x04"


def extract(root: Path = PACKAGE) -> dict[Entry, list[str]]:
    """Every marked text under ``root`` with where it occurs (``path:line``)."""
    found: dict[Entry, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            action = _operation_action(node)
            if action:
                where = f"{path.relative_to(root.parent)}:{node.lineno}"
                found.setdefault((action, None), []).append(where)
                continue
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            args = node.args
            name = node.func.id
            if name in {"_", "N_"} and args and _is_str(args[0]):
                entry: Entry = (args[0].value, None)
            elif name == "ngettext" and len(args) >= 2 and _is_str(args[0]) and _is_str(args[1]):
                entry = (args[0].value, args[1].value)
            elif name in {"pgettext", "NC_"} and len(args) >= 2 and _is_str(args[0]) \
                    and _is_str(args[1]):
                entry = (args[0].value + CONTEXT + args[1].value, None)
            else:
                continue
            where = f"{path.relative_to(root.parent)}:{node.lineno}"
            found.setdefault(entry, []).append(where)
    return found


def _operation_action(node: ast.AST) -> str | None:
    """The phrase a refusal names an ``@operation`` by (its docstring's first line)."""
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    if not any(isinstance(d, ast.Call) and isinstance(d.func, ast.Name)
               and d.func.id == "operation" for d in node.decorator_list):
        return None
    doc = ast.get_docstring(node)
    if not doc:
        return None
    from portops.ops.core import action_text

    return action_text(doc.strip().splitlines()[0])


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


# -- .po reading and writing -----------------------------------------------------------------
def _unquote(s: str) -> str:
    return ast.literal_eval(s)


def _quote(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{out}"'


def read_po(path: Path) -> dict[Entry, list[str]]:
    """``{(msgid, plural): [translation, ...]}`` from a ``.po`` file (header included)."""
    entries: dict[Entry, list[str]] = {}
    msgid = plural = context = None
    strs: dict[int, str] = {}
    key: tuple[str, int] | None = None

    def flush() -> None:
        if msgid is not None:
            full = msgid if context is None else context + CONTEXT + msgid
            entries[(full, plural)] = [strs.get(i, "") for i in range(max(strs, default=0) + 1)]

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if line.startswith("msgctxt "):
            flush()
            msgid, context, key = None, _unquote(line[8:]), ("ctx", 0)
        elif line.startswith("msgid "):
            if key is None or key[0] != "ctx":
                flush()
                context = None
            msgid, plural, strs, key = _unquote(line[6:]), None, {}, ("id", 0)
        elif line.startswith("msgid_plural "):
            plural, key = _unquote(line[13:]), ("plural", 0)
        elif line.startswith("msgstr["):
            i = int(line[7:line.index("]")])
            strs[i], key = _unquote(line[line.index("]") + 2:]), ("str", i)
        elif line.startswith("msgstr "):
            strs[0], key = _unquote(line[7:]), ("str", 0)
        elif line.startswith('"') and key is not None:
            text = _unquote(line)
            if key[0] == "ctx":
                context = (context or "") + text
            elif key[0] == "id":
                msgid = (msgid or "") + text
            elif key[0] == "plural":
                plural = (plural or "") + text
            else:
                strs[key[1]] = strs.get(key[1], "") + text
    flush()
    return entries


def header(lang: str) -> str:
    plural = "nplurals=1; plural=0;" if lang.startswith("zh") else "nplurals=2; plural=(n != 1);"
    return (f"Project-Id-Version: portops\nLanguage: {lang}\nMIME-Version: 1.0\n"
            f"Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n"
            f"Plural-Forms: {plural}\n")


def write_po(path: Path, lang: str, found: dict[Entry, list[str]],
             old: dict[Entry, list[str]]) -> None:
    lines = ["# portops messages, " + LANGUAGES[lang], 'msgid ""', "msgstr " + _quote(header(lang)),
             ""]
    for entry, where in sorted(found.items(), key=lambda kv: kv[1][0]):
        msgid, plural = entry
        lines.append("#: " + " ".join(where[:3]))
        if CONTEXT in msgid:
            context, msgid = msgid.split(CONTEXT, 1)
            lines.append("msgctxt " + _quote(context))
        lines.append("msgid " + _quote(msgid))
        translated = old.get(entry, [])
        if plural is None:
            lines.append("msgstr " + _quote(translated[0] if translated else ""))
        else:
            lines.append("msgid_plural " + _quote(plural))
            n = 1 if lang.startswith("zh") else 2
            for i in range(n):
                lines.append(f"msgstr[{i}] " + _quote(translated[i] if i < len(translated) else ""))
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def compile_mo(entries: dict[Entry, list[str]]) -> bytes:
    """The GNU ``.mo`` bytes for ``entries`` (untranslated ones left out, as msgfmt does)."""
    pairs: list[tuple[bytes, bytes]] = []
    for (msgid, plural), strs in entries.items():
        if msgid and not any(strs):
            continue
        key = msgid if plural is None else msgid + "\0" + plural
        pairs.append((key.encode(), "\0".join(strs).encode()))
    pairs.sort()
    n = len(pairs)
    ids = strs_b = b""
    offsets = []
    for k, v in pairs:
        offsets.append((len(k), len(ids), len(v), len(strs_b)))
        ids += k + b"\0"
        strs_b += v + b"\0"
    key_start = 7 * 4 + 16 * n
    val_start = key_start + len(ids)
    out = struct.pack("Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + n * 8, 0, 0)
    out += b"".join(struct.pack("ii", ln, key_start + off) for ln, off, _, _ in offsets)
    out += b"".join(struct.pack("ii", ln, val_start + off) for _, _, ln, off in offsets)
    return out + ids + strs_b


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def main(argv: list[str]) -> int:
    what = argv[0] if argv else ""
    if what not in {"update", "compile"}:
        print("usage: python -m portops.i18n_tools update|compile", file=sys.stderr)
        return 2
    found = extract() if what == "update" else {}
    for lang in LANGUAGES:
        po = po_path(lang)
        po.parent.mkdir(parents=True, exist_ok=True)
        old = read_po(po) if po.exists() else {}
        if what == "update":
            write_po(po, lang, found, old)
            old = read_po(po)
        po.with_suffix(".mo").write_bytes(compile_mo(old))
        missing = sum(1 for (m, _), s in old.items() if m and not any(s))
        print(f"{po}: {len(old) - 1} texts, {missing} untranslated")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
