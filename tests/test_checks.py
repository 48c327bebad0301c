"""The check catalogue (reference/checks.yaml) is the one list of checks.

Every suite expectation's check name is in it, every entry is emitted somewhere,
the docs table is generated from it, and (with JIXIAO_STRICT_CHECKS=1, set by
conftest for the whole test run) emitting an uncatalogued check fails.
"""

import importlib.util
import json
from pathlib import Path

import pytest

from jixiao.model import CheckResult
from jixiao.reference import UnknownCheck, checks

ROOT = Path(__file__).resolve().parents[1]


def _tool():
    spec = importlib.util.spec_from_file_location(
        "make_check_docs", ROOT / "tools/make_check_docs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _suite_checks() -> dict[str, str]:
    """check_name → severity of every expectation in the suites."""
    found = {}
    for path in (ROOT / "expectations").glob("*.json"):
        for e in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            severity = "error" if e.get("severity", "critical") == "critical" else "warning"
            found[e["meta"]["check_name"]] = severity
    return found


def test_every_suite_check_is_catalogued_with_its_severity():
    catalogue = checks()
    suite = _suite_checks()
    assert suite, "no suite expectation found"
    for name, severity in suite.items():
        assert name in catalogue, f"{name} (a suite's check) is missing from checks.yaml"
        assert catalogue[name].severity == severity, name


def test_every_catalogued_check_is_emitted_somewhere():
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "src").rglob("*.py")]
    sources += [p.read_text(encoding="utf-8") for p in (ROOT / "expectations").glob("*.json")]
    text = "\n".join(sources)
    for name in checks():
        # a literal name, or one built from its stem (f"prose_matches_table_{what}")
        stem = name.rsplit("_", 1)[0]
        emitted = f'"{name}"' in text or f'"{stem}_{{' in text
        assert emitted, f"{name} is catalogued but nothing emits it"


def test_catalogue_entries_name_real_files_and_stages():
    for c in checks().values():
        assert c.severity in ("error", "warning"), c.name
        assert c.stage in ("extract", "normalize", "suite", "warehouse", "ingest"), c.name
        for where in c.where.split(", "):
            assert list(ROOT.glob(where)), f"{c.name}: {where} does not exist"


def test_an_uncatalogued_check_is_refused_in_strict_mode():
    with pytest.raises(UnknownCheck, match=r"not in reference/checks\.yaml"):
        CheckResult("no_such_check", "document", "error", False)
    with pytest.raises(UnknownCheck, match="catalogued as error"):
        CheckResult("score_children_sum", "document", "warning", False)
    assert CheckResult("score_children_sum", "总分", "error", True).passed


def test_the_docs_table_is_generated_from_the_catalogue():
    tool = _tool()
    text = (ROOT / "docs/validation.md").read_text(encoding="utf-8")
    assert tool.render(text) == text, "docs/validation.md is stale: run tools/make_check_docs.py"
    assert "`score_children_sum` | error" in tool.table()
