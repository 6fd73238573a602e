"""自评: 自评表 built from the seeds and real tables, scored by the rules, checked, consolidated."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, SEED_COUNTS, fixture_projects, soffice
from regions import zhalaite_book

from jixiao.cli import main
from jixiao.selfeval.build import build_selfeval
from jixiao.selfeval.form import DETAIL_SHEET, FORM_SHEET
from jixiao.selfeval.rules import class_weights, execution, level, score
from jixiao.selfeval.score import read_evaluations, score_files
from jixiao.workbook import read_workbook, write_workbook

REAL = ROOT / "tests" / "fixtures" / "real"
SAMPLE = ROOT / "samples" / "guangzhou-003-wide.xlsx"
D = Decimal


@pytest.mark.parametrize(("target", "actual", "given", "expected"), [
    ("≥500人次", "480人次", None, "9.60"),
    ("≤90万元", "99万元", None, "9.09"),
    ("≥95%", "98%", None, "10.00"),
    ("≥90%", "85%", None, "9.44"),
    ("=100%", "96%", None, "9.60"),
    ("≤5%", "0%", None, "10.00"),
    ("12月底前完成", "11月完成，达成", None, "10.00"),
    ("12月底前完成", "12月20日完成，部分达成", "7.5", "7.50"),
    ("≤90万元", "990000元", None, "9.09"),  # 元 against 万元, converted
])  # fmt: skip
def test_the_issues_cases_are_scored_exactly(target: str, actual: str, given: str | None, expected: str) -> None:
    result = score(target, actual, D(10), D(given) if given else None)
    assert result.value == D(expected)


def test_a_graded_score_outside_its_band_and_the_execution_rate() -> None:
    graded = score("12月底前完成", "部分达成", D(10), D(9))
    assert graded.band == (D("6.00"), D("8.00")) and not graded.band[0] <= D(9) <= graded.band[1]
    assert execution(D(100), D(95)) == (D("95.00"), D("9.50"))
    assert execution(D(100), D(102)) == (D("102.00"), D("10.00"))  # capped; a finding says so
    assert score("≥95%", "", D(10)).how == "missing"
    assert [level(D(n)) for n in ("90", "89.99", "80", "60", "59.99")] == ["优", "良", "良", "中", "差"]


def test_weights_follow_the_rules_with_and_without_a_cost_indicator() -> None:
    assert class_weights(["产出指标", "效益指标", "满意度指标"]) == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert class_weights(["成本指标", "产出指标", "效益指标", "满意度指标"]) == {
        "成本指标": 20, "产出指标": 40, "效益指标": 20, "满意度指标": 10}  # fmt: skip
    assert class_weights(["产出指标", "效益指标"]) == {"产出指标": 50, "效益指标": 40}  # 满意度 to 效益
    assert sum(class_weights(["产出指标"]).values()) == 90


def _forms(path: Path) -> list[list[object]]:
    return [list(r) for r in openpyxl.load_workbook(path)[FORM_SHEET].iter_rows(values_only=True)]


@pytest.mark.parametrize("source", ["003-wide", "001-card", "zhalaite-rows"])
def test_build_carries_every_annual_target_and_weights_sum_to_100(source: str, tmp_path: Path) -> None:
    if source == "zhalaite-rows":
        targets = zhalaite_book(tmp_path / "rows.xlsx")
    else:
        seed, layout = source.split("-")
        targets = write_workbook(tmp_path / f"{source}.xlsx", fixture_projects(seed), layout)  # type: ignore[arg-type]
    projects = read_workbook(targets).projects
    out = tmp_path / "自评.xlsx"
    assert main(["selfeval", "build", str(targets), "-o", str(out), "--year", "2024"]) == 0
    rows = _forms(out)
    titles = [r for r in rows if r[0] == "项目支出绩效自评表"]
    assert len(titles) == len(projects) and (source != "003-wide" or len(titles) == SEED_COUNTS["003"])
    assert sum(1 for r in rows if r[0] == "（2024年度）") == len(projects)
    totals = [r for r in rows if r[0] == "总分"]
    assert [r[6] for r in totals] == [100.0] * len(projects)  # 10 for 执行率 + 90 for the indicators
    back, findings = read_evaluations(out)
    assert [e.project.name for e in back] == [p.name for p in projects]
    for evaluation, project in zip(back, projects, strict=True):
        assert [(i.l3, i.annual_value) for i in evaluation.project.indicators] == [
            (i.l3, i.annual_value) for i in project.indicators]  # fmt: skip
        assert evaluation.project.amounts.total == project.amounts.total
    book = openpyxl.load_workbook(out)
    form, detail = book[FORM_SHEET], book[DETAIL_SHEET]
    assert form.protection.sheet and detail.protection.sheet  # only the cells to fill are open
    actual = next(c for row in form.iter_rows(min_row=14) for c in row if c.column == 6 and c.row > 13)
    assert actual.protection.locked is False and actual.fill.fgColor.rgb.endswith("FFF2CC")
    assert form.cell(row=3, column=1).protection.locked is not False  # the title stays locked
    assert detail.max_row - 1 == sum(len(p.indicators) for p in projects)


def _fill_form(path: Path, actuals: dict[str, tuple[str, str | None, str]], budget: float, spent: float) -> None:
    """Type what a clerk types into the forms: 全年预算数, 全年执行数 and, per 三级, the actual,
    the clerk's own score (graded indicators) and a reason."""
    book = openpyxl.load_workbook(path)
    sheet = book[FORM_SHEET]
    for row in sheet.iter_rows():
        label, name = row[1].value, row[3].value
        if label == "年度资金总额":
            row[4].value, row[5].value = budget, spent
        if name in actuals:
            actual, awarded, reason = actuals[name]
            row[5].value = actual
            row[7].value = float(awarded) if awarded else None
            row[8].value = reason or None
    book.save(path)


def test_a_filled_form_is_scored_by_the_rules_and_checked(tmp_path: Path) -> None:
    project = fixture_projects("003")[0]
    project.indicators = project.indicators[:1] + [
        type(project.indicators[0])(seq=n + 2, l1=l1, l2=l2, l3=l3, annual_value=v, period_value=v, score="10")
        for n, (l1, l2, l3, v) in enumerate([
            ("产出指标", "数量指标", "培训人次", "≥500人次"),
            ("成本指标", "经济成本指标", "培训成本", "≤90万元"),
            ("效益指标", "社会效益指标", "案件办结率", "≥90%"),
            ("效益指标", "社会效益指标", "系统完成时间", "12月底前完成"),
            ("满意度指标", "服务对象满意度指标", "群众满意度", "≥95%"),
        ])
    ]  # fmt: skip
    project.indicators[0].score = "40"
    targets = write_workbook(tmp_path / "targets.xlsx", [project], "long")
    out = tmp_path / "自评.xlsx"
    assert main(["selfeval", "build", str(targets), "-o", str(out), "--year", "2024"]) == 0
    _fill_form(out, {
        project.indicators[0].l3: ("98%", None, ""),
        "培训人次": ("480人次", None, "疫情停课两周"),
        "培训成本": ("99万元", None, ""),  # over the cap, and no reason
        "案件办结率": ("85%", "9", "结案周期延长"),  # the clerk's 9 against the rule's 9.44
        "系统完成时间": ("部分达成", "9", "延期"),  # 部分达成 allows 6–8
        "群众满意度": ("98%", None, ""),
    }, budget=100, spent=102)  # fmt: skip
    report = tmp_path / "得分.json"
    assert main(["selfeval", "score", str(out), "--json", str(report), "-o", str(tmp_path / "得分.xlsx")]) == 1
    data = json.loads(report.read_text("utf-8"))
    (scored,) = data["projects"]
    by_name = {i["l3"]: i for i in scored["indicators"]}
    assert by_name["培训人次"]["score"] == "9.60" and by_name["培训成本"]["score"] == "9.09"
    assert by_name["案件办结率"]["rule"] == "9.44" and by_name["群众满意度"]["score"] == "10.00"
    assert scored["rate"] == "102.00" and scored["execution"] == "10.00"
    assert scored["total"] == "97.13"  # 10 + 40 + 9.60 + 9.09 + 9.44 (the rule) + 9 (the clerk's, graded) + 10
    codes = {(f["code"], f.get("cell")) for f in data["findings"]}
    assert ("selfeval.execution_over", "E6") in codes  # 全年预算数 of 年度资金总额
    assert ("selfeval.band", "H17") in codes and ("selfeval.score_differs", "H16") in codes  # 得分 cells
    assert ("selfeval.no_reason", "I15") in codes  # 偏差原因 of 培训成本
    assert {c for c, _ in codes} >= {"selfeval.no_reason", "selfeval.band", "selfeval.score_differs",
                                     "selfeval.execution_over"}  # fmt: skip
    no_reason = [f for f in data["findings"] if f["code"] == "selfeval.no_reason"]
    assert [f["message"] for f in no_reason] == ["三级指标“培训成本”未完成目标（≤90万元 → 99万元），没有写偏差原因"]
    scores = list(openpyxl.load_workbook(tmp_path / "得分.xlsx")["自评得分"].values)
    assert scores[1][7] == 97.13 and scores[1][8] == "优"


def test_the_detail_sheet_reads_back_like_the_forms(tmp_path: Path) -> None:
    out = tmp_path / "自评.xlsx"
    build_selfeval(SAMPLE, out, year="2024")
    book = openpyxl.load_workbook(out)
    detail = book[DETAIL_SHEET]
    header = [c.value for c in detail[1]]
    for row in detail.iter_rows(min_row=2):
        row[header.index("实际完成值")].value = "达成"
    detail.cell(row=2, column=header.index("全年预算数") + 1).value = 572.9
    detail.cell(row=2, column=header.index("全年执行数") + 1).value = 572.9
    book.save(out)
    evaluations, _ = read_evaluations(out)
    assert len(evaluations) == SEED_COUNTS["003"]
    assert all(i.actual == "达成" for e in evaluations for i in e.project.indicators)
    first = score_files([out]).projects[0]
    assert (first.rate, first.execution, first.total) == (D("100.00"), D("10.00"), D("100.00"))


def test_libreoffice_recalculates_the_forms_to_pythons_scores(tmp_path: Path) -> None:
    office = soffice()
    out = tmp_path / "自评.xlsx"
    build_selfeval(SAMPLE, out, year="2024")
    book = openpyxl.load_workbook(out)
    sheet = book[FORM_SHEET]
    budgets = iter([(100.0, 95.0), (631.0, 700.0), (2182.73, 1000.0)])
    for row in sheet.iter_rows():
        if row[1].value == "年度资金总额":
            budget, spent = next(budgets, (10.0, 9.0))
            row[4].value, row[5].value = budget, spent
        is_indicator = isinstance(row[3].value, str) and row[3].value != "三级指标"
        if is_indicator and isinstance(row[6].value, float):
            row[5].value = "达成"
    book.save(out)
    python = score_files([out]).projects
    sheet_scores = {p.evaluation.project.name: p for p in python}
    book = openpyxl.load_workbook(out)
    sheet = book[FORM_SHEET]
    for scored in python:  # the clerk types the rule's scores into 得分
        for item in scored.indicators:
            sheet[item.item.cells["awarded"].cell] = float(item.score or 0)
    book.save(out)
    folder = tmp_path / "lo"
    folder.mkdir()
    subprocess.run([office, "--headless", "--calc", "--convert-to", "xlsx", "--outdir", str(folder), str(out)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    values = openpyxl.load_workbook(folder / out.name, data_only=True)[FORM_SHEET]
    rows = list(values.iter_rows(values_only=True))
    names = [r[1] for r in rows if r[0] == "项目名称"]
    rates = [r for r in rows if r[1] == "年度资金总额"]
    totals = [r[7] for r in rows if r[0] == "总分"]
    assert len(names) == len(rates) == len(totals) == len(python)
    for name, rate, total in zip(names, rates, totals, strict=True):
        scored = sheet_scores[name]
        assert D(str(round(rate[8], 2))) == scored.execution
        assert abs(D(str(rate[7])) * 100 - scored.rate) < D("0.01")
        assert D(str(round(total, 2))) == scored.total


SELF_EVALUATIONS = ["chizhou-tangxi-2022-selfeval", "lijiang-gucheng-2020-selfeval", "qingshen-2023-selfeval",
                    "huangshi-library-2022-selfeval", "anju-scjg-2021-regional-selfeval"]  # fmt: skip


@pytest.mark.parametrize("name", SELF_EVALUATIONS)
def test_published_self_evaluations_are_read_with_targets_actuals_and_scores(name: str) -> None:
    expected = json.loads((REAL / f"{name}.expected.json").read_text("utf-8"))
    evaluations, _ = read_evaluations(REAL / f"{name}.xlsx")
    assert len(evaluations) == len(expected["projects"]) == 1
    (evaluation,) = evaluations
    targets = [i["annual_value"] or "" for i in expected["projects"][0]["indicators"]]
    assert [i.annual_value for i in evaluation.project.indicators] == targets
    actuals = [i.actual for i in evaluation.project.indicators]
    assert name == "qingshen-2023-selfeval" or sum(1 for a in actuals if a) >= len(actuals) - 2
    scoring = score_files([REAL / f"{name}.xlsx"])
    assert len(scoring.projects) == 1 and scoring.projects[0].total >= 0


def test_where_a_published_score_differs_from_the_rule_a_finding_says_so() -> None:
    """丽江's 自评表 gives 9, 19, 19, 27 for targets met exactly (﹦72890元 → 72890 …): the rule
    gives the full weight, and each is named with its cell; 池州's scores agree with the rule."""
    scoring = score_files([REAL / "lijiang-gucheng-2020-selfeval.xlsx"])
    differs = [f for f in scoring.findings if f.code == "selfeval.score_differs"]
    assert [(f.location.cell if f.location else "") for f in differs] == ["I13", "I14", "I15", "I16"]
    assert "表中得分 9，按规则应为 10.00" in differs[0].message
    chizhou = score_files([REAL / "chizhou-tangxi-2022-selfeval.xlsx"])
    assert not [f for f in chizhou.findings if f.code in ("selfeval.score_differs", "selfeval.over_weight")]
    (project,) = chizhou.projects
    assert [i.weight for i in project.indicators][:3] == [D(8), D(8), D(8)]  # the form's own 分值


def test_consolidating_self_evaluations(tmp_path: Path) -> None:
    folder = tmp_path / "各单位"
    folder.mkdir()
    for name in SELF_EVALUATIONS:
        (folder / f"{name}.xlsx").write_bytes((REAL / f"{name}.xlsx").read_bytes())
    (folder / "坏文件.xlsx").write_bytes(b"not a workbook")
    out, report = tmp_path / "自评汇总.xlsx", tmp_path / "自评汇总.json"
    assert main(["selfeval", "consolidate", str(folder), "-o", str(out), "--json", str(report)]) == 1
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["项目得分", "部门汇总", "未完成指标", "指标得分", "校验结果"]
    projects = list(book["项目得分"].values)
    assert len(projects) == 1 + len(SELF_EVALUATIONS)
    data = json.loads(report.read_text("utf-8"))
    assert [f["status"] for f in data["files"]].count("failed") == 1
    departments = list(book["部门汇总"].values)
    assert sum(r[1] for r in departments[1:]) == len(SELF_EVALUATIONS)
    assert book["部门汇总"]._charts  # the distribution, charted
    for row in projects[1:]:
        assert row[10].endswith(".xlsx") and row[12]  # provenance: file and cell


def test_a_target_changed_since_approval_and_an_actual_in_another_unit_are_named(tmp_path: Path) -> None:
    targets = write_workbook(tmp_path / "targets.xlsx", fixture_projects("003")[:1], "wide")
    out = tmp_path / "自评.xlsx"
    build_selfeval(targets, out, year="2024")
    book = openpyxl.load_workbook(out)
    sheet = book[FORM_SHEET]
    rows = [r for r in sheet.iter_rows() if isinstance(r[6].value, int | float) and isinstance(r[3].value, str)]
    first, second = [r for r in rows if r[3].value != "三级指标"][:2]
    first[4].value = "≥90%"  # the approved target was ≥95%
    first[5].value = "96%"
    second[5].value = "95件"  # a satisfaction rate answered in 件
    book.save(out)
    report = tmp_path / "r.json"
    main(["selfeval", "score", str(out), "--targets", str(targets), "--json", str(report)])
    findings = json.loads(report.read_text("utf-8"))["findings"]
    changed = [f for f in findings if f["code"] == "selfeval.target_changed"]
    assert [(f["cell"], f["message"]) for f in changed] == [
        (f"E{first[4].row}", "三级指标“非编人员年度考核合格率”的年度指标值“≥90%”与批复的目标“≥95%”不同")]
    assert [f["cell"] for f in findings if f["code"] == "selfeval.unit"] == [f"F{second[5].row}"]


def test_build_refuses_targets_without_a_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hengyang = __import__("regions").hengyang_book(tmp_path / "衡阳.xlsx")  # a unit's own targets only
    assert main(["selfeval", "build", str(hengyang), "-o", str(tmp_path / "out.xlsx")]) == 1
    assert "没有带绩效指标的项目" in capsys.readouterr().err and not (tmp_path / "out.xlsx").exists()
