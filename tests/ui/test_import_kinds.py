"""What the import dialog says it takes, and how an import counts parties (issue 14's small
fixes): the heading is the registry's own list (it named six kinds of eighteen), and a
parties file reports "parties 2 added" ("partys" was printed)."""

from __future__ import annotations

import gettext

import pytest

from portops.formats import registry
from portops.i18n import DOMAIN, LOCALE_DIR
from portops.model import Role
from portops.ops.report import ImportReport
from tests.ui.conftest import sign_in, text_of, wait_for

pytestmark = pytest.mark.sqlite_only


async def test_the_import_dialog_lists_every_kind_the_registry_takes(console) -> None:
    app = console()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, Role.DISPATCHER)
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False))
        await pilot.press("i")
        await wait_for(pilot, lambda: app.screen.query("#path"), what="import dialog")
        heading = " ".join(text_of(app.screen.query_one(".form-title")).split())
        for importer in registry.importers():
            assert importer.name in heading


def test_a_parties_import_counts_parties() -> None:
    report = ImportReport("parties")
    for code in ("COSU", "HAUL1"):
        report.add("party", code, None, {"code": code})
    report.add("berth", "B1", None, {"name": "B1"})
    text = report.summary()
    assert "parties 2 added" in text and "partys" not in text
    assert "berths 1 added" in text
    zh = report.summary(gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"]).gettext)
    assert "当事方：新增 2" in zh and "parties" not in zh
