"""The command line writes in ``--lang`` (or ``$PORTOPS_LANG``), as the console does (issue
14): its own messages, errors, refusals and the reports it prints. Under ``--lang zh_CN``
each of these once came out in English; machine formats (the CSV a partner reads, EDIFACT,
the audit head line a checkpoint file holds) stay as they are."""

from __future__ import annotations

import re

import pytest

from portops import i18n
from portops.cli import main
from tests.test_discharge_flow import discharged  # noqa: F401  (a fixture)

pytestmark = pytest.mark.sqlite_only  # the words are the same on either database

ZH = ["--lang", "zh_CN"]
#: A run of English words: what a Chinese sentence must not hold (codes such as TEU, VGM,
#: IMO, a container number or a rule id in its [tag] are single tokens and do not match).
ENGLISH_RUN = re.compile(r"\b[a-z]{3,}(?: [a-z]{2,}){2,}\b")


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    i18n.set_language("en")


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_messages_and_errors_follow_lang(db_file, monkeypatch, capsys):
    db = str(db_file)
    monkeypatch.setenv("PORTOPS_NEW_PASSWORD", "clerk-password-1")
    code, out, _ = _run(capsys, "--db", db, *ZH, "user", "add", "clerk", "--role", "gate_clerk")
    assert code == 0 and out.strip() == "已添加 clerk（闸口员）"
    code, out, _ = _run(capsys, "--db", db, "user", "disable", "clerk", *ZH)  # after, too
    assert code == 0 and out.strip() == "已停用 clerk"
    # a refusal: what was refused and each rule in Chinese, the rule id kept as a tag before
    # its sentence (people quote it to support), never inside it
    code, _, err = _run(capsys, "--db", db, *ZH, "user", "add", "clerk", "--role", "gate_clerk")
    assert code == 1 and err.startswith("portops: 被拒绝：") and "refused" not in err
    rule = err.splitlines()[1]
    assert re.match(r"  - \[[a-z_.]+\] \S", rule), rule
    assert not ENGLISH_RUN.search(re.sub(r"\[[a-z_.]+\]", "", err)), err
    code, out, _ = _run(capsys, "--db", db, *ZH, "audit", "verify")
    assert code == 0 and out.startswith("审计日志完整：") and "intact" not in out
    assert "audit head: event" in out  # the line a checkpoint file holds, as written
    monkeypatch.setenv("PORTOPS_PASSWORD", "wrong")
    code, _, err = _run(capsys, "--db", db, *ZH, "user", "enable", "clerk")
    assert code == 1 and "用户 'admin' 不存在或密码错误；未做任何更改" in err
    assert "wrong password" not in err


def test_usage_errors_portops_writes_follow_lang(db_file, monkeypatch, capsys):
    """A date that is no date is portops' own sentence (argparse only carries it), and
    $PORTOPS_LANG chooses the language as --lang does."""
    monkeypatch.setenv("PORTOPS_LANG", "zh_CN")
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(db_file), "export", "work-plan", "--date", "27/11/2026"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and err.count("\n") == 1
    assert "'27/11/2026' 不是日期；请写成 YYYY-MM-DD" in err and "is not a date" not in err
    code, _, err = _run(capsys, "--db", str(db_file.parent / "none.db"), "events")
    assert code == 1 and "不存在；请运行：portops init --db" in err


def test_printed_tally_report_in_chinese(engine, discharged, capsys):  # noqa: F811
    db = engine.url.render_as_string(hide_password=False)
    code, out, _ = _run(capsys, "--db", db, *ZH, "export", "tally-report", "--visit",
                        "TST-001")
    assert code == 0
    assert out.startswith("理货报告 — 卸船 — TEST STAR（IMO ")
    for english in ("TALLY REPORT", "Discharge started", "Short-landed", "seal booked",
                    "dented", "none"):
        assert english not in out, english
    assert "短卸（在计划内，未卸船）（1）" in out and "DT 凹陷" in out
    assert discharged["short"] in out  # container numbers as they are
    assert out.rstrip().splitlines()[-1].startswith("audit head: event ")
    # what the clerk typed (the notes) is data, shown as typed
    body = "\n".join(out.splitlines()[:-1]).replace("not in slot", "")
    assert not ENGLISH_RUN.search(body), ENGLISH_RUN.search(body)


def test_printed_work_plan_and_pickup_plan_in_chinese(core, engine, small_terminal, tmp_path,
                                                      capsys):
    db = engine.url.render_as_string(hide_password=False)
    target = tmp_path / "plan.md"
    code, _, err = _run(capsys, "--db", db, *ZH, "export", "work-plan", "--date",
                        "2026-11-27", "-o", str(target))
    assert code == 0 and err.strip() == f"{target}：已写入 work-plan"
    plan = target.read_text(encoding="utf-8")
    assert plan.startswith("# 昼夜作业计划 2026-11-27") and "shift" not in plan
    code, out, _ = _run(capsys, "--db", db, *ZH, "export", "pickup-plan", "--date",
                        "2026-11-27")
    assert code == 0 and out.startswith("# 提箱计划 — 2026-11-27")
    assert "Pickup plan" not in out and "无需移箱。" in out and "appointments" not in out
    # the English plan keeps its Chinese titles beside the English (a Chinese gate's paper)
    code, out, _ = _run(capsys, "--db", db, "export", "pickup-plan", "--date", "2026-11-27")
    assert out.startswith("# Pickup plan 提箱计划 — 2026-11-27") and "No moves needed." in out


def test_a_checklist_refusal_names_steps_and_values_in_chinese(core, small_terminal,
                                                              chinese):
    """Step ids (FLOATS_AND_MARKS_SET), the site's English step titles and value labels once
    stood inside the Chinese sentence; the step is now named by its number (第 3 步) and the
    titles and labels come from the checklist file's own Chinese. English names it by number
    too (walker item 9)."""
    from portops.model import Role
    from portops.ops import Refused
    from portops.ops.checklists import tick
    from tests.conftest import as_role

    with pytest.raises(Refused) as caught:
        core.run(as_role(Role.LINE_HANDLER), tick, visit_id=small_terminal["visit"],
                 checklist="berthing", step="POSITION_CONFIRMED",
                 values={"bollard_fore": "B14"})
    unmet = {u.rule: u for u in caught.value.unmet}
    needs = unmet["checklist.step.needs"]
    assert "needs step 3 (Floats" in needs.message  # by number in English too
    message, remedy = needs.localized(chinese)
    assert message.startswith("第 4 步（与引航员或船长确认靠泊位置）需先完成第 3 步（")
    assert remedy == "请先完成第 3 步"
    lines = [" ".join(u.localized(chinese)) for u in caught.value.unmet]
    for line in lines:
        assert not re.search(r"[A-Z]{3,}_[A-Z_]+", line), line  # no step id
        assert not ENGLISH_RUN.search(line), line


def test_a_checklist_values_type_is_named_in_chinese(core, small_terminal, chinese):
    """"is not a valid int" kept the type's code name (int, time) inside the Chinese sentence;
    it is a word now (整数, 时间). The English is as it was."""
    from portops.model import Role
    from portops.ops import Refused
    from portops.ops.checklists import tick
    from tests.conftest import as_role

    with pytest.raises(Refused) as caught:
        core.run(as_role(Role.LINE_HANDLER), tick, visit_id=small_terminal["visit"],
                 checklist="berthing", step="ALL_FAST",
                 values={"lines": "many", "all_fast": "soon"})
    invalid = [u for u in caught.value.unmet if u.rule == "checklist.value.invalid"]
    assert sorted(u.message for u in invalid) == [
        "All fast 'soon' is not a valid time", "Number of lines 'many' is not a valid int"]
    said = sorted(u.localized(chinese)[0] for u in invalid)
    assert said == ["全部系妥 'soon' 不是有效的时间", "缆绳数 'many' 不是有效的整数"], said


def test_a_broken_audit_log_is_said_in_chinese(db_file, capsys):
    """Why the chain broke was English inside the Chinese sentence."""
    from sqlalchemy import text

    from portops.db import make_engine

    db = str(db_file)
    engine = make_engine(db)
    with engine.begin() as conn:  # what an attacker with the file can do
        conn.execute(text("DROP TRIGGER event_no_update"))
        conn.execute(text("UPDATE event SET data = '{\"x\": 1}' WHERE id = "
                          "(SELECT min(id) FROM event)"))
    engine.dispose()
    code, _, err = _run(capsys, "--db", db, *ZH, "audit", "verify")
    assert code == 1 and err.startswith("portops: 审计日志在事件 ")
    assert "其内容与其哈希不符：它被改动过" in err and "changed" not in err
    assert not ENGLISH_RUN.search(err), err


def test_the_console_shows_the_load_report_in_its_language(engine, small_terminal, chinese):
    """The console's F12 load report (and its tally report and EIR) hand the console's
    language to the same renderers the CLI uses: they were English in a Chinese console."""
    from portops.ui.screens.export_loading import _load_report_text

    _, key, text = _load_report_text(engine, small_terminal["visit"])
    assert text.startswith("装船理货报告 — 装船 — ") and f"[{key}]" in text
    assert "已装船 0；甩柜 0；残损 0。" in text and "loaded" not in text.lower()


def test_an_imported_files_own_errors_are_said_in_chinese(tmp_path, capsys):
    """``FILE:LINE: ...`` about a file's own faults (YAML, CSV) follows --lang: they were
    English under ``--lang zh_CN``. Where and which key stay as written in the file."""
    layout = tmp_path / "bad.yaml"
    layout.write_text("kind: layout\nname: T\nberths:\n  - name: B1\n    depht_m: 3\n"
                      "    quay_start_m: abc\n")
    tabs = tmp_path / "tabs.yaml"
    tabs.write_text("kind: layout\nberths:\n\t- name: x\n")
    releases = tmp_path / "releases.csv"
    releases.write_text("kind,reference,container\ncustoms,,CSQU3054383\n")
    code, out, err = _run(capsys, *ZH, "--db", str(tmp_path / "t.db"), "import",
                          str(layout), str(tabs), str(releases), str(tmp_path / "nope.yaml"))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert f"{layout}:2: 布局文件没有键 'name'；请用以下之一：" in lines[0]
    assert f"{layout}:5: 泊位没有键 'depht_m'；是不是要写 'depth_m'？" in lines
    assert f"{layout}:6: quay_start_m：'abc' 不是数字；请写数字，例如 15.5" in lines
    assert f"{layout}:4: depth_m：缺失；请添加" in lines
    assert f"{tabs}:3: YAML 语法错误：发现不能作为开头的制表符；请用空格缩进，不要用制表符" in lines
    assert f"{releases}:2: reference 为空：请填写报关单号或放行编号" in lines
    assert f"{tmp_path / 'nope.yaml'}: 没有此文件；请检查路径" in lines
    for line in lines:  # the problem, after FILE:LINE:, is a Chinese sentence
        assert not ENGLISH_RUN.search(line.split(": ", 1)[1]), line


def test_a_checklist_files_faults_name_their_place_in_chinese(tmp_path, capsys):
    """A checklist file's faults named the place (step A) and the kind a key holds (str) in
    English inside the Chinese sentence."""
    checklists = tmp_path / "checklists.yaml"
    checklists.write_text("kind: checklists\nchecklists:\n  berthing:\n    title: {en: B}\n"
                          "    phases: [arrived]\n    steps:\n      - id: A\n        role: 3\n")
    code, _, err = _run(capsys, *ZH, "--db", str(tmp_path / "t.db"), "import", str(checklists))
    assert code == 1
    assert err.strip() == f"{checklists}:8: 步骤 A 的 'role' 必须是文本；请把 'role' 写成文本"


def test_an_edifact_imports_problems_are_said_in_chinese(core, engine, small_terminal,
                                                        tmp_path, capsys):
    """What a message import tolerated (a box taken in flagged) and what refuses it (a file
    cut short) follow --lang; segment tags, numbers and codes stay as they are."""
    from tests.test_edifact_tolerance import DATA, PLANNER

    db = engine.url.render_as_string(hide_password=False)
    args = ["--db", db, "--user", PLANNER, *ZH, "import"]
    cut = tmp_path / "cut.edi"
    cut.write_text((DATA / "check-digit.edi").read_text().split("UNT+")[0])
    code, _, err = _run(capsys, *args, str(cut))
    assert code == 1 and err.startswith(f"{cut}: ") and "UNT" in err, err
    assert not ENGLISH_RUN.search(err.split(": ", 1)[1]), err
    code, _, err = _run(capsys, *args, "--strict", str(DATA / "check-digit.edi"))
    assert code == 1
    assert "check-digit.edi: 报文段 13（EQD）：箱号 'MSKU1234566' 校验位错误" in err, err
    assert "已接收并标记，待理货和闸口核实 [box]" in err
    code, out, _ = _run(capsys, *args, str(DATA / "check-digit.edi"))
    assert code == 0 and "报文段 13（EQD）：箱号 'MSKU1234566'" in out, out
    problem = next(line for line in out.splitlines() if "[box]" in line)
    assert not ENGLISH_RUN.search(problem.split(": ", 1)[1]), problem
    code, out, _ = _run(capsys, *args, str(DATA / "iso1984.edi"))  # a doubt, in words
    assert code == 0
    assert "尺寸类型 '4536' 是 ISO 6346:1984 代码，其类型 36 没有公开资料可以确认" in out, out
    assert "  1 个箱子有问题、1 条警告：\n" in out  # the counts, with Chinese punctuation


def test_option_help_follows_lang_and_fits_the_terminal(monkeypatch, capsys):
    """``--help`` listed portops' own options in English under ``--lang zh_CN``; in Chinese
    its lines are cut by the columns they take (two a character), argparse's words stay."""
    import unicodedata

    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit):
        main([*ZH, "import", "--help"])
    out = capsys.readouterr().out
    assert "对照数据库检查全部内容，不写入任何东西" in out and "usage: portops import" in out
    assert "write nothing" not in out and "options:" in out
    for line in out.splitlines():
        width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
        assert width <= 80, line
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    assert "check everything against the database, write nothing" in capsys.readouterr().out
