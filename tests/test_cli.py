"""The command line on the ingested samples: compare, sql (read-only), checks."""

import duckdb

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
