"""The console's import dialog says what is wrong with a file, and what a message import
tolerated, in the console's language (issue 14): both were English in a 中文 console while
the rest of the dialog was Chinese. File paths, keys, segment tags and codes stay as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from portops.model import Role
from tests.ui.conftest import sign_in, text_of, wait_for

pytestmark = pytest.mark.sqlite_only
DATA = Path(__file__).parents[1] / "data" / "edi"


async def _import(app, pilot, path: Path, visit: str = "") -> str:
    await pilot.press("i")
    await wait_for(pilot, lambda: app.screen.query("#path"), what="import form")
    app.screen.query_one("#path").value = str(path)
    app.screen.query_one("#visit").value = visit
    app.screen.query_one("#path").focus()
    await pilot.press("enter")
    result = app.screen.query_one("#import-result")
    await wait_for(pilot, lambda: path.name in text_of(result), what="import result")
    return text_of(result)


async def test_a_bad_file_and_a_tolerated_problem_are_said_in_chinese(console, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: layout\nberths:\n  - name: B1\n    depht_m: 3\n", encoding="utf-8")
    app = console(language="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False))
        shown = await _import(app, pilot, bad)
        assert f"{bad}:4: 泊位没有键 'depht_m'；是不是要写 'depth_m'？" in shown, shown
        assert "has no key" not in shown
        await pilot.press("escape")
        shown = await _import(app, pilot, DATA / "check-digit.edi", "TST-001")
        await wait_for(pilot, lambda: "[box]" in text_of(app.screen.query_one("#import-result")),
                       what="tolerated problems")
        shown = text_of(app.screen.query_one("#import-result"))
        assert "报文段 13（EQD）：箱号 'MSKU1234566' 校验位错误" in shown, shown
        assert "已接收并标记，待理货和闸口核实 [box]" in shown
        assert "taken in flagged" not in shown and "segment 13" not in shown


def test_every_importers_summary_reads_in_chinese():
    """The dialog's '正在导入 …' named the importer by its English summary: each is marked
    where it is registered and has its Chinese."""
    import gettext

    from portops import i18n
    from portops.formats.registry import importers

    zh = gettext.translation("portops", i18n.LOCALE_DIR, languages=["zh_CN"]).gettext
    untranslated = [i.summary for i in importers() if zh(i.summary) == i.summary]
    assert not untranslated, untranslated
