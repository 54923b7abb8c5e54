"""Translation: catalogs complete and compiled, placeholders kept, the console in Chinese."""

from __future__ import annotations

import re
import string

import pytest

from portops import i18n
from portops.i18n_tools import compile_mo, extract, po_path, read_po
from portops.model import Role
from tests.ui.conftest import sign_in, text_of, wait_for

pytestmark = pytest.mark.sqlite_only  # the console is the same on either database


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    i18n.set_language("en")


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_marked_text_has_a_chinese_translation() -> None:
    catalog = read_po(po_path("zh_CN"))
    missing = [f"{where[0]}: {m!r}" for (m, p), where in extract().items()
               if not any(catalog.get((m, p), []))]
    assert not missing, "untranslated (run python -m portops.i18n_tools update, translate):\n" + \
        "\n".join(missing)


def test_translations_keep_their_placeholders() -> None:
    for (msgid, _plural), strs in read_po(po_path("zh_CN")).items():
        if msgid:
            for s in strs:
                assert _fields(s) == _fields(msgid), (msgid, s)


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_compiled_catalogs_are_up_to_date(lang: str) -> None:
    po = po_path(lang)
    assert po.with_suffix(".mo").read_bytes() == compile_mo(read_po(po)), \
        "stale .mo: run python -m portops.i18n_tools compile"


def test_language_names_are_normalised() -> None:
    assert i18n.normalize("zh-CN") == i18n.normalize("zh_CN.UTF-8") == "zh_CN"
    assert i18n.normalize("zh") == "zh_CN" and i18n.normalize(None) == "en"
    with pytest.raises(ValueError, match="unknown language"):
        i18n.normalize("xx")
    i18n.set_language("zh_CN")
    assert i18n._("Vessel schedule") == "船期表"
    assert re.search(r"[\u4e00-\u9fff]", i18n._("Sign in"))


async def test_the_console_in_chinese(console) -> None:
    app = console(language="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        assert "登录" in text_of(app.screen.query_one("#signin-title"))
        await sign_in(pilot, Role.DISPATCHER)
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False))
        headers = [str(c.label) for c in app.screen.table.columns.values()]
        assert headers[:3] == ["船名", "船公司", "预靠"]
        assert "船期" in text_of(app.screen.query_one("AreaBar"))


async def test_switching_language_keeps_the_user_signed_in(console) -> None:
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False))
        assert [str(c.label) for c in app.screen.table.columns.values()][0] == "Vessel"
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False)
                       and app.language == "zh_CN")
        assert app.user.name == "dispatcher"
        assert [str(c.label) for c in app.screen.table.columns.values()][0] == "船名"


async def test_a_refusal_reads_in_chinese(console, engine, small_terminal) -> None:
    """The clerk sees which rule refused the step (its id, as people quote it), why and what
    clears it, in Chinese, with the same values as in English."""
    from tests.test_berthplan import add_visit
    from tests.ui.test_berths import _notes, open_berths

    add_visit(engine, "SML-1", 180, 9.0, berth_id=small_terminal["berth2"], quay=380)
    app = console(language="zh_CN")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        chart = await open_berths(pilot)
        while chart.selected != small_terminal["visit"]:
            await pilot.press("left")
        await pilot.press("m", "b")  # to berth B2: on top of SML-1 and too shallow
        await pilot.press("enter")
        await wait_for(pilot, lambda: _notes(app), what="refusal")
        note = _notes(app)[-1]
    lines = note.splitlines()
    draft = next(line for line in lines if "[berth.draft_too_deep]" in line)
    assert "TST-001：抵港吃水" in draft and "超过泊位" in draft
    assert draft.endswith("— 请选择更深的泊位，或请船公司确认更小的抵港吃水")
    overlap = next(line for line in lines if "[berth.overlap]" in line)
    assert "与 SML-1 的间距将小于" in overlap and "请沿岸线或在时间上移开" in overlap
    assert "deeper" not in note and "would lie" not in note


@pytest.mark.usefixtures("chinese")
def test_every_kind_of_event_subject_has_a_word_in_the_log() -> None:
    """The activity log names what each event is about in the clerk's language: every kind
    the operations record (``tx.about("kind", ...)``) has its word."""
    import ast
    from pathlib import Path

    from portops.ui.screens.activity import SUBJECTS, subject_kind

    kinds = set()
    for path in (Path(__file__).resolve().parents[2] / "portops" / "ops").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "about" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                kinds.add(node.args[0].value)
    assert kinds and kinds <= set(SUBJECTS), sorted(kinds - set(SUBJECTS))
    assert (subject_kind("bl"), subject_kind("truck")) == ("提单", "集卡")
