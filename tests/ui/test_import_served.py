"""In a browser (``portops serve``) the import dialog lists the site's import folder and takes
no typed path: a typed path's answer told a browser whether any path exists on the server
(issue 14)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portops.formats import registry
from portops.model import Role
from portops.ui import Settings
from tests.ui.conftest import sign_in, text_of, wait_for

pytestmark = pytest.mark.sqlite_only
DEMO = Path(__file__).parents[2] / "schedules" / "demo"


def test_served_comes_from_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("PORTOPS_WEB_CLIENT", raising=False)
    assert not Settings.from_env().served
    monkeypatch.setenv("PORTOPS_WEB_CLIENT", "203.0.113.9")
    monkeypatch.setenv("PORTOPS_IMPORT_DIR", str(tmp_path))
    s = Settings.from_env()
    assert s.served and s.import_dir == str(tmp_path)


async def test_browser_imports_only_from_the_import_folder(bare_console, core, tmp_path) -> None:
    registry.apply(core, "admin", registry.prepare([DEMO / "layout.yaml"]))
    folder = tmp_path / "imports"
    folder.mkdir()
    shutil.copy(DEMO / "schedule.yaml", folder / "schedule.yaml")
    (folder / "sub").mkdir()  # folders are not offered
    (tmp_path / "secret.yaml").write_text("x", encoding="utf-8")
    (folder / "link.yaml").symlink_to(tmp_path / "secret.yaml")  # nor links out of it
    app = bare_console(served=True, import_dir=str(folder))
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False))
        await pilot.press("i")
        await wait_for(pilot, lambda: app.screen.query("#files"), what="the folder's files")
        assert not app.screen.query("#path")  # no typed path in a browser
        files = app.screen.query_one("#files")
        assert [o.id for o in files.options] == ["schedule.yaml"]
        await pilot.press("enter")
        result = app.screen.query_one("#import-result")
        await wait_for(pilot, lambda: "added" in text_of(result), what="import summary")


async def test_browser_without_an_import_folder_is_told_so(bare_console) -> None:
    app = bare_console(served=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False))
        await pilot.press("i")
        await wait_for(pilot, lambda: app.screen.query("#files"), what="the import form")
        assert not app.screen.query("#path")
        assert "PORTOPS_IMPORT_DIR" in " ".join(text_of(w) for w in app.screen.query(
            ".form-error"))
