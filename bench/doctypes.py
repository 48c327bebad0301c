"""The document-type classifier's confusion table, and seconds per document per format.

Run with ``make realworld`` (or ``.venv/bin/python bench/doctypes.py``). Each
document is extracted for real, in this process (``extract_document``: format
from the bytes, classifier, then Camelot / openpyxl / python-docx / lxml and
the assembly for self-evaluations); its true type comes from where it is:

* positives: the sample PDFs, the layout corpus, the Word/Excel/HTML fixtures
  (and .doc/.xls converted from them when LibreOffice is installed);
* look-alikes made by ``tools/make_doctypes.py`` and the 决算 of ``tests/fixtures/hostile``;
* the real 江苏 budget PDFs in ``../shared/realworld/negatives`` (or
  ``$JIXIAO_SHARED_DIR``), read where they are, when present.

Prints two Markdown tables; exits 1 when a non-self-evaluation would load.
"""

from __future__ import annotations

import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jixiao.errors import DocumentError  # noqa: E402
from jixiao.extract.document import extract_document  # noqa: E402
from jixiao.formats import sniff  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SHARED = Path(os.environ.get("JIXIAO_SHARED_DIR", ROOT.parent / "shared"))
LOOK_ALIKES = {
    "juesuan-2023-perf.pdf": "final_accounts",
    "budget-2024-targets.pdf": "budget",
    "target-2024-dept.pdf": "target_table",
    "thirdparty-2023.pdf": "third_party_evaluation",
    "project-2023-selfeval.pdf": "project_self_eval_table",
}
SELF_EVALUATIONS = {"dept_self_eval_table", "dept_self_eval_report", "project_self_eval_table"}
REPORTS = {"potou-2022", "baiyun-2022", "panyu-2023", "panyu-2024-scan"}


def corpus(tmp: Path) -> list[tuple[Path, str, str]]:
    """(file, true type, group) for every document measured."""
    docs: list[tuple[Path, str, str]] = []
    for pdf in sorted((ROOT / "data" / "raw" / "samples").glob("*.pdf")):
        truth = "dept_self_eval_report" if pdf.stem in REPORTS else "dept_self_eval_table"
        docs.append((pdf, truth, "samples"))
    for pdf in sorted((FIXTURES / "layouts").glob("*.pdf")):
        truth = "dept_self_eval_report" if "writer" in pdf.stem else "dept_self_eval_table"
        docs.append((pdf, truth, "layouts"))
    for f in sorted((FIXTURES / "formats").iterdir()):
        truth = "dept_self_eval_table" if f.stem.startswith("huangpu") else "dept_self_eval_report"
        docs.append((f, truth, "formats"))
        if shutil.which("soffice") and f.suffix in (".xlsx", ".docx"):
            old = {".xlsx": "xls", ".docx": "doc"}[f.suffix]
            subprocess.run(
                ["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                 "--convert-to", old, "--outdir", str(tmp), str(f)],
                capture_output=True, timeout=300, check=False,
            )  # fmt: skip
            converted = tmp / f"{f.stem}.{old}"
            if converted.is_file():
                docs.append((converted, truth, "formats (LibreOffice)"))
    for name, truth in LOOK_ALIKES.items():
        docs.append((FIXTURES / "doctypes" / name, truth, "look-alikes"))
    docs.append((FIXTURES / "hostile" / "juesuan-2022.pdf", "final_accounts", "look-alikes"))
    negatives = SHARED / "realworld" / "negatives"
    if negatives.is_dir():
        docs += [(p, "budget", "real negatives") for p in sorted(negatives.glob("*.pdf"))]
    else:
        print(f"(real negatives not found at {negatives}: not measured)\n")
    return docs


def predict(path: Path) -> tuple[str, bool, float]:
    """(predicted type, whether facts would load, seconds)."""
    start = time.perf_counter()
    try:
        facts = extract_document(path)
        kind, loads = facts.doc_type or "?", True
    except DocumentError as e:
        kind = str(e).partition(": ")[0] if e.names_doc_type else f"error:{e.error_class}"
        loads = False
    return kind, loads, time.perf_counter() - start


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        docs = corpus(Path(tmp))
        results = []
        for path, truth, group in docs:
            kind, loads, seconds = predict(path)
            results.append((path, truth, group, kind, loads, seconds, sniff(path)))
            print(f"{group:22} {path.name:34} {truth:24} → {kind:24} {seconds:6.2f} s", flush=True)
    types = sorted({r[1] for r in results} | {r[3] for r in results})
    confusion = collections.Counter((r[1], r[3]) for r in results)
    print("\nConfusion table (rows: true type, columns: predicted)\n")
    print("| true \\ predicted | " + " | ".join(types) + " |")
    print("|---" * (len(types) + 1) + "|")
    for truth in sorted({r[1] for r in results}):
        cells = [str(confusion.get((truth, p), "")) for p in types]
        print(f"| {truth} | " + " | ".join(cells) + " |")
    by_format: dict[str, list[float]] = collections.defaultdict(list)
    for r in results:
        by_format[f"{r[6]} ({'self-evaluation' if r[1] in SELF_EVALUATIONS else 'other'})"].append(
            r[5]
        )
    print("\nSeconds per document (extract_document, in process, this machine)\n")
    print("| format | documents | mean s | max s |")
    print("|---|---|---|---|")
    for fmt, secs in sorted(by_format.items()):
        print(f"| {fmt} | {len(secs)} | {sum(secs) / len(secs):.2f} | {max(secs):.2f} |")
    wrong_loads = [r for r in results if r[4] and r[1] not in SELF_EVALUATIONS]
    wrong = [r for r in results if r[1] != r[3]]
    print(f"\n{len(results)} documents, {len(wrong)} misclassified, "
          f"{len(wrong_loads)} non-self-evaluations that would load")  # fmt: skip
    return 1 if wrong_loads else 0


if __name__ == "__main__":
    sys.exit(main())
