"""Frameworks as data, and the MoF 2020 forms read to every row, total and budget figure.

tests/fixtures/frameworks/<family>/ holds documents made by tools/make_forms.py
(LibreOffice Calc and Writer, reportlab, Chromium exports; an .xlsx and a .docx as
published) with, beside each, the rows and budget figures the script printed
(``<id>.csv``, ``<id>.budget.csv``): never jixiao's output.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import yaml

from jixiao.extract.document import extract_document
from jixiao.ingest import fetch, read_sources
from jixiao.load.warehouse import connect, load_dimensions, load_report
from jixiao.model import DocumentFacts, Project, ScoreFact
from jixiao.normalize.report import normalize_document, report_framework, unique_project_names
from jixiao.normalize.scores import normalize_scores
from jixiao.reference.framework import frameworks, match_framework
from jixiao.reference.indicators import all_indicators, dictionary
from jixiao.validate.coverage import framework_parameters
from jixiao.validate.verdict import judge
from jixiao.validate.warehouse import validate_warehouse

CORPUS = Path(__file__).parent / "fixtures" / "frameworks"
MANIFEST = CORPUS / "sources.yaml"
ENTRIES = {e["id"]: e for e in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))}
IDS = sorted(ENTRIES)


def family(source_id: str) -> str:
    return ENTRIES[source_id]["path"].split("/")[0]


@cache
def record(source_id: str):
    """Extract, normalize and judge one corpus document as ingest does (in process)."""
    (source,), errors = read_sources([MANIFEST], only=[source_id])
    assert errors == []
    fetched = fetch(source)
    return judge(normalize_document(source, fetched, extract_document(fetched.path)))


def truth(source_id: str, kind: str = "") -> list[dict]:
    name = f"{source_id}.budget.csv" if kind == "budget" else f"{source_id}.csv"
    with open(CORPUS / family(source_id) / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def forms(rec) -> dict[str, tuple[list, list]]:
    """Each form of a report by project name ("" = the department's): scores, budgets."""
    out = {p.name: (p.scores, p.budgets) for p in rec.projects}
    if rec.scores:
        out[""] = (rec.scores, rec.budgets)
    return out


# --------------------------------------------------------------------------- corpus


def test_corpus_has_four_layouts_per_family_from_three_producers():
    specs = yaml.safe_load((Path(__file__).parents[1] / "tools/layouts/forms.yaml").read_text())
    for fam in ("mof-dept", "mof-project"):
        docs = [d for d in specs["documents"] if d["family"] == fam]
        assert len(docs) >= 4 and len({d["producer"] for d in docs}) >= 3
        assert all(d["district"] in {e["district_code"] for e in ENTRIES.values()} for d in docs)
    assert sorted(ENTRIES) == sorted(d["id"] for d in specs["documents"])


@pytest.mark.parametrize("source_id", IDS)
def test_every_row_and_total_of_every_form(source_id):
    rec = record(source_id)
    by_form = forms(rec)
    expected = truth(source_id)
    assert sorted(by_form) == sorted({row["project"] for row in expected})
    for name, (scores, _budgets) in by_form.items():
        rows = [r for r in expected if r["project"] == name]
        by_path = {f.path: f for f in scores}
        for row in rows:
            path = "/".join(p for p in (row["l1"], row["l2"], row["l3"]) if p)
            fact = by_path.get(path)
            assert fact is not None, f"{source_id} {name}: {path} not read"
            got = (fact.weight, fact.score)
            assert got == (Decimal(row["weight"]), Decimal(row["score"])), (source_id, path)
        leaves = [f for f in scores if f.level == 3]
        assert len(leaves) == sum(1 for r in rows if r["l3"]), (source_id, name)


@pytest.mark.parametrize("source_id", IDS)
def test_every_budget_figure_and_execution_rate(source_id):
    rec = record(source_id)
    by_form = forms(rec)
    for name, (_scores, budgets) in by_form.items():
        expected = {
            (name if r["item"] == "年度资金总额" else r["item"], r["measure"]): (
                Decimal(r["amount_yuan"]) if r["amount_yuan"] else None,
                Decimal(r["rate"]) if r["rate"] else None,
            )
            for r in truth(source_id, "budget")
            if r["project"] == name
        }
        got = {(b.item, b.measure): (b.amount_yuan, b.rate) for b in budgets if b.origin == "table"}
        assert got == expected, source_id


@pytest.mark.parametrize("source_id", IDS)
def test_each_form_is_valid_in_its_own_framework(source_id):
    rec = record(source_id)
    failed = [c for c in rec.checks if c.severity == "error" and not c.passed]
    assert failed == [] and rec.status == "valid", [(c.check_name, c.detail) for c in failed]
    assert rec.framework_code == family(source_id)
    assert all(p.framework_code == "mof-project" for p in rec.projects)
    if family(source_id) == "mof-dept":
        execution = next(f for f in rec.scores if f.indicator_code == "mof-dept:1")
        assert execution.weight == 10 and execution.path == "预算执行率"
        total = next(f for f in rec.scores if f.level == 0)
        level1 = [f for f in rec.scores if f.level == 1]
        assert sum(f.score for f in level1) == total.score  # 总分 = 执行 + 指标
    else:
        assert rec.scores == [] and len(rec.projects) >= 2


# --------------------------------------------------------------------------- frameworks


def test_frameworks_are_files_with_guangdong_codes_unchanged():
    assert list(frameworks()) == [
        "guangdong", "chongqing", "common-jgcx", "common-tgcx", "mof-dept", "mof-project",
        "printed",
    ]  # fmt: skip
    gd = dictionary("guangdong")
    assert len(gd.indicators) == 39
    assert gd.by_code["2.7.2"].path == "管理效率/运行成本/“三公”经费控制情况"
    assert gd.by_code["1.1.1"].level == 3 and gd.by_code["1.1.1"].framework_code == "guangdong"
    for code, ind in all_indicators().by_code.items():
        if code != "0":
            assert code.startswith(f"{ind.framework_code}:") or ind.framework_code == "guangdong"
    assert all_indicators().by_code["0"].framework_code is None
    assert dictionary("mof-dept").by_code["mof-dept:3.4"].path == "效益指标/可持续影响指标"


def test_printed_names_choose_the_framework():
    assert match_framework(["履职效能", "管理效率", "预算编制"]).code == "guangdong"
    assert match_framework(["产出指标", "数量指标", "效益指标"]).code == "mof-dept"
    assert match_framework(["产出指标", "数量指标"], scope="项目").code == "mof-project"
    assert match_framework(["决策", "过程", "产出", "效益"]).code == "common-jgcx"
    assert match_framework(["规划", "执行", "效果", "目标管理"]).code == "printed"
    assert match_framework(["履职效能"]).code == "printed"  # one name is not enough


def test_coverage_expects_the_reports_own_framework():
    mof = framework_parameters("mof-dept")["framework_min_children"]
    assert mof == {"0": 4, "mof-dept:2": 1, "mof-dept:3": 1, "mof-dept:4": 1}
    assert framework_parameters()["framework_min_children"]["2"] == 7  # Guangdong's
    assert framework_parameters("printed")["framework_min_children"] == {}


def fact(name, level, weight, score, parent=None, row=0):
    return ScoreFact(name, level, Decimal(weight), Decimal(score), 1, name, "table",
                     parent_printed=parent, row_index=row)  # fmt: skip


def test_a_table_of_no_known_framework_loads_as_printed_with_a_warning():
    table = [
        fact("规划", 1, "15", "14", row=0),
        fact("目标管理", 2, "15", "14", parent="L1#0", row=1),
        fact("执行", 1, "85", "80", row=2),
        fact("总分", 0, "100", "94", row=3),
    ]
    table[0].span_key = "L1#0"  # the span key the table gives its children
    facts = DocumentFacts(n_pages=1, doc_kind="score_table", scores=table)
    fw, checks = report_framework(facts)
    assert fw.code == "printed"
    assert [(c.check_name, c.severity, c.passed) for c in checks] == [
        ("framework_as_printed", "warning", False)
    ]
    coded, more = normalize_scores(table, [], fw.code)
    codes = {f.printed_name: (f.indicator_code, f.parent_code, f.level) for f in coded}
    assert codes == {
        "规划": ("printed:规划", "0", 1),
        "目标管理": ("printed:规划/目标管理", "printed:规划", 2),
        "执行": ("printed:执行", "0", 1),
        "总分": ("0", None, 0),
    }
    assert not [c for c in more if c.check_name == "unmapped"]


# --------------------------------------------------------------------------- warehouse


def test_forms_load_into_the_warehouse(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_dimensions(con)
    for source_id in ("furong-2021-dept-calc", "hengyang-2021-projects-calc"):
        load_report(con, record(source_id))
    load_report(con, record("hengyang-2021-projects-calc"))  # again: replaced, not doubled

    def q(sql):
        return con.execute(sql).fetchall()

    assert q("select framework_code, scope from dim_framework order by 1") == [
        ("chongqing", "部门整体"),
        ("common-jgcx", "部门整体"),
        ("common-tgcx", "部门整体"),
        ("guangdong", "部门整体"),
        ("mof-dept", "部门整体"),
        ("mof-project", "项目"),
        ("printed", "部门整体"),
    ]
    assert q("select source_id, framework_code, status from dim_report order by 1") == [
        ("furong-2021-dept-calc", "mof-dept", "valid"),
        ("hengyang-2021-projects-calc", "mof-project", "valid"),
    ]
    assert q(
        "select item, amount_yuan, rate from fact_budget where measure in ('actual', "
        "'execution_rate') and item = '部门预算' order by measure"
    ) == [("部门预算", Decimal("176750200.00"), None), ("部门预算", None, Decimal("0.969900"))]
    assert q(
        "select indicator_code, weight, score from fact_indicator_score "
        "where indicator_code in ('0', 'mof-dept:1') order by 1"
    ) == [("0", Decimal("100.000"), Decimal("97.200")), ("mof-dept:1", 10, Decimal("9.700"))]
    assert q(
        "select project_name, budget_yuan, actual_yuan, execution_rate, execution_score, "
        "total_score, grade from v_projects order by source_page"
    ) == [
        ("农村公路提质改造工程", Decimal("45306000.00"), Decimal("44565200.00"),
         Decimal("0.983600"), Decimal("9.840"), Decimal("98.140"), "优"),
        ("县乡道安全生命防护工程", Decimal("9023500.00"), Decimal("9000000.00"),
         Decimal("0.997400"), Decimal("9.970"), Decimal("99.970"), "优"),
    ]  # fmt: skip
    n = q("select count(*) from fact_project_indicator")[0][0]
    assert n == sum(len(p.scores) for p in record("hengyang-2021-projects-calc").projects)
    leaf = q(
        "select i.framework_code, i.path from fact_project_indicator f join dim_indicator i "
        "using (indicator_code) where f.printed_name = '每公里改造成本'"
    )
    assert leaf == 2 * [("mof-project", "产出指标/成本指标/每公里改造成本")]  # in both forms
    checks = validate_warehouse(tmp_path / "w.duckdb", con=con)
    subjects = {c.subject for c in checks}
    assert "fact_project (report_id, project_name)" in subjects
    assert "fact_project_indicator.indicator_code → dim_indicator.indicator_code" in subjects
    assert [c for c in checks if c.severity == "error" and not c.passed] == []


def test_a_project_name_on_two_forms_is_kept_apart_not_a_key_clash():
    projects = [Project("校舍维修", 1), Project("校舍维修", 3), Project("营养餐", 4)]
    renamed, checks = unique_project_names(projects)
    assert [p.name for p in renamed] == ["校舍维修", "校舍维修（2）", "营养餐"]
    assert [p.name for p in projects] == ["校舍维修", "校舍维修", "营养餐"]  # new records
    assert [(c.check_name, c.subject, c.severity) for c in checks] == [
        ("project_name_repeated", "校舍维修（2）", "warning")
    ]


def test_report_local_indicators_belong_to_the_framework_of_their_form():
    from dataclasses import replace

    from jixiao.load.warehouse import _unmapped_indicators

    dept = record("furong-2021-dept-calc")  # a department form with project forms attached
    both = replace(dept, projects=record("hengyang-2021-projects-calc").projects)
    rows = _unmapped_indicators(None, both)
    owners = {r["indicator_code"].split(":")[0]: set() for r in rows}
    for r in rows:
        owners[r["indicator_code"].split(":")[0]].add(r["framework_code"])
    assert owners == {"mof-dept": {"mof-dept"}, "mof-project": {"mof-project"}}
