"""One English word, two meanings, two translations: the yard legend's "import" is an import
box (进口), the console's ``i`` command imports a file (导入). gettext's context (``msgctxt``)
keeps them apart, through ``portops.i18n_tools`` (extract, .po, .mo)."""

from __future__ import annotations

from portops.i18n_tools import CONTEXT, compile_mo, extract, read_po, write_po
from portops.queries.views import Cell, Grid
from portops.ui.widgets.slot_grid import render_grid


def _yard() -> Grid:
    return Grid("A01 bay 01", rows=[1], tiers=[1], cells={(1, 1): [Cell("CSQU3054383",
                                                                        "import")]})


def test_the_yard_legend_says_import_box_and_the_command_import_file(chinese):
    legend = render_grid(_yard(), vessel=False).plain
    assert "进口" in legend and "导入" not in legend  # it read 导入 (to import a file)
    assert chinese("import") == "导入"  # the command's word is unchanged


def test_the_english_yard_legend_is_unchanged():
    legend = render_grid(_yard(), vessel=False).plain
    assert " I  import   E  export   T  tranship   M  empty   p  planned" in legend


def test_a_context_goes_through_extract_po_and_mo(tmp_path):
    found = extract()
    assert ("yard legend" + CONTEXT + "import", None) in found
    po = tmp_path / "x.po"
    key = ("yard legend" + CONTEXT + "import", None)
    write_po(po, "zh_CN", {key: ["here:1"], ("import", None): ["there:2"]},
             {key: ["进口"], ("import", None): ["导入"]})
    text = po.read_text(encoding="utf-8")
    assert 'msgctxt "yard legend"\nmsgid "import"\nmsgstr "进口"' in text
    back = read_po(po)
    assert back[key] == ["进口"] and back[("import", None)] == ["导入"]
    assert ("yard legend" + CONTEXT + "import").encode() in compile_mo(back)


def test_the_vessel_area_is_named_as_an_area_not_as_a_column(chinese):
    """F6's title read 船名 (a vessel's name, the column heading) in the area bar and F1."""
    from portops.ui.areas import AREAS

    vessel = next(a for a in AREAS if a.id == "vessel")
    yard = next(a for a in AREAS if a.id == "yard")
    assert (vessel.label, yard.label) == ("船舶", "堆场")  # the others as they were
    assert chinese("Vessel") == "船名"  # the column keeps its word
