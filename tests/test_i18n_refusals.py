"""Refusals are translatable: stated as ``N_`` templates with their values as parameters.

A clerk reads the refusal sentence and its remedy in the console's language; that only works
when every ``tx.rule``/``tx.fail`` (and every ``Unmet`` the core builds) hands over the English
template, not an f-string with the values already baked in.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from portops.ops.core import Choices, Term, Unmet

ROOT = Path(__file__).resolve().parents[1] / "portops"
_RESERVED = {"rule", "message", "remedy", "where", "ok"}


def _is_template(node: ast.AST) -> bool:
    """``N_("literal")``, a choice between two of them, or a template declared once with
    ``N_`` and passed by name (``ft.remedy``, ``_HAS_NO[target]``, a helper's ``remedy``
    parameter); never an f-string, a bare literal, a concatenation or ``str(exc)``."""
    if isinstance(node, ast.IfExp):
        return _is_template(node.body) and _is_template(node.orelse)
    if isinstance(node, ast.Name | ast.Attribute | ast.Subscript):
        return True
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get" and all(_is_template(a) for a in node.args[1:])):
        return True  # a table of declared templates: _VALUE_REMEDY.get(kind, N_("..."))
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "N_" and len(node.args) == 1
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str))


def _refusals():
    """Every ``tx.rule(ok, id, msg, remedy)``, ``tx.fail(id, msg, remedy)`` and
    ``Unmet.of(id, msg, remedy)`` in the core, with its message and remedy nodes."""
    for path in sorted(ROOT.rglob("*.py")):
        if "ui" in path.relative_to(ROOT).parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            f, owner = node.func, node.func.value
            name = owner.id if isinstance(owner, ast.Name) else ""
            if f.attr == "rule" and name == "tx":
                texts = node.args[2:4]
            elif (f.attr == "fail" and name == "tx") or (f.attr == "of" and name == "Unmet"):
                texts = node.args[1:3]
            else:
                continue
            yield f"{path.relative_to(ROOT.parent)}:{node.lineno}", node, texts


def test_every_refusal_is_a_template_with_named_values() -> None:
    bad = []
    for where, node, texts in _refusals():
        if len(texts) != 2 or not all(_is_template(t) for t in texts):
            bad.append(f"{where}: message and remedy must be N_(\"...\") templates")
        clash = {k.arg for k in node.keywords} & _RESERVED - {"where"}
        if clash:
            bad.append(f"{where}: parameter named {sorted(clash)}")
    assert not bad, "\n".join(bad)


def test_the_core_builds_no_unmet_from_finished_text() -> None:
    """``Unmet(...)`` directly would carry no template: use ``Unmet.of``."""
    bad = []
    for path in sorted(ROOT.rglob("*.py")):
        if "ui" in path.relative_to(ROOT).parts or path.name == "core.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "Unmet"):
                bad.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    assert not bad, "use Unmet.of(rule, N_(...), N_(...), **params):\n" + "\n".join(bad)


def test_a_refusal_reads_in_chinese_with_the_same_values(chinese) -> None:
    u = Unmet.of("visit.phase.planned_to_departed",
                 "visit {visit} is {phase} and cannot become {to}", "it can become {allowed}",
                 visit="V-0001", phase=Term("planned"), to=Term("departed"),
                 allowed=Choices(["arrived", "cancelled"]))
    assert u.message == "visit V-0001 is planned and cannot become departed"
    assert u.remedy == "it can become arrived or cancelled"
    message, remedy = u.localized(chinese)
    assert message.startswith("航次 V-0001 状态为") and "计划" in message
    assert remedy.startswith("可变为") and remedy.endswith("已抵港或已取消")


def test_a_stored_reason_keeps_its_template_and_terms(chinese) -> None:
    u = Unmet.of("hold.xray", "container {ref} is under {title}{why}",
                 "have the box scanned and release the X-ray hold", ref="MSKU1234565",
                 title=Term("X-ray hold"), why="")
    again = Unmet.from_dict(u.as_dict())
    assert again == u and str(again) == str(u)
    assert again.localized(chinese) == ("箱 MSKU1234565 处于X光查验扣留",
                                        "安排过机扫描后解除X光查验扣留")


def test_a_code_error_reads_in_chinese_and_stays_english_in_files(chinese) -> None:
    from portops.codes import CodeError, parse_container_number

    with pytest.raises(CodeError) as caught:
        parse_container_number("CSQU3054384")
    exc = caught.value
    assert str(exc) == ("container number 'CSQU3054384' has a wrong check digit (expected 3); "
                        "re-read the number on the box")
    u = Unmet.of("discharge.number.invalid", exc.template, "read the number again",
                 **exc.params)
    assert u.message == str(exc)
    assert u.localized(chinese) == ("箱号 'CSQU3054384' 校验位错误（应为 3）；请重新读取箱上的箱号",
                                    "请重新读取箱号")


def test_a_role_refusal_names_the_operation_and_roles_in_chinese(core, small_terminal,
                                                               chinese) -> None:
    """A gate clerk refused a schedule change reads what was refused and who may do it, all
    in Chinese (the operation's summary and the role list are translated too)."""
    from datetime import timedelta

    from portops.model import Role
    from portops.ops import Refused
    from portops.ops.berthplan import set_times
    from portops.ops.gate import admit
    from tests.conftest import as_role

    with pytest.raises(Refused) as caught:
        core.run(as_role(Role.GATE_CLERK), set_times, visit_id=small_terminal["visit"],
                 eta=core.clock.now() + timedelta(hours=5))
    u = next(u for u in caught.value.unmet if u.rule == "role.not_permitted")
    assert u.message == ("a gate clerk may not change a visit's estimated times of arrival, "
                         "berthing and departure")
    assert u.localized(chinese) == ("闸口员无权执行：更改航次的预计抵港、靠泊和离泊时间",
                                    "请由 生产调度 办理")
    with pytest.raises(Refused) as caught:
        core.run(as_role(Role.LINE_HANDLER), admit, lookup="TA0000001", plate="X",
                 haulier="HAUL", driver_id="D1")
    u = next(u for u in caught.value.unmet if u.rule == "role.not_permitted")
    assert u.remedy == "ask a dispatcher, gate clerk to do it"
    assert u.localized(chinese)[1] == "请由 生产调度、闸口员 办理"


def test_every_operation_is_named_in_the_catalogs() -> None:
    from portops.i18n_tools import extract
    from portops.ops import load_all

    texts = {msgid for msgid, _ in extract()}
    missing = sorted(op.action for op in load_all().values() if op.action not in texts)
    assert not missing, missing


def test_chinese_sentences_hold_no_english_words_or_rule_ids() -> None:
    """A Chinese translation keeps no English phrase or rule id inside its sentence (issue
    14: "ETD", step ids, status words): only the codes docs/ui.md lists (single tokens such
    as VGM, TEU, BAPLIE), commands to type (``portops token list``), what is quoted, file
    names and placeholders, whose values are translated terms. A rule id is shown as a tag
    before the sentence by ``Unmet.line``, never written into one."""
    import re

    from portops.i18n_tools import po_path, read_po

    han = re.compile(r"[\u4e00-\u9fff]")
    english = re.compile(r"\b[a-z]{3,}(?: [a-z]{2,}){2,}\b")
    rule_id = re.compile(r"(?<![\w./-])[a-z_]+\.[a-z_]+(?:\.[a-z_]+)*(?![\w/])"
                         r"|\b[A-Z]{2,}_[A-Z_]+\b")  # or a step id (FLOATS_AND_MARKS_SET)
    kept = re.compile(r"\$?PORTOPS_[A-Z_]+|\{[^}]*\}|'[^']*'|portops(?: [a-z-]+)+"
                      r"|\S+\.(?:yaml|edi|csv|json)")
    bad = []
    for (msgid, _plural), strs in read_po(po_path("zh_CN")).items():
        for text in strs:
            if not han.search(text):
                continue
            rest = kept.sub("", text)
            found = english.search(rest) or rule_id.search(rest)
            if found:
                bad.append(f"{msgid!r} -> {text!r}: {found.group()!r}")
    assert not bad, "\n".join(bad)
