"""A long ingest keeps no loaded report whole in the flow's process.

An extraction task's result (its list of reports, check results and table
lineage included) stays referenced by its Prefect future and state while the
run goes on: every report would stay whole in memory until the extraction ends
although the loader has written it and kept only a lightened outcome. The flow
empties each task's list once its reports are handed to the loader.
"""

from __future__ import annotations

import gc

from jixiao import ingest, paths
from jixiao.model import ReportRecord

SAMPLES = ["huangpu-2022", "potou-2022", "baiyun-2022"]  # text PDFs: no OCR


def test_a_loaded_report_is_not_kept_whole_until_the_run_ends(
    prefect_harness, tmp_path, monkeypatch
):
    from jixiao_flows import ingest as flows

    monkeypatch.setattr(ingest, "LOAD_BATCH", 1)  # every report loaded as it arrives
    monkeypatch.setattr(flows, "batch_size", lambda n, workers: 1)  # one task per report
    kept_whole: list[list[str]] = []  # at each hand-over: reports loaded before, still whole
    handed_over: set[str] = set()
    add = ingest.Loader.add

    def add_and_look(self, new):
        add(self, new)
        gc.collect()
        kept_whole.append(
            sorted(
                r.source.id
                for r in gc.get_objects()
                if isinstance(r, ReportRecord) and r.source.id in handed_over and r.checks
            )
        )
        handed_over.update(o.source_id for o in new)

    monkeypatch.setattr(ingest.Loader, "add", add_and_look)
    outcomes = flows.ingest_flow(
        sources=[str(paths.DEFAULT_SOURCES)], db=str(tmp_path / "w.duckdb"), only=SAMPLES
    )
    assert sorted(o.source_id for o in outcomes if o.status == "loaded") == sorted(SAMPLES)
    assert all(o.report.scores and not o.report.checks for o in outcomes)
    # while the run was on: every report loaded before the one just handed over is
    # only in the loader's outcomes, lightened, not also whole in its task's result
    assert len(kept_whole) > len(SAMPLES) - 1 and kept_whole == [[]] * len(kept_whole)
