"""Every ingest run, and the yearly run, leaves its per-report summary in Prefect."""

from __future__ import annotations

import json
import shutil

from jixiao import artifacts, paths
from jixiao.ingest import Outcome
from jixiao.load import warehouse


def _artifacts_of(flow_run_id) -> list:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        return client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )


def _copy(ingested, tmp_path) -> str:
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(ingested["db"], db)
    return str(db)


def test_an_ingest_run_leaves_a_markdown_summary_per_report(ingested, tmp_path):
    from jixiao_flows.ingest import ingest_flow

    db = _copy(ingested, tmp_path)
    state = ingest_flow(db=db, return_state=True)
    assert state.is_completed()
    (artifact,) = _artifacts_of(state.state_details.flow_run_id)
    assert artifact.key == artifacts.INGEST_KEY and artifact.type == "markdown"
    md = artifact.data
    assert "0 loaded, 5 unchanged, 0 failed or invalid of 5 sources" in md
    assert "| source | district | year | kind | total | grade | run | status |" in md
    assert "| huangpu-2022 | 黄埔区 | 2022 | score_table | 94.2 | 优 | unchanged | valid |" in md
    assert "| potou-2022 | 坡头区 | 2022 | narrative | 96 | 优 | unchanged | valid |" in md
    assert "| panyu-2024-scan | 番禺区 | 2024 | scanned | 94 | 优 | unchanged | valid |" in md


def test_a_run_where_nothing_matches_says_so(ingested, tmp_path):
    from jixiao_flows.ingest import ingest_flow

    db = _copy(ingested, tmp_path)
    state = ingest_flow(db=db, year=2030, return_state=True)
    (artifact,) = _artifacts_of(state.state_details.flow_run_id)
    assert "No source matched" in artifact.data


def test_the_yearly_run_lists_district_total_and_grade(ingested, tmp_path):
    from jixiao_flows.yearly import yearly_ingest_flow

    db = _copy(ingested, tmp_path)
    state = yearly_ingest_flow(
        sources=[str(paths.DEFAULT_SOURCES)], db=db, year=2022, return_state=True
    )
    assert state.result() == {"unchanged": 3}
    (artifact,) = _artifacts_of(state.state_details.flow_run_id)
    assert artifact.key == artifacts.YEARLY_KEY and artifact.type == "table"
    table = json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data
    rows = {r["source"]: r for r in table}
    assert {s: (r["district"], r["total"], r["grade"], r["status"]) for s, r in rows.items()} == {
        "huangpu-2022": ("黄埔区", "94.2", "优", "valid"),
        "potou-2022": ("坡头区", "96", "优", "valid"),
        "baiyun-2022": ("白云区", "99.5", "优", "valid"),
    }


def test_markdown_of_a_failed_fetch_names_the_error(tmp_path):
    db = tmp_path / "w.duckdb"
    warehouse.connect(db).close()
    failed = Outcome(None, "gone-2022", "fetch", "failed", error_class="http_404", message="404")
    md = artifacts.ingest_markdown(str(db), [failed])
    assert "0 loaded, 0 unchanged, 1 failed or invalid of 1 sources" in md
    assert "| gone-2022 |  |  |  |  |  | failed | fetch failed | http_404: 404 |" in md
