"""Only self-evaluations count: the document-type classifier on look-alikes and real negatives.

Look-alikes (``tools/make_doctypes.py``) use a self-evaluation's words: a 决算
stating "绩效自评…平均得分 99.43 分", a 预算 with 项目支出绩效目标表 pages, a
目标申报表, a third-party evaluation with a scored indicator table. Real
negatives are the published 江苏 budget PDFs in ``../shared/realworld/negatives``
(provenance in its README), never copied here: their tests skip when that
folder is absent (``JIXIAO_SHARED_DIR`` points elsewhere).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
import yaml

from jixiao.errors import NotASelfEvaluation
from jixiao.extract.classify import classify
from jixiao.extract.document import extract_document
from jixiao.extract.pdf import read_pdf
from jixiao.extract.prose import extract_prose
from jixiao.model import TextLine
from jixiao.paths import RAW

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(os.environ.get("JIXIAO_SHARED_DIR", ROOT.parent / "shared"))
NEGATIVES = SHARED / "realworld" / "negatives"
LOOK_ALIKES = {
    "juesuan-2023-perf.pdf": "final_accounts",
    "budget-2024-targets.pdf": "budget",
    "target-2024-dept.pdf": "target_table",
    "thirdparty-2023.pdf": "third_party_evaluation",
    "project-2023-selfeval.pdf": "project_self_eval_table",
}
POSITIVES = {
    **{f"samples/{n}.pdf": "dept_self_eval_report" for n in ("potou-2022", "baiyun-2022")},
    "samples/panyu-2023.pdf": "dept_self_eval_report",
    "samples/huangpu-2022.pdf": "dept_self_eval_table",
}
needs_shared = pytest.mark.skipif(
    not NEGATIVES.is_dir(),
    reason=f"real negatives not found at {NEGATIVES} (../shared beside the clone, "
    "or JIXIAO_SHARED_DIR): skipped",
)


def doc_type(path: Path) -> str:
    return classify(read_pdf(path).lines).doc_type


@pytest.mark.parametrize("name", sorted(LOOK_ALIKES))
def test_look_alikes_are_told_apart(name):
    assert doc_type(FIXTURES / "doctypes" / name) == LOOK_ALIKES[name]


@pytest.mark.parametrize("name", sorted(POSITIVES))
def test_samples_are_self_evaluations(name):
    assert doc_type(RAW / name) == POSITIVES[name]


def test_layout_corpus_is_all_self_evaluations():
    got = {p.stem: doc_type(p) for p in sorted((FIXTURES / "layouts").glob("*.pdf"))}
    assert len(got) == 13  # 12 layouts + the faithful seed-001 reproduction (huangpu-2022-calc)
    # the Writer layouts are narrative reports with the table attached
    assert got == {
        stem: "dept_self_eval_report" if "writer" in stem else "dept_self_eval_table"
        for stem in got
    }


def test_final_accounts_without_its_title_is_still_not_a_self_evaluation():
    """Headings and words alone: a tie must never load a document."""
    lines = read_pdf(FIXTURES / "doctypes" / "juesuan-2023-perf.pdf").lines[1:]
    kind = classify(lines)
    assert kind.doc_type == "final_accounts" and not kind.is_self_evaluation
    assert "heading 收入支出决算总表" in kind.reason


def test_a_final_accounts_report_is_refused_with_its_type_and_reason():
    with pytest.raises(NotASelfEvaluation) as caught:
        extract_document(FIXTURES / "doctypes" / "juesuan-2023-perf.pdf")
    doc, _, reason = str(caught.value).partition(": ")
    assert doc == "final_accounts"
    assert reason.startswith("title 「广州市某区卫生健康局2023年度部门决算」")


def test_the_title_is_the_first_line_that_reads_as_one():
    """附件1 is passed over; a section heading after the title (…绩效目标) is no title."""
    lines = [
        TextLine(1, t)
        for t in ("附件1", "部门整体支出绩效自评表说明", "（一）部门整体支出绩效目标")
    ]
    kind = classify([*lines, TextLine(1, "一、绩效自评情况 自评结论")])
    assert kind.doc_type == "dept_self_eval_report"
    assert kind.reason.startswith("title 「部门整体支出绩效自评表说明」")


def test_unknown_text_is_other():
    kind = classify([TextLine(1, "Annual budget 2019"), TextLine(1, "Total 1,234.56")])
    assert kind.doc_type == "other" and "no title, heading or table" in kind.reason


def test_an_average_score_is_never_a_total():
    lines = [
        TextLine(1, "部门整体支出绩效自评报告"),
        TextLine(1, "从绩效自评情况看，项目绩效自评平均得分99.43分，自评等级均为优。"),
    ]
    assert extract_prose(lines).scores == []
    lines.append(TextLine(1, "部门整体支出绩效自评得分96.5分。"))
    [total] = extract_prose(lines).scores
    assert (total.level, str(total.score)) == (0, "96.5")


# -- the real flow: other documents are recorded, never loaded -----------------


def _run(folder: Path, files: dict[str, Path]) -> duckdb.DuckDBPyConnection:
    from jixiao_flows.ingest import ingest_flow

    entries = [
        {
            "id": source_id,
            "district_code": "440112",
            "year": 2022,
            "department": "政务服务数据管理局",
            "path": str(path),
        }
        for source_id, path in files.items()
    ]
    manifest = folder / "doctypes.yaml"
    manifest.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    db = folder / "w.duckdb"
    ingest_flow(sources=[str(manifest)], db=str(db))
    return duckdb.connect(str(db), read_only=True)


@pytest.fixture(scope="module")
def look_alike_run(prefect_harness, tmp_path_factory):
    files = {n.removesuffix(".pdf"): FIXTURES / "doctypes" / n for n in LOOK_ALIKES}
    files["juesuan-2022"] = FIXTURES / "hostile" / "juesuan-2022.pdf"
    files["potou-2022"] = RAW / "samples" / "potou-2022.pdf"
    con = _run(Path(tmp_path_factory.mktemp("doctypes")), files)
    yield con
    con.close()


def test_other_documents_are_unparsed_with_type_and_reason(look_alike_run):
    rows = look_alike_run.execute(
        "select source_id, doc_type, status, status_reason, source_format from dim_report"
    ).fetchall()
    got = {r[0]: r[1:3] for r in rows}
    assert got == {
        "juesuan-2023-perf": ("final_accounts", "unparsed"),
        "budget-2024-targets": ("budget", "unparsed"),
        "target-2024-dept": ("target_table", "unparsed"),
        "thirdparty-2023": ("third_party_evaluation", "unparsed"),
        "juesuan-2022": ("final_accounts", "unparsed"),
        "project-2023-selfeval": ("project_self_eval_table", got["project-2023-selfeval"][1]),
        "potou-2022": ("dept_self_eval_report", "valid"),
    }
    for _source_id, doc, status, reason, fmt in rows:
        assert fmt == "pdf"
        if status == "unparsed":
            cls = (
                "project_table_not_loaded"
                if doc == "project_self_eval_table"
                else ("not_a_self_evaluation_report")
            )
            assert reason.startswith(f"{cls}: {doc}: title 「"), reason
    reasons = dict(
        look_alike_run.execute("select source_id, doc_type_reason from dim_report").fetchall()
    )
    assert "heading 收入支出决算总表" in reasons["juesuan-2023-perf"]


def test_nothing_of_other_documents_reaches_a_fact_table(look_alike_run):
    for table in ("fact_indicator_score", "fact_budget"):
        loaded = look_alike_run.execute(
            f"""select distinct doc_type from {table} join dim_report using (report_id)
                where doc_type not like '%self_eval%'"""
        ).fetchall()
        assert loaded == [], table
    # the 决算's "项目绩效自评平均得分99.43分" never became anybody's total
    totals = look_alike_run.execute(
        "select score from fact_indicator_score where indicator_code = '0'"
    ).fetchall()
    assert (99.43,) not in [(float(s),) for (s,) in totals]


@needs_shared
def test_real_negatives_are_never_self_evaluations():
    pdfs = sorted(NEGATIVES.glob("*.pdf"))
    assert len(pdfs) == 8
    got = {p.name: doc_type(p) for p in pdfs}
    assert all(t in ("budget", "final_accounts", "other") for t in got.values()), got
    assert sum(t == "budget" for t in got.values()) == 8, got


@needs_shared
def test_real_negatives_in_the_flow_load_nothing(prefect_harness, tmp_path):
    files = {p.stem.replace("_", "-"): p for p in sorted(NEGATIVES.glob("*.pdf"))}
    con = _run(tmp_path, files)
    try:
        statuses = con.execute("select status, count(*) from dim_report group by all").fetchall()
        assert statuses == [("unparsed", 8)]
        reasons = con.execute("select status_reason from dim_report").fetchall()
        assert all(r.startswith("not_a_self_evaluation_report: budget: ") for (r,) in reasons)
        for table in ("fact_indicator_score", "fact_budget"):
            assert con.execute(f"select count(*) from {table}").fetchone() == (0,)
    finally:
        con.close()


def test_a_title_saying_evaluation_report_needs_an_outside_evaluator():
    title = TextLine(1, "某区政务服务数据管理局2023年度部门整体支出绩效评价报告")
    body = TextLine(1, "本单位对照部门整体支出绩效评价指标体系开展了自评，自评得分95分。")
    assert classify([title, body]).doc_type == "dept_self_eval_report"
    outside = TextLine(1, "受区财政局委托，某会计师事务所作为第三方评价机构开展评价。")
    assert classify([title, outside]).doc_type == "third_party_evaluation"
