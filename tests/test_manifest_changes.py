"""A corrected manifest entry reaches the warehouse; ``--force`` extracts again.

The skip key is the document's sha256, the extractor version and the manifest
entry (id, district code, year, department, url or path): the same PDF under a
corrected district code is loaded again and moves, nothing duplicated.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from jixiao.cli import main

REPO = Path(__file__).resolve().parents[1]
POTOU = REPO / "data" / "raw" / "samples" / "potou-2022.pdf"  # 湛江市坡头区 440804

ENTRY = """- id: potou-2022
  district_code: "{code}"
  year: 2022
  department: 政务服务数据管理局
  path: {path}
"""

COUNTS = """
select
    (select count(*) from dim_report) as reports,
    (select list(distinct district_code order by district_code) from dim_report)
        as report_districts,
    (select count(*) from fact_indicator_score) as scores,
    (select list(distinct district_code order by district_code) from fact_indicator_score)
        as score_districts,
    (select count(*) from fact_budget) as budgets,
    (select list(distinct district_code order by district_code) from fact_budget)
        as budget_districts
"""


def _ingest(db: Path, manifest: Path, capsys, *extra: str) -> tuple[str, tuple]:
    main(["--db", str(db), "ingest", "--sources", str(manifest), *extra])
    summary = [line for line in capsys.readouterr().out.splitlines() if " loaded, " in line]
    con = duckdb.connect(str(db), read_only=True)
    try:
        return summary[-1], con.execute(COUNTS).fetchone()
    finally:
        con.close()


def test_corrected_district_code_moves_the_report(prefect_harness, tmp_path, capsys):
    db = tmp_path / "warehouse.duckdb"
    manifest = tmp_path / "sources.yaml"

    manifest.write_text(ENTRY.format(code="440112", path=POTOU), encoding="utf-8")  # 黄埔: wrong
    said, wrong = _ingest(db, manifest, capsys)
    assert said.startswith("1 loaded, 0 unchanged")
    reports, report_districts, scores, _, budgets, _ = wrong
    assert (reports, report_districts) == (1, ["440112"])
    assert scores > 0 and budgets > 0

    manifest.write_text(ENTRY.format(code="440804", path=POTOU), encoding="utf-8")  # corrected
    said, fixed = _ingest(db, manifest, capsys)
    assert said.startswith("1 loaded, 0 unchanged")  # not "1 unchanged": the entry changed
    assert fixed == (1, ["440804"], scores, ["440804"], budgets, ["440804"])

    said, again = _ingest(db, manifest, capsys)
    assert said.startswith("0 loaded, 1 unchanged")
    assert again == fixed

    said, forced = _ingest(db, manifest, capsys, "--force")
    assert said.startswith("1 loaded, 0 unchanged")
    assert forced == fixed
