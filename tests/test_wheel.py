"""The package as a user gets it: a built wheel in a fresh venv, run outside the repository.

How the fresh venv gets its dependencies: it is made by the test's Python
(so 3.11, 3.12 or 3.13, whichever runs the suite), jixiao is installed into it
from the wheel alone (``--no-deps --no-index``), and only then a ``.pth`` file
lays the dev venv's site-packages under it for the dependencies. A plain path
in a ``.pth`` file does not run the ``.pth`` files of that folder, so the dev
venv's editable jixiao (an import hook installed by such a file) stays off:
the test asserts that ``jixiao``, ``jixiao_flows`` and the SQL and suites come
from the venv's own site-packages, and that no top-level ``flows`` is importable.
Installing the ~150 locked dependencies for real would take minutes; their
versions are those of the lock either way.

Then, from an empty directory with its own ``sources/samples.yaml``, the
installed ``jixiao`` ingests one sample and compares it, with every path at its
default (relative to the current directory). About 60-90 s, most of it the
temporary Prefect server's start and the extraction.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "raw" / "samples" / "huangpu-2022.pdf"
PIP = [sys.executable, "-m", "pip"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the files a source distribution carries."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    for folder in ("src", "flows", "sql", "expectations"):
        shutil.copytree(
            REPO / folder,
            src / folder,
            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
        )
    dist = tmp / "dist"
    subprocess.run(
        # offline: setuptools and wheel come from the lock, not from an index
        [
            *PIP,
            "wheel",
            "-q",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(src),
        ],
        check=True,
        timeout=300,
    )
    (built,) = dist.glob("jixiao-*.whl")
    return built


def test_wheel_carries_every_subpackage_and_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for init in (REPO / "src").rglob("__init__.py"):
        assert str(init.relative_to(REPO / "src")) in names, init
    for path in (REPO / "src" / "jixiao" / "reference").iterdir():
        if path.is_file() and path.suffix != ".py":
            assert f"jixiao/reference/{path.name}" in names, path
    for sql in (REPO / "sql").rglob("*.sql"):
        assert f"jixiao/sql/{sql.relative_to(REPO / 'sql')}" in names, sql
    for suite in (REPO / "expectations").glob("*.json"):
        assert f"jixiao/expectations/{suite.name}" in names, suite
    for flow in (REPO / "flows").glob("*.py"):
        assert f"jixiao_flows/{flow.name}" in names, flow
    assert not any(n.startswith("flows/") for n in names)  # no top-level `flows`


def test_installed_wheel_ingests_and_compares_from_another_directory(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        timeout=300,
    )
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "zz_dev_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    work = tmp_path / "analyst"
    (work / "sources").mkdir(parents=True)
    (work / "sources" / "samples.yaml").write_text(
        f"""- id: huangpu-2022
  district_code: "440112"
  year: 2022
  department: 政务服务数据管理局
  path: {SAMPLE}
""",
        encoding="utf-8",
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PREFECT_", "PYTHON", "JIXIAO_", "VIRTUAL_ENV"))
    }
    env |= {
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        "PATH": f"{venv / 'bin'}:{env.get('PATH', '')}",
    }

    def run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            list(args), cwd=work, env=env, capture_output=True, text=True, timeout=timeout
        )

    where = run(
        str(python),
        "-c",
        "import importlib.util, jixiao, jixiao_flows, jixiao.paths as p;"
        "print(jixiao.__file__); print(jixiao_flows.__file__); print(p.SQL); "
        "print(p.EXPECTATIONS); print(p.DEFAULT_DB); print(importlib.util.find_spec('flows'))",
    )
    assert where.returncode == 0, where.stderr
    package, flows, sql, suites, db, flows_spec = where.stdout.splitlines()
    for installed in (package, flows, sql, suites):
        assert installed.startswith(str(site)), installed
    assert db == str(work / "data" / "warehouse.duckdb")
    assert flows_spec == "None"

    version = run(str(venv / "bin" / "jixiao"), "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("jixiao 0.1.0")

    ingest = run(str(venv / "bin" / "jixiao"), "ingest", timeout=600)
    assert ingest.returncode == 0, ingest.stdout[-3000:] + ingest.stderr[-3000:]
    assert "1 loaded, 0 unchanged, 0 failed or invalid of 1 sources" in ingest.stdout
    assert (work / "data" / "warehouse.duckdb").is_file()

    compare = run(str(venv / "bin" / "jixiao"), "compare", "--year", "2022", "--format", "csv")
    assert compare.returncode == 0, compare.stderr
    (row,) = list(csv.DictReader(io.StringIO(compare.stdout)))
    assert row["district"] == "黄埔区"
    assert float(row["total"]) == 94.2
    assert float(row["履职效能"]) == 46.38
    assert float(row["管理效率"]) == 47.82
