"""Several reports through one Great Expectations run give each the verdict it gets alone.

``judge_many`` stacks the reports' frames, runs each suite once (the score suite once per
framework) and splits the results back per report (``validate/batching.py``). Held here
to ``judge``, one report at a time, on real documents of four frameworks (the samples and
the MoF forms) and on copies broken on purpose, so that failing rows, sums, totals,
budgets, row conditions and a report without scores are all in one batch.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao import ingest, paths
from jixiao.errors import DocumentError
from jixiao.extract.document import extract_document
from jixiao.normalize.report import normalize_document, unparsed_report
from jixiao.validate import batching, gx_runner
from jixiao.validate.verdict import judge, judge_many

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = ["huangpu-2022", "potou-2022", "baiyun-2022", "panyu-2023"]


def _reports() -> list:
    manifests = [paths.DEFAULT_SOURCES, FIXTURES / "frameworks" / "sources.yaml"]
    sources, errors = ingest.read_sources(manifests)
    assert not errors
    sources = [s for s in sources if s.id in SAMPLES or "-dept-" in s.id or "-proj" in s.id]
    out = []
    for source in sources:
        fetched = ingest.fetch(source)
        try:
            out.append(normalize_document(source, fetched, extract_document(fetched.path)))
        except DocumentError as e:  # pragma: no cover - the fixtures all read
            out.append(unparsed_report(source, fetched, e))
    return out


def _broken(report, k: int):
    """A copy of ``report`` with one thing wrong, by ``k``."""
    bad = copy.deepcopy(report)
    bad.report_id = f"{k:064x}"
    scored = [f for f in bad.scores if f.score is not None and f.level and f.level >= 2]
    if k % 5 == 0 and scored:  # a score above its weight: sums and bounds fail
        f = scored[0]
        bad.scores[bad.scores.index(f)] = replace(f, score=(f.weight or 0) + Decimal("3"))
    elif k % 5 == 1:  # no scores at all
        bad.scores = []
    elif k % 5 == 2 and bad.budgets:  # an amount off: the budget reconciliations fail
        b = next((b for b in bad.budgets if b.amount_yuan), bad.budgets[0])
        bad.budgets[bad.budgets.index(b)] = replace(b, amount_yuan=Decimal("-5"))
    elif k % 5 == 3:  # a year no report has
        bad.source = replace(bad.source, year=1990)
    else:  # a grade that does not match the total
        bad.grade, bad.grade_is_derived = "差", False
    return bad


@pytest.fixture(scope="module")
def reports() -> list:
    real = _reports()
    return real + [_broken(r, k) for k, r in enumerate(real)]


def test_a_batch_gets_the_verdicts_each_report_gets_alone(reports, monkeypatch):
    alone = [judge(copy.deepcopy(r)) for r in reports]

    runs, fallbacks = [], []
    run, split = gx_runner.GXRunner.run, batching.split

    def counting_run(self, suite_name, frame, *args, **kwargs):
        runs.append((suite_name, len(frame)))
        return run(self, suite_name, frame, *args, **kwargs)

    def checked_split(result, frames):
        try:
            return split(result, frames)
        except batching.NotSplittable as e:  # pragma: no cover - the test fails below
            fallbacks.append(str(e))
            raise

    monkeypatch.setattr(gx_runner.GXRunner, "run", counting_run)
    monkeypatch.setattr(batching, "split", checked_split)
    together = judge_many([copy.deepcopy(r) for r in reports])

    assert fallbacks == []
    for a, b in zip(alone, together, strict=True):
        assert (b.source.id, b.status, b.status_reason) == (a.source.id, a.status, a.status_reason)
        assert b.checks == a.checks, a.source.id
    # not vacuous: several frameworks, failures of every kind, valid and invalid reports
    assert len({r.framework_code for r in together}) >= 3
    assert {r.status for r in together} == {"valid", "invalid"}
    failed = {c.check_name for r in together for c in r.checks if not c.passed}
    assert {"score_within_weight", "has_scores", "year_plausible"} <= failed
    assert any(name.startswith("budget_") for name in failed)
    # one run per suite (the score suite once per framework), plus each project's own
    per_report = [name for name, rows in runs if name == "dim_report"]
    assert per_report == ["dim_report"]
    projects = sum(len(r.projects) for r in reports)
    assert len(runs) <= 2 + len({r.framework_code for r in reports}) + projects
