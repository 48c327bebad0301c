"""Fuzzed documents committed as fixtures (``<id>.pdf`` beside its truth ``<id>.json``,
from ``tools/fuzz.py generate``), read as ingest reads them and scored against their
truth by the fuzzer's own rules."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

TOOLS = Path(__file__).parents[1] / "tools"


def fuzz():
    """``tools/fuzz.py`` as a module (its ``read_document``, ``score_rows``, …)."""
    sys.path.insert(0, str(TOOLS))
    import fuzz as module

    return module


def read(folder: Path, doc: str):
    """(report, record): ``folder/doc.pdf`` through extract → normalize → judge, and its
    record (``spec``, ``features``, ``truth``)."""
    rec = json.loads((folder / f"{doc}.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="fuzz-fixture-") as tmp:
        report = fuzz().read_document(folder / f"{doc}.pdf", rec["spec"], Path(tmp))
    return report, rec


def scored(folder: Path, doc: str):
    """(report, rows, budget, truth): the reading and each row's and budget figure's
    verdict (right / flagged / silent / …)."""
    report, rec = read(folder, doc)
    truth = rec["truth"]
    return report, fuzz().score_rows(report, truth), fuzz().score_budget(report, truth), truth


def judged(path: Path, spec: dict, facts):
    """The report ingest would make of ``facts`` (extracted from ``path``, perhaps as an
    older reader read them): normalized and judged under the document's manifest entry."""
    from jixiao.fetch import fetch_source
    from jixiao.normalize.report import normalize_document
    from jixiao.validate.verdict import judge

    with tempfile.TemporaryDirectory(prefix="fuzz-fixture-") as tmp:
        source = fuzz().source_for(spec, path, Path(tmp))
        return judge(normalize_document(source, fetch_source(source, Path(tmp) / "raw"), facts))
