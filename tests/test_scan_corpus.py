"""The scan-feature corpus (issue 18): every row right, or the report not valid.

``tests/fixtures/scans/corpus/`` holds the 黄埔区 2022 自评表 scanned as real scanning
leaves it, one or two features per document (``tools/make_scans.py corpus``): a red
公章 over score cells and over the budget amounts, a signature across score cells,
photocopy darkening, 100 / 150 / 200 / 300 dpi, pages fed turned 90° / 180° / 270°, and
typed pages beside scanned ones. Beside each, ``<name>.json``: its manifest entry, what
was done to the scan, and the printed table in the layout fuzzer's truth format.

Each document is read the way ingest reads it (extract → normalize → judge, through
``tools/fuzz.py``) and scored like the fuzzer's: a row is *right* (name, weight, score
and both parents as printed), *flagged* (not right, the report is not valid) or
*silent* / *missed* (not right in a valid report). The bar: nothing silent or missed,
no budget figure wrong in a valid report. ``-s`` prints the counts (docs/ocr.md).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "fixtures" / "scans" / "corpus"
TOOLS = Path(__file__).parents[1] / "tools"
RECORDS = sorted(CORPUS.glob("*.json"))


@cache
def fuzz():
    sys.path.insert(0, str(TOOLS))
    import fuzz as module

    return module


def outcome(record: Path, tmp: Path) -> tuple[str, Counter, Counter, list[str]]:
    """(status, row outcomes, budget outcomes, the failed error checks) of one scan."""
    rec = json.loads(record.read_text(encoding="utf-8"))
    report = fuzz().read_document(record.with_suffix(".pdf"), rec["spec"], tmp)
    errors = [
        f"{c.check_name}: {c.subject}"
        for c in report.checks
        if c.severity == "error" and not c.passed
    ]
    rows = Counter(fuzz().score_rows(report, rec["truth"]))
    budget = Counter(fuzz().score_budget(report, rec["truth"]))
    return report.status, rows, budget, errors


@pytest.mark.parametrize("record", RECORDS, ids=[r.stem for r in RECORDS])
def test_every_row_is_right_or_the_report_is_not_valid(record, tmp_path):
    status, rows, budget, errors = outcome(record, tmp_path)
    print(f"\n{record.stem}: {status}; rows {dict(rows)}; budget {dict(budget)}; {errors}")
    assert sum(rows.values()) >= 26
    assert not rows["silent"] and not rows["missed"], (status, rows)
    assert not budget["silent"], (status, budget)
    if status == "valid":
        assert rows["right"] == 26 and budget["right"] == 3, (rows, budget)
    else:
        assert errors, "an invalid report names why"


def test_the_corpus_covers_every_scan_feature():
    features: set = set()
    for record in RECORDS:
        scan = json.loads(record.read_text(encoding="utf-8"))["scan"]
        features |= {scan["dpi"]} | {t for t in scan["turns"] if t}
        features |= {"text page" for t in scan["turns"] if t is None}
        for page in scan["features"].values():
            features |= set(page)
    assert {100, 150, 200, 300, 90, 180, 270, "text page"} <= features
    assert {"stamps", "signatures", "photocopy"} <= features
