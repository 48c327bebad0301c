"""What an ingest run leaves in Prefect: its summary, per report, as an artifact.

The rows are the terminal summary's (:func:`jixiao.summary.run_summary`):
per source its district, year, kind, total, grade, what the run did and the
report's status, with the failing checks. The flows only create the
artifacts; the content is built here so it is tested without Prefect.
"""

from __future__ import annotations

from pathlib import Path

COLUMNS = ("source", "district", "year", "kind", "total", "grade", "run", "status")
INGEST_KEY = "jixiao-ingest-summary"
YEARLY_KEY = "jixiao-yearly-summary"


def summary_rows(db: str, outcomes: list) -> list[dict]:
    """One row per source of the run: source, district, year, kind, total, grade, run,
    status and failing checks (all strings; blank when unknown)."""
    if not outcomes or not Path(db).exists():
        return []
    from jixiao.summary import run_summary

    df = run_summary(db, outcomes)
    return [
        {c: "" if row.get(c) is None else str(row.get(c)) for c in (*COLUMNS, "failing checks")}
        for row in df.to_dict("records")
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def ingest_markdown(db: str, outcomes: list, title: str = "jixiao ingest") -> str:
    """The run's summary as a Markdown table, with counts by what the run did."""
    rows = summary_rows(db, outcomes)
    if not rows:
        return f"# {title}\n\nNo source matched: nothing was ingested.\n"
    loaded = sum(r["run"] == "loaded" for r in rows)
    unchanged = sum(r["run"] == "unchanged" for r in rows)
    bad = sum(r["run"] == "failed" or r["status"] != "valid" for r in rows)
    columns = (*COLUMNS, "failing checks")
    lines = [
        f"# {title}",
        "",
        f"{loaded} loaded, {unchanged} unchanged, {bad} failed or invalid "
        f"of {len(rows)} sources; warehouse: `{db}`",
        "",
        "| " + " | ".join(columns) + " |",
        "| " + " | ".join("---:" if c in ("year", "total") else "---" for c in columns) + " |",
    ]
    lines += ["| " + " | ".join(_cell(r[c]) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n"
