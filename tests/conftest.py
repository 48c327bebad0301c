"""Shared fixtures: one Prefect test harness and one real ingest per session."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
# Every check the code emits must be in reference/checks.yaml (jixiao.model.CheckResult).
os.environ["JIXIAO_STRICT_CHECKS"] = "1"


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    """A temporary Prefect API (about 17 s once) for every flow test of the session."""
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect"))
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture(scope="session")
def ingested(prefect_harness, tmp_path_factory) -> dict:
    """The sample corpus ingested once by the real flow into a fresh warehouse."""
    from jixiao_flows.ingest import ingest_flow

    db = Path(tmp_path_factory.mktemp("warehouse")) / "warehouse.duckdb"
    outcomes = ingest_flow(db=str(db))
    return {"db": str(db), "outcomes": outcomes}
