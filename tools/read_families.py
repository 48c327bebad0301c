"""Read issue 14's family PDFs (tools/make_families.py) through the pipeline and score them.

Usage::

    .venv/bin/python tools/read_families.py DIR [DIR ...] [--keep]

Each ``<id>.pdf`` with its ``<id>.csv`` (and, for drawn variants, ``<id>.yaml``; the
committed corpus's specs are in ``tools/layouts/families.yaml``) goes through
``extract_document`` → ``normalize_document`` → ``judge``, as ingest runs them, and
every truth row counts as **right** (name, weight, score, and for a tree both parents'
printed name and weight), **flagged** (not right, in a report judged ``invalid``) or
**silent** (not right, in a report judged ``valid``); a wrong or missing total in a
valid report counts one more silent. Printed: per family and per producer, documents,
status, rows right / flagged / silent, and the framework each report was read as.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SPECS = Path(__file__).resolve().parent / "layouts" / "families.yaml"

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz import read_document  # noqa: E402


def spec_of(pdf: Path) -> dict:
    own = pdf.with_suffix(".yaml")
    if own.exists():
        return yaml.safe_load(own.read_text(encoding="utf-8"))
    layouts = yaml.safe_load(SPECS.read_text(encoding="utf-8"))["layouts"]
    return next(s for s in layouts if s["id"] == pdf.stem)


def read_report(pdf: Path, spec: dict, tmp: Path):
    """extract → normalize → judge, in-process, as the layout fuzzer reads its documents
    (every department name loads now, so the manifest names the spec's own)."""
    return read_document(pdf, {**spec, "district_code": str(spec["district_code"])}, tmp)


def truth_of(pdf: Path) -> tuple[list[dict], dict]:
    with pdf.with_suffix(".csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return rows[:-1], rows[-1]


def score_rows(report, family: str, rows: list[dict], total: dict) -> list[str]:
    """Per truth row: right, flagged or silent (see the module docstring)."""
    valid = report.status == "valid"
    by_code = {f.indicator_code: f for f in report.scores}
    leaf_level = 1 if family == "flat" else 3
    leaves = sorted(
        (f for f in report.scores if f.level == leaf_level and f.origin == "table"),
        key=lambda f: f.row_index or 0,
    )
    out = []
    for k, row in enumerate(rows):
        f = leaves[k] if k < len(leaves) else None
        if family == "flat":
            ok = (
                f is not None
                and f.printed_name == row["指标名称"]
                and f.weight == Decimal(row["权重"])
                and f.score == Decimal(row["得分"])
                and f.parent_code == "0"
            )
        else:
            l2 = by_code.get(f.parent_code) if f else None
            l1 = by_code.get(l2.parent_code) if l2 else None
            ok = (
                f is not None and l1 is not None
                and (f.printed_name, f.weight, f.score)
                == (row["三级指标"], Decimal(row["分值"]), Decimal(row["得分"]))
                and (l2.printed_name, l2.weight) == (row["二级指标"], Decimal(row["二级分值"]))
                and (l1.printed_name, l1.weight) == (row["一级指标"], Decimal(row["一级分值"]))
            )  # fmt: skip
        out.append("right" if ok else ("silent" if valid else "flagged"))
    if valid:
        out += ["silent"] * max(0, len(leaves) - len(rows))
        got = next((f for f in report.scores if f.level == 0), None)
        if got is None or got.score != Decimal(total["得分"]):
            out.append("silent")
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--verbose", action="store_true", help="print each failing row")
    args = parser.parse_args(argv)
    pdfs = sorted(p for d in args.dirs for p in d.rglob("*.pdf") if p.with_suffix(".csv").exists())
    per: dict[tuple[str, str], Counter] = defaultdict(Counter)
    seconds = 0.0
    with tempfile.TemporaryDirectory(prefix="families-") as tmp:
        for pdf in pdfs:
            spec = spec_of(pdf)
            rows, total = truth_of(pdf)
            t0 = time.process_time()
            report = read_report(pdf, spec, Path(tmp))
            seconds += time.process_time() - t0
            results = score_rows(report, spec["family"], rows, total)
            framework = getattr(report, "framework_code", None) or "-"
            errors = sorted({c.check_name for c in report.checks
                             if c.severity == "error" and not c.passed})  # fmt: skip
            print(f"{pdf.stem}: {report.status} framework={framework} "
                  f"{results.count('right')}/{len(rows)} right"
                  + (f" errors={','.join(errors)}" if errors else ""), flush=True)  # fmt: skip
            for key in (("family", spec["family"]), ("producer", spec["producer"]),
                        ("family/producer", f"{spec['family']}/{spec['producer']}"),
                        ("rules", spec.get("rules", "all"))):  # fmt: skip
                c = per[key]
                c["docs"] += 1
                c[report.status] += 1
                c.update(results)
                c["rows"] += len(rows)
    print(f"\n{len(pdfs)} documents, {seconds / max(1, len(pdfs)):.2f} s CPU each (extract "
          "→ normalize → judge)\n")  # fmt: skip
    print("| by | value | docs | valid | rows | right | flagged | silent |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for (k, v), c in sorted(per.items()):
        share = c["right"] / max(1, c["rows"])
        print(f"| {k} | {v} | {c['docs']} | {c['valid']} | {c['rows']} | {share:.1%} | "
              f"{c['flagged']} | {c['silent']} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
