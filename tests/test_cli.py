"""The command line on the ingested samples: compare, sql (read-only), checks, outputs."""

import csv
import io
import json

import duckdb
import openpyxl
import pandas as pd
import pytest

from jixiao import paths
from jixiao.cli import main


def test_compare_prints_2022_districts_side_by_side(ingested, capsys):
    assert main(["--db", ingested["db"], "compare", "--year", "2022"]) == 0
    out = capsys.readouterr().out
    for text in ("黄埔区", "白云区", "坡头区", "94.2", "99.5", "96", "46.38*", "47.82*"):
        assert text in out, text
    assert "番禺区" not in out


def test_sql_is_read_only(ingested, capsys):
    assert main(["--db", ingested["db"], "sql", "select count(*) as n from dim_report"]) == 0
    assert "5" in capsys.readouterr().out
    assert main(["--db", ingested["db"], "sql", "drop table fact_budget"]) == 2
    assert main(["--db", ingested["db"], "sql", "copy dim_report to '/tmp/x.csv'"]) == 2
    con = duckdb.connect(ingested["db"], read_only=True)
    assert con.execute("select count(*) from fact_budget").fetchone()[0] > 0
    con.close()


# --- usage errors: one line on stderr, exit 2, before any flow starts -------------------------

SAMPLES = str(paths.DEFAULT_SOURCES)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        # once `KeyError: 'run'` tracebacks after a whole flow run
        (["ingest", "--sources", SAMPLES, "--only", "no-such-id"], "no manifest entry with id"),
        (["ingest", "--sources", SAMPLES, "--year", "2030"], "years in the manifests: 2022"),
        # once a 19-line traceback
        (["serve", "--cron", "every monday"], "Invalid cron string"),
        (["serve", "--timezone", "Mars/Olympus"], "not a time zone name"),
        # once exit 1 after 9 s of Prefect start-up, the error inside the summary table
        (["ingest", "--sources", "/no/such/manifest.yaml"], "no manifest at"),
        (["sql", "select 1", "--format", "xml"], "invalid choice: 'xml'"),
        (["compare", "--year", "2022", "--format", "xlsx"], "give --out FILE"),
        (["export", "--format", "csv"], "invalid choice: 'csv'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(argv, says, capsys, tmp_path):
    code = _exit_code(["--db", str(tmp_path / "w.duckdb"), *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("jixiao"), err
    assert says in err


def test_a_malformed_manifest_is_a_usage_error(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: [a\n  b: {\n", encoding="utf-8")
    assert main(["--db", str(tmp_path / "w.duckdb"), "ingest", "--sources", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot read manifest" in err and str(bad) in err
    assert not (tmp_path / "w.duckdb").exists()


def test_a_run_with_no_sources_prints_no_traceback(tmp_path, capsys):
    from jixiao.summary import print_run_summary

    assert print_run_summary(str(tmp_path / "none.duckdb"), []) == 0
    assert "no sources ran" in capsys.readouterr().out


def test_version(capsys):
    assert _exit_code(["--version"]) == 0
    assert capsys.readouterr().out.startswith("jixiao 0.1.0")


def _exit_code(argv: list[str]) -> int:
    """main's return value, or the code argparse exits with."""
    try:
        return main(argv)
    except SystemExit as e:
        return e.code


# --- outputs ------------------------------------------------------------------------------------


def test_sql_prints_square_brackets_as_text(ingested, capsys):
    assert main(["--db", ingested["db"], "sql", "select 'a[b]c' as x, '[bold]y[/bold]' as y"]) == 0
    out = capsys.readouterr().out
    assert "a[b]c" in out and "[bold]y[/bold]" in out


def test_sql_writes_csv_json_xlsx_and_parquet(ingested, capsys, tmp_path):
    query = (
        "select d.district, f.score from fact_indicator_score f join dim_district d "
        "using (district_code) where f.indicator_code = '0' order by d.district_code"
    )
    db = ["--db", ingested["db"]]
    assert main([*db, "sql", query, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["district"]: r["score"] for r in rows}["黄埔区"] == "94.200"  # exact decimal

    assert main([*db, "sql", query, "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {"district": "白云区", "score": 99.5} in records  # a number, not a string

    xlsx = tmp_path / "q.xlsx"
    assert main([*db, "sql", query, "--format", "xlsx", "--out", str(xlsx)]) == 0
    ws = openpyxl.load_workbook(xlsx)["sql"]
    assert [c.value for c in ws[1]] == ["区县", "得分"]
    assert ws.freeze_panes == "A2"
    scores = {r[0].value: r[1].value for r in ws.iter_rows(min_row=2)}
    assert scores["黄埔区"] == 94.2 and isinstance(scores["黄埔区"], float)

    parquet = tmp_path / "q.parquet"
    assert main([*db, "sql", query, "--format", "parquet", "--out", str(parquet)]) == 0
    df = pd.read_parquet(parquet)
    assert dict(zip(df["district"], df["score"].astype(float), strict=True))["坡头区"] == 96


def test_checks_as_csv(ingested, capsys, tmp_path):
    out = tmp_path / "checks.csv"
    main(["--db", ingested["db"], "checks", "--format", "csv", "--out", str(out)])
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {"report", "check", "severity", "ok", "subject"} <= set(rows[0])
    assert {r["report"] for r in rows} >= {"huangpu-2022", "baiyun-2022"}


def test_export_xlsx_one_sheet_per_table_chinese_headers(ingested, capsys, tmp_path):
    out = tmp_path / "jixiao.xlsx"
    assert main(["--db", ingested["db"], "export", "--format", "xlsx", "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert {"scores", "fact_indicator_score", "fact_budget", "dim_report", "budget"} <= set(
        wb.sheetnames
    )
    ws = wb["scores"]
    headers = [c.value for c in ws[1]]
    assert {"区县", "年度", "指标", "分值", "得分", "得分率"} <= set(headers)
    assert ws.freeze_panes == "A2"
    col = {h: i for i, h in enumerate(headers)}
    totals = {
        r[col["区县"]].value: r[col["得分"]].value
        for r in ws.iter_rows(min_row=2)
        if r[col["指标编码"]].value == "0"
    }
    assert totals["黄埔区"] == 94.2 and ws.cell(2, col["得分"] + 1).data_type == "n"
    assert ws.column_dimensions["A"].width > 8  # sized to the values, not Excel's default


def test_curated_scores_are_double_for_pandas(ingested, tmp_path):
    from jixiao.export.parquet import export_curated

    export_curated(ingested["db"], tmp_path / "curated")
    df = pd.read_parquet(tmp_path / "curated" / "scores")
    for column in ("weight", "score", "score_rate"):
        assert df[column].dtype == "float64", column
    con = duckdb.connect(ingested["db"], read_only=True)
    kind = con.execute(
        "select data_type from information_schema.columns "
        "where table_name = 'fact_indicator_score' and column_name = 'score'"
    ).fetchone()[0]
    con.close()
    assert kind == "DECIMAL(9,3)"  # exact in the warehouse
