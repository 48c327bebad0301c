"""Reports without a score, through the real flow: grade-only reports load with their
grade and budgets and no total; unfilled forms load invalid (scores_not_filled) with
no score of 0 and no grade. Expected values: the CSV beside each document
(tests/fixtures/frameworks/, written by tools/make_unscored.py)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from jixiao.model import ScoreFact
from jixiao.normalize.scores import blank_unfilled_scores
from jixiao.reference import grade_of_word

FRAMEWORKS = Path(__file__).parent / "fixtures" / "frameworks"
GRADE_ONLY = FRAMEWORKS / "grade_only"
UNFILLED = FRAMEWORKS / "unfilled"


def _truth(folder: Path) -> dict[str, list[dict]]:
    """Each document's expected rows (``what,name,measure,value``), by manifest id."""
    ids = [e["id"] for e in yaml.safe_load((folder / "manifest.yaml").read_text("utf-8"))]
    return {
        i: list(csv.DictReader((folder / f"{i}.csv").read_text("utf-8").splitlines())) for i in ids
    }


def _report(rows: list[dict], name: str) -> str | None:
    value = next(r["value"] for r in rows if r["what"] == "report" and r["name"] == name)
    return value or None


@pytest.fixture(scope="module")
def unscored_run(prefect_harness, tmp_path_factory):
    from jixiao_flows.ingest import ingest_flow

    db = Path(tmp_path_factory.mktemp("unscored")) / "w.duckdb"
    sources = [str(GRADE_ONLY / "manifest.yaml"), str(UNFILLED / "manifest.yaml")]
    outcomes = ingest_flow(sources=sources, db=str(db))
    con = duckdb.connect(str(db), read_only=True)
    yield {"con": con, "outcomes": outcomes}
    con.close()


def test_the_corpus_has_four_layouts_from_four_producers_per_family():
    for folder in (GRADE_ONLY, UNFILLED):
        truth = _truth(folder)
        suffixes = {p.suffix for i in truth for p in folder.glob(f"{i}.*") if p.suffix != ".csv"}
        assert len(truth) >= 4 and suffixes == {".docx", ".xlsx", ".html", ".pdf"}


@pytest.mark.parametrize("source_id", list(_truth(GRADE_ONLY)))
def test_a_grade_only_report_loads_its_grade_and_budgets_and_no_total(unscored_run, source_id):
    con, rows = unscored_run["con"], _truth(GRADE_ONLY)[source_id]
    report_id, status, grade, derived, source_format = con.execute(
        "select report_id, status, grade, grade_is_derived, source_format from dim_report "
        "where source_id = ?",
        [source_id],
    ).fetchone()
    assert (status, grade, derived) == ("valid", _report(rows, "grade"), False)
    assert source_format == source_id.rsplit("-", 1)[1].replace("reportlab", "pdf")
    # no score at all: never a made-up number
    assert con.execute(
        "select count(*) from fact_indicator_score where report_id = ?", [report_id]
    ).fetchone() == (0,)
    assert _report(rows, "total") is None
    budgets = {
        (item, measure): rate if measure == "execution_rate" else amount
        for item, measure, amount, rate in con.execute(
            "select item, measure, amount_yuan, rate from fact_budget where report_id = ?",
            [report_id],
        ).fetchall()
    }
    expected = {
        (r["name"], r["measure"]): Decimal(r["value"]) for r in rows if r["what"] == "budget"
    }
    assert budgets == expected
    checks = dict(
        con.execute(
            "select check_name, passed from check_result where report_id = ? "
            "and check_name in ('score_stated', 'has_scores')",
            [report_id],
        ).fetchall()
    )
    assert checks == {"score_stated": False, "has_scores": True}  # a warning, not an error


@pytest.mark.parametrize("source_id", list(_truth(UNFILLED)))
def test_an_unfilled_form_is_invalid_with_no_score_and_no_grade(unscored_run, source_id):
    con, rows = unscored_run["con"], _truth(UNFILLED)[source_id]
    report_id, status, reason, grade = con.execute(
        "select report_id, status, status_reason, grade from dim_report where source_id = ?",
        [source_id],
    ).fetchone()
    assert status == _report(rows, "status") == "invalid"
    assert reason.startswith(_report(rows, "reason") + " ")
    assert grade is None and _report(rows, "grade") is None
    scores = con.execute(
        "select f.printed_name, i.level, f.weight, f.score from fact_indicator_score f "
        "join dim_indicator i using (indicator_code) where f.report_id = ?",
        [report_id],
    ).fetchall()
    assert [s for s in scores if s[3] is not None] == []  # no score, in particular no 0
    weights = {name: weight for name, level, weight, _ in scores if level == 3}
    expected = {r["name"]: Decimal(r["value"]) for r in rows if r["what"] == "indicator"}
    assert weights == expected
    assert (0, Decimal(100)) in {(level, weight) for _, level, weight, _ in scores}
    failed = con.execute(
        "select severity, passed from check_result where report_id = ? "
        "and check_name = 'scores_not_filled'",
        [report_id],
    ).fetchall()
    assert failed == [("error", False)]


def test_no_unscored_report_reaches_the_comparison_views_with_a_number(unscored_run):
    con = unscored_run["con"]
    ids = list(_truth(GRADE_ONLY)) + list(_truth(UNFILLED))
    n = con.execute(
        "select count(*) from v_scores_all where source_id in (select unnest(?::varchar[])) "
        "and score is not null",
        [ids],
    ).fetchone()
    assert n == (0,)


# -- the rules on inline facts -------------------------------------------------------


def _fact(name: str, level: int, weight: str, score: str | None) -> ScoreFact:
    return ScoreFact(
        name, level, Decimal(weight), None if score is None else Decimal(score), 1, name
    )


@pytest.mark.parametrize(
    ("word", "grade"),
    [("优秀", "优"), ("良好", "良"), ("合格", "中"), ("中等", "中"), ("不合格", "差"),
     ("“优秀”", "优"), ("优", "优"), ("很好", None), (None, None)],
)  # fmt: skip
def test_grade_words_mean_their_grade(word, grade):
    assert grade_of_word(word) == grade


def test_zeros_with_nothing_scored_are_no_scores():
    facts = [_fact("总分", 0, "100", "0"), _fact("产出指标", 1, "50", None)]
    checks = blank_unfilled_scores(facts)
    assert [f.score for f in facts] == [None, None]
    assert [(c.check_name, c.severity, c.passed) for c in checks] == [
        ("scores_not_filled", "error", False)
    ]
    assert "the 0 printed for 总分 is not a score" in checks[0].detail


def test_one_score_above_zero_makes_a_filled_form_and_keeps_its_zeros():
    facts = [_fact("总分", 0, "100", "40"), _fact("产出指标", 1, "50", "0")]
    assert blank_unfilled_scores(facts) == []
    assert [f.score for f in facts] == [Decimal(40), Decimal(0)]
