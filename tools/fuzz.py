"""The layout fuzzer: 自评表 PDFs with known truth, read by the real pipeline, scored.

Usage (``make fuzz N=… SEED=…`` runs both steps)::

    .venv/bin/python tools/fuzz.py generate --n 100 --seed 1 --out /work/cache/fuzz/s1
    .venv/bin/python tools/fuzz.py run /work/cache/fuzz/s1 [--keep DIR] [--json OUT]

``generate`` draws, per document, what published tables vary in: the framework rows
(seed 001's and seed 004's trees), random deductions, unnamed rows (a weight split off a
named row, as in 001), column sets and widths (narrow number cells that wrap), ruling
(all / horizontal only / none), where the page break falls, merged or repeated labels,
font size, orientation, the budget block (none, simple, or 001's nested header) with its
unit (元 / 万元) and magnitude (up to 10 digits), and the producer: LibreOffice Calc,
LibreOffice Writer, reportlab, or headless Chromium printing an HTML table. The
producers are those of ``tools/make_layouts.py``; each document's truth is written
beside its PDF as ``<id>.json`` (from the rows this script printed, never from jixiao).

``run`` reads every PDF through the path ingest uses (``extract_document`` →
``normalize_document`` → ``judge``) and prints, per producer and per layout feature,
rows right / rows flagged (wrong or missing, in a report judged ``invalid`` or
``unparsed``) / rows silently wrong (wrong or missing in a report judged ``valid``),
and the same for the budget figures; documents with anything not right are copied to
``--keep`` (outside git) with their truth and the pipeline's reading.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_layouts import DATA, Layout, build, build_rows, fmt

PRODUCERS = ("calc", "writer", "reportlab", "chromium")
COLUMN_SETS = [
    ["一级指标:l1", "分值:w1", "二级指标:l2", "分值:w2", "三级指标:l3", "分值:w3",
     "指标解释:explanation", "得分/自评分:score", "未达标原因:reason", "改进措施:measure"],
    ["一级指标:l1", "二级指标:l2", "三级指标:l3", "分值:w3", "自评分:score", "扣分原因:reason"],
    ["一级指标:l1", "分值:w1", "二级指标:l2", "分值:w2", "三级指标:l3", "分值:w3", "得分:score",
     "扣分原因:reason"],
    ["一级指标:l1", "权重:w1", "二级指标:l2", "权重:w2", "三级指标:l3", "权重:w3",
     "评分标准:criteria", "自评得分:score", "扣分原因:reason"],
]  # fmt: skip
RULES = {
    "calc": ["all", "all", "rows", "none"],
    "writer": ["all", "rows", "none"],
    "reportlab": ["all", "rows", "three", "none"],
    "chromium": ["all", "rows", "none"],
}
LABELS = {  # where a merged label is printed (next: only in its part on the next page)
    "calc": ["top", "middle", "bottom", "next"],
    "writer": ["top", "middle", "bottom"],
    "reportlab": ["top", "middle", "bottom", "next"],
    "chromium": ["top", "middle", "bottom"],
}
DISTRICTS = [("广州市黄埔区", "440112"), ("广州市番禺区", "440113"), ("广州市天河区", "440106"),
             ("广州市海珠区", "440105"), ("广州市白云区", "440111")]  # fmt: skip


# --------------------------------------------------------------------------- drawing


def frameworks() -> dict:
    return yaml.safe_load((DATA / "frameworks.yaml").read_text(encoding="utf-8"))


def amount(rng: random.Random, digits: int) -> Decimal:
    """A positive amount with ``digits`` digits before the point and two after."""
    low = 10 ** (digits - 1)
    return Decimal(rng.randrange(low, 10 * low)) + Decimal(rng.randrange(100)) / 100


def printed(value: Decimal, commas: bool) -> str:
    return f"{value:,.2f}" if commas else f"{value:.2f}"


def draw_spec(rng: random.Random, n: int, trees: dict) -> dict:
    """One document's layout, drawn at random (every choice is a key of the spec)."""
    producer = PRODUCERS[n % len(PRODUCERS)]
    framework = rng.choice(["seed-001", "guangzhou-2023"])
    tree = trees[framework]
    columns = list(rng.choice(COLUMN_SETS))
    district, code = rng.choice(DISTRICTS)
    spec: dict = {
        "id": f"fz{n:04d}-{producer}",
        "district": district,
        "district_code": code,
        "department": "政务服务数据管理局",
        "year": rng.choice([2021, 2022, 2023]),
        "producer": producer,
        "framework": framework,
        "columns": columns,
        "labels": rng.choice(LABELS[producer]),
        "rules": rng.choice(RULES[producer]),
        "font_size": rng.choice([7.5, 8, 9, 9, 10]),
        "orientation": rng.choice(["landscape", "landscape", "portrait"]),
        "repeat_header": rng.random() < 0.5,
    }
    if framework == "guangzhou-2023" and rng.random() < 0.5:
        spec["rename"] = {"管理效率": "管理效能"}
    names = [r[2] for r in tree]
    deductions = {}
    for l3 in rng.sample(names, rng.randrange(0, 6)):
        w3 = next(r[3] for r in tree if r[2] == l3)
        lost = Decimal(rng.choice([25, 50, 100, 12, 40, 60])) / 100 * Decimal(str(w3))
        lost = lost.quantize(Decimal("0.01") if rng.random() < 0.5 else Decimal("0.1"))
        if 0 < lost < Decimal(str(w3)):
            score = float(Decimal(str(w3)) - lost)
            deductions[l3] = [score, f"存在不足，扣{fmt(float(lost))}分。"]
    spec["deductions"] = deductions
    if rng.random() < 0.3:  # an unnamed row: a weight split off a named row, as in 001
        donor = rng.choice([r for r in tree if r[3] >= 2 and r[2] not in deductions])
        part = rng.choice([0.5, 1.0])
        spec["weights"] = {donor[2]: donor[3] - part}
        spec["blank_rows"] = [{"after": donor[2], "weight": part, "score": part}]
    if producer in ("calc", "reportlab"):
        spec["break_after"] = rng.choice(names[3:-3])
    if producer in ("writer", "chromium"):
        spec["lead_lines"] = rng.randrange(0, 14)  # moves the natural page break
    spec["narrow_numbers"] = rng.random() < 0.4
    if spec["narrow_numbers"]:
        spec["widths"] = {
            "calc": {"w1": 4, "w2": 4, "w3": 4, "score": 5},
            "writer": {"w1": 7, "w2": 7, "w3": 7, "score": 8},
            "reportlab": {"w1": 22, "w2": 22, "w3": 22, "score": 24},
            "chromium": {"w1": 24, "w2": 24, "w3": 24, "score": 28},
        }[producer]
    if producer == "chromium":
        spec["merged"] = rng.random() < 0.7
        spec["break_all"] = rng.random() < 0.5
    if rng.random() < 0.6:
        spec["budget"] = draw_budget(rng, producer, len(columns))
    return spec


def draw_budget(rng: random.Random, producer: str, n_columns: int) -> dict:
    """总预算 = 基本支出 + 项目支出 in 元 or 万元, up to 10 digits; layout and widths."""
    unit = rng.choice(["元", "万元"])
    digits = rng.randrange(5, 11) if unit == "元" else rng.randrange(2, 8)
    total = amount(rng, digits)
    basic = (total * Decimal(rng.randrange(15, 60)) / 100).quantize(Decimal("0.01"))
    project = total - basic
    commas = rng.random() < 0.7
    b = {
        "unit": unit,
        "digits": digits,
        "总预算": printed(total, commas),
        "基本支出": printed(basic, commas and rng.random() < 0.8),
        "项目支出": printed(project, commas and rng.random() < 0.8),
    }
    nested_ok = producer in ("writer", "chromium") or (producer == "calc" and n_columns >= 8)
    simple_ok = producer != "calc" or n_columns >= 8
    if nested_ok and (rng.random() < 0.6 or not simple_ok):
        b["layout"] = "nested"
    elif simple_ok:
        b["layout"] = "simple"
    else:
        return {}
    narrow = rng.random() < 0.5
    b["narrow"] = narrow
    if producer == "writer":
        b["widths_mm"] = [16] + ([13] * 7 if narrow else [19] * 7)
    if producer == "reportlab":
        b["widths_pt"] = [58, 58, 58] if narrow else [120, 120, 120]
    if producer == "chromium":
        b["widths_px"] = [60] + ([52] * 7 if narrow else [90] * 7)
    return b


def truth_of(layout: Layout) -> dict:
    rows = [
        {"l1": r.l1, "w1": fmt(r.w1), "l2": r.l2, "w2": fmt(r.w2), "l3": r.l3,
         "w3": fmt(r.w3), "score": fmt(r.score)}
        for r in layout.rows
    ]  # fmt: skip
    budget = {}
    if layout.spec.get("budget"):
        b = layout.spec["budget"]
        unit = {"元": 1, "万元": 10000}[b["unit"]]
        for label in ("总预算", "基本支出", "项目支出"):
            budget[label] = str(Decimal(b[label].replace(",", "")) * unit)
    return {"rows": rows, "total": fmt(layout.total), "budget": budget}


def features(spec: dict) -> dict[str, str]:
    """The layout features a document is counted under (``run``'s breakdown)."""
    b = spec.get("budget") or {}
    return {
        "producer": spec["producer"],
        "rules": spec["rules"],
        "labels": spec["labels"],
        "framework": spec["framework"],
        "narrow_numbers": str(spec.get("narrow_numbers", False)),
        "unnamed_row": str(bool(spec.get("blank_rows"))),
        "orientation": spec["orientation"],
        "font_size": str(spec["font_size"]),
        "repeat_header": str(spec["repeat_header"]),
        "merged": str(spec.get("merged", True)),
        "budget": b.get("layout", "none") + (
            f"/{b['unit']}/{'narrow' if b.get('narrow') else 'wide'}" if b else ""),
    }  # fmt: skip


def soffice_batch(sources: list[Path], outdir: Path) -> None:
    """Convert .xlsx/.docx files to PDF with LibreOffice, many per run (a private profile)."""
    for k in range(0, len(sources), 20):
        with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
            subprocess.run(
                ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                 "--convert-to", "pdf", "--outdir", str(outdir),
                 *map(str, sources[k : k + 20])],
                check=True, capture_output=True, timeout=1200,
            )  # fmt: skip


def generate(n: int, seed: int, out: Path, start: int = 0) -> None:
    """``n`` documents into ``out``: ``<id>.pdf`` and ``<id>.json`` (spec, features, truth)."""
    from make_layouts import BUILDERS

    rng = random.Random(seed)
    trees = frameworks()
    out.mkdir(parents=True, exist_ok=True)
    todo: list[tuple[Path, Path]] = []
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        work = Path(tmp)
        for i in range(start + n):
            spec = draw_spec(rng, i, trees)
            if i < start:
                continue
            if not spec.get("budget"):
                spec.pop("budget", None)
            layout = Layout(spec["id"], spec, build_rows(spec, trees))
            record = {"spec": spec, "features": features(spec), "truth": truth_of(layout)}
            (out / f"{spec['id']}.json").write_text(
                json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            if (out / f"{spec['id']}.pdf").exists():
                continue
            producer = spec["producer"]
            if producer in ("calc", "writer"):
                builder, ext = BUILDERS[producer]
                src = work / f"{spec['id']}{ext}"
                builder(layout, src)
                todo.append((src, out / f"{spec['id']}.pdf"))
            else:
                build(layout, work, out)
        soffice_batch([s for s, _ in todo], work)
        for src, target in todo:
            shutil.copyfile(work / f"{src.stem}.pdf", target)
    print(f"{out}: {n} documents (seed {seed})")


# --------------------------------------------------------------------------- reading


def source_for(spec: dict, pdf: Path, tmp: Path):
    """The manifest entry of a fuzzed document (through the real manifest loader)."""
    from jixiao.manifest import load_manifest

    manifest = tmp / f"{spec['id']}.yaml"
    entry = {"id": spec["id"], "district_code": spec["district_code"], "year": spec["year"],
             "department": spec["department"], "path": str(pdf.resolve())}  # fmt: skip
    manifest.write_text(yaml.safe_dump([entry], allow_unicode=True), encoding="utf-8")
    sources, errors = load_manifest(manifest)
    assert not errors, errors
    return sources[0]


def read_document(pdf: Path, spec: dict, tmp: Path):
    """extract → normalize → judge, as ``jixiao.ingest.extract_and_validate`` runs them
    (in-process: no worker, so a crash shows its traceback)."""
    from jixiao.errors import DocumentError
    from jixiao.extract.document import extract_document
    from jixiao.fetch import fetch_source
    from jixiao.normalize.report import normalize_document, unparsed_report
    from jixiao.validate.verdict import judge

    source = source_for(spec, pdf, tmp)
    fetched = fetch_source(source, raw_dir=tmp / "raw")
    try:
        facts = extract_document(fetched.path)
    except DocumentError as e:
        return unparsed_report(source, fetched, e)
    return judge(normalize_document(source, fetched, facts))


def score_rows(report, truth: dict) -> list[str]:
    """Per truth row: ``right``, ``flagged`` (not right, report invalid), ``silent`` (loaded
    with a wrong number or a wrong printed parent in a report judged valid), ``derived``
    (numbers right, a parent's label not read but derived from the dictionary: valid) or
    ``missed`` (not loaded at all in a valid report: no number, but a gap); plus one
    ``silent`` per spurious level-3 number, and for a wrong total, in a valid report."""
    valid = report.status == "valid"
    facts = [f for f in report.scores if f.origin == "table" or f.level == 3]
    by_code = {f.indicator_code: f for f in report.scores}  # parents derived too
    leaves = sorted((f for f in facts if f.level == 3), key=lambda f: f.row_index or 0)
    used: set[int] = set()
    out = []
    for row in truth["rows"]:
        fact = next(
            (f for f in leaves if id(f) not in used and (f.printed_name or "") == row["l3"]), None
        )
        ok = numbers_ok = derived = False
        if fact is not None:
            used.add(id(fact))
            l2 = by_code.get(fact.parent_code)
            l1 = by_code.get(l2.parent_code) if l2 else None
            numbers_ok = (
                fact.weight == Decimal(row["w3"])
                and fact.score == Decimal(row["score"])
                and l2 is not None
                and l1 is not None
                and l2.weight == Decimal(row["w2"])
                and l1.weight == Decimal(row["w1"])
            )
            names = [(l2, row["l2"]), (l1, row["l1"])] if numbers_ok else []
            ok = numbers_ok and all(f.printed_name == want for f, want in names)
            # a parent not read from the page but derived from the dictionary (no printed
            # name, the right weight): no wrong number, but not the page's label either
            derived = numbers_ok and all(f.printed_name in (want, None) for f, want in names)
        if ok:
            out.append("right")
        elif not valid:
            out.append("flagged")
        elif fact is None:  # not loaded at all in a valid report: no number, but a gap
            out.append("missed")
        else:  # loaded with a wrong number or a wrong printed parent: silent
            out.append("derived" if derived else "silent")
    if valid:
        out += ["silent" for f in leaves if id(f) not in used]
    total = next((f for f in report.scores if f.level == 0), None)
    if valid and (total is None or total.score != Decimal(truth["total"])):
        out.append("silent")
    return out


def score_budget(report, truth: dict) -> list[str]:
    """Per truth budget figure: ``right``, ``missing``, ``flagged`` or ``silent``."""
    items = {"总预算": "部门预算", "基本支出": "基本支出", "项目支出": "项目支出"}
    got = {b.item: b for b in report.budgets if b.measure == "budget"}
    out = []
    for label, want in truth.get("budget", {}).items():
        fact = got.get(items[label])
        if fact is None:
            out.append("missing")
        elif fact.amount_yuan == Decimal(want):
            out.append("right")
        else:
            out.append("silent" if report.status == "valid" else "flagged")
    return out


def run(
    folder: Path,
    keep: Path | None,
    json_out: Path | None,
    limit: int | None,
    producers: list[str] | None = None,
) -> dict:
    records = [r for r in sorted(folder.glob("*.json")) if r.with_suffix(".pdf").exists()]
    if producers:
        records = [r for r in records if r.stem.rsplit("-", 1)[1] in producers]
    records = records[:limit]
    per: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    docs = {"valid": 0, "invalid": 0, "unparsed": 0}
    failing = []
    seconds = 0.0
    numbers = [0, 0]  # number cells read two ways, and those whose readings disagree
    with tempfile.TemporaryDirectory(prefix="fuzz-run-") as tmp:
        for rec_path in records:
            rec = json.loads(rec_path.read_text(encoding="utf-8"))
            spec, feats, truth = rec["spec"], rec["features"], rec["truth"]
            pdf = rec_path.with_suffix(".pdf")
            t0 = time.perf_counter()
            try:
                report = read_document(pdf, spec, Path(tmp))
            except Exception as e:  # a crash is a finding: counted as flagged, kept
                print(f"{spec['id']}: CRASH {type(e).__name__}: {e}", file=sys.stderr)
                failing.append((rec_path, {"crash": repr(e)}))
                for k, v in [("all", "all"), *feats.items()]:
                    per[(k, v)]["flagged"] += len(truth["rows"])
                continue
            seconds += time.perf_counter() - t0
            docs[report.status] += 1
            rows = score_rows(report, truth)
            budget = score_budget(report, truth)
            numbers[0] += sum(int(c.expected.split()[0]) for c in report.checks
                              if c.check_name == "table_number_as_printed" and " of " in
                              (c.expected or "") and c.subject.count(" ") == 3)  # fmt: skip
            numbers[1] += sum(1 for c in report.checks if c.check_name ==
                              "table_number_as_printed" and "column" in c.subject)  # fmt: skip
            for k, v in [("all", "all"), *feats.items()]:
                for r in rows:
                    per[(k, v)][r] += 1
                for b in budget:
                    per[(k, v)][f"budget_{b}"] += 1
                per[(k, v)]["docs"] += 1
            if any(r != "right" for r in rows) or any(b != "right" for b in budget):
                failing.append((rec_path, reading_of(report, rows, budget)))
    summary = {
        "documents": len(records),
        "status": docs,
        "seconds_per_document": round(seconds / max(1, len(records)), 2),
        "numbers_read_twice": numbers[0],
        "readings_disagree": numbers[1],
        "breakdown": {f"{k}={v}": dict(c) for (k, v), c in sorted(per.items())},
    }
    print_summary(summary)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        for rec_path, reading in failing:
            shutil.copyfile(rec_path.with_suffix(".pdf"), keep / rec_path.with_suffix(".pdf").name)
            shutil.copyfile(rec_path, keep / rec_path.name)
            (keep / f"{rec_path.stem}.reading.json").write_text(
                json.dumps(reading, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
            )
        print(f"{len(failing)} documents with something not right kept in {keep}")
    if json_out is not None:
        json_out.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary


def reading_of(report, rows: list[str], budget: list[str]) -> dict:
    return {
        "status": report.status,
        "status_reason": report.status_reason,
        "rows": rows,
        "budget": budget,
        "scores": [
            {k: str(v) for k, v in asdict(f).items() if v is not None} for f in report.scores
        ],
        "budgets": [{k: str(v) for k, v in asdict(b).items()} for b in report.budgets],
        "failed_checks": [asdict(c) for c in report.checks if not c.passed],
    }


def print_summary(summary: dict) -> None:
    print(f"documents {summary['documents']}  status {summary['status']}  "
          f"{summary['seconds_per_document']} s/document")  # fmt: skip
    n, bad = summary["numbers_read_twice"], summary["readings_disagree"]
    print(f"number cells read two ways: {n}, readings disagree on {bad}"
          f" ({100 * bad / max(n, 1):.2f}%)")  # fmt: skip
    print(f"{'feature':34} {'docs':>5} {'rows':>6} {'right':>7} {'flagged':>8} {'silent':>7}"
          f" {'missed':>7} {'derived':>7} | budget {'right':>5} {'miss':>5} {'flag':>5}"
          f" {'silent':>6}"
          )  # fmt: skip
    for key, c in summary["breakdown"].items():
        n = sum(c.get(k, 0) for k in ("right", "flagged", "silent", "missed", "derived"))
        pct = 100 * c.get("right", 0) / n if n else 0
        print(
            f"{key:34} {c.get('docs', 0):>5} {n:>6} {pct:>6.1f}% {c.get('flagged', 0):>8}"
            f" {c.get('silent', 0):>7} {c.get('missed', 0):>7} {c.get('derived', 0):>7} |"
            f" {'':6} {c.get('budget_right', 0):>5}"
            f" {c.get('budget_missing', 0):>5} {c.get('budget_flagged', 0):>5}"
            f" {c.get('budget_silent', 0):>6}"
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--n", type=int, default=40)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--start", type=int, default=0)
    g.add_argument("--out", type=Path, required=True)
    r = sub.add_parser("run")
    r.add_argument("folder", type=Path)
    r.add_argument("--keep", type=Path)
    r.add_argument("--json", type=Path)
    r.add_argument("--limit", type=int)
    r.add_argument("--producers", help="comma-separated: only these producers' documents")
    args = parser.parse_args(argv)
    if args.cmd == "generate":
        generate(args.n, args.seed, args.out, args.start)
        return 0
    producers = args.producers.split(",") if args.producers else None
    summary = run(args.folder, args.keep, args.json, args.limit, producers)
    silent = summary["breakdown"].get("all=all", {}).get("silent", 0)
    return 1 if silent else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
