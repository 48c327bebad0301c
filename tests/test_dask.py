"""The ingest flow on a real Dask cluster: a scheduler and two workers, each its own process.

``dask scheduler`` and two ``dask worker`` processes (from the venv's ``bin/``)
listen on 127.0.0.1 and talk to the session's Prefect API. The flow runs with
prefect-dask's ``DaskTaskRunner``: the extraction tasks run on the workers
(each parses in its own isolated processes), the flow's process loads and
publishes alone. The warehouse must equal the one a local run builds.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from snapshot import differences, snapshot

from jixiao import ingest, paths

pytest.importorskip("prefect_dask")

BIN = Path(sys.executable).parent
SOURCES = ["huangpu-2022", "potou-2022", "baiyun-2022", "panyu-2023"]  # the text samples


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM by pid, then SIGKILL if it has not gone after 20 s."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)


@pytest.fixture(scope="module")
def cluster(prefect_harness, tmp_path_factory):
    """``tcp://127.0.0.1:PORT`` of a scheduler with two single-threaded workers."""
    from distributed import Client
    from prefect.settings import PREFECT_API_URL

    logs = tmp_path_factory.mktemp("dask")
    env = {
        **os.environ,
        "PREFECT_API_URL": PREFECT_API_URL.value(),  # the workers report task runs here
        "JIXIAO_WORKERS": "1",  # one isolated parser per Dask worker
    }
    address = f"tcp://127.0.0.1:{_free_port()}"
    processes = []

    def start(name: str, *args: str) -> None:
        # the process gets its own copy of the descriptor; ours is closed at once
        with open(logs / f"{name}.log", "w") as out:
            processes.append(
                subprocess.Popen([str(BIN / "dask"), *args], env=env, stdout=out, stderr=out)
            )

    try:
        start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":")[-1],
              "--no-dashboard")  # fmt: skip
        for n in range(2):
            # no nanny: a nanny's worker is a daemon process, and daemons may not start
            # the parser processes jixiao isolates documents in
            start(f"worker-{n}", "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                  "--no-nanny", "--no-dashboard", "--name", f"jixiao-{n}",
                  "--local-directory", str(logs))  # fmt: skip
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address, processes
    finally:
        for process in reversed(processes):
            _stop(process)
        for name in ("scheduler", "worker-0", "worker-1"):
            log = logs / f"{name}.log"
            if log.exists():
                print(f"--- {name}\n{log.read_text()[-2000:]}")


def test_ingest_on_a_dask_cluster_equals_the_local_run(cluster, tmp_path):
    from distributed import Client
    from prefect_dask import DaskTaskRunner

    from jixiao_flows.ingest import ingest_flow

    address, processes = cluster
    assert len({p.pid for p in processes} | {os.getpid()}) == 4  # three processes of their own
    manifests = [str(paths.DEFAULT_SOURCES)]

    local_db = tmp_path / "local.duckdb"
    ingest_flow(sources=manifests, db=str(local_db), only=SOURCES)

    ingest.STAGES.reset()
    on_dask = ingest_flow.with_options(task_runner=DaskTaskRunner(address=address))
    dask_db = tmp_path / "dask.duckdb"
    outcomes = on_dask(sources=manifests, db=str(dask_db), only=SOURCES)

    assert sorted(o.source_id for o in outcomes) == sorted(SOURCES)
    assert differences(snapshot(local_db), snapshot(dask_db)) == []
    # extraction ran on the workers, not here; loading and publishing ran here, once
    assert ingest.STAGES.calls["extract (worker)"] == 0
    assert ingest.STAGES.calls["load"] == ingest.STAGES.calls["publish"] == 1
    with Client(address, timeout=30) as client:
        extracted = client.run(lambda: dict(__import__("jixiao.ingest").ingest.STAGES.calls))
    assert len(extracted) == 2
    assert sum(calls.get("extract (worker)", 0) for calls in extracted.values()) == len(SOURCES)
    assert all(p.poll() is None for p in processes)  # the cluster is still up: no crash
