"""`jixiao compare` on every district of the 行政区划代码 table (2,978), in a real DuckDB file.

The warehouse is made with the real schema and dimensions; reports and scores
are inserted directly: a total and two level-1 indicators per district, where
番禺区 weights 履职效能 25 and every other district 50 (the weight must be each
district's own, never one district's shown for all).
"""

from __future__ import annotations

import random
import time
from decimal import Decimal

import pandas as pd
import pytest
from rich.cells import cell_len

from jixiao.cli import main
from jixiao.compare import compare
from jixiao.load import warehouse

PANYU = "440113"


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> str:
    db = tmp_path_factory.mktemp("many") / "warehouse.duckdb"
    con = warehouse.connect(db)
    warehouse.load_dimensions(con)
    codes = [r[0] for r in con.execute("select district_code from dim_district").fetchall()]
    department = con.execute("select min(department_code) from dim_department").fetchone()[0]
    rng = random.Random(17)
    reports, scores = [], []
    for code in codes:
        report_id = f"r{code}"
        reports.append(
            {
                "report_id": report_id,
                "source_id": f"s{code}",
                "district_code": code,
                "year": 2022,
                "department_code": department,
                "status": "valid",
                "ingested_at": pd.Timestamp("2026-11-29"),
            }
        )
        w1 = Decimal(25 if code == PANYU else 50)
        s1 = (w1 * Decimal(rng.randint(600, 1000)) / 1000).quantize(Decimal("0.01"))
        s2 = (Decimal(50) * Decimal(rng.randint(600, 1000)) / 1000).quantize(Decimal("0.01"))
        total_weight = w1 + 50
        for indicator, weight, score, derived in (
            ("0", total_weight, s1 + s2, False),
            ("1", w1, s1, False),
            ("2", Decimal(50), s2, False),
        ):
            scores.append(
                {
                    "report_id": report_id,
                    "indicator_code": indicator,
                    "district_code": code,
                    "year": 2022,
                    "department_code": department,
                    "weight": weight,
                    "score": score,
                    "score_rate": (score / weight).quantize(Decimal("0.0001")),
                    "is_derived": derived,
                    "origin": "table",
                }
            )
    warehouse._insert(con, "dim_report", reports)
    warehouse._insert(con, "fact_indicator_score", scores)
    con.execute("insert or ignore into dim_year values (2022)")
    con.close()
    return str(db)


def _lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.strip()]


def test_districts_are_rows_ranked_by_total(many):
    con = warehouse.connect(many, read_only=True)
    started = time.perf_counter()
    result = compare(con, 2022)
    seconds = time.perf_counter() - started
    expected = con.execute(
        "select district_code, score from fact_indicator_score where indicator_code = '0' "
        "order by score desc, district_code"
    ).fetchall()
    con.close()
    t = result.table
    assert len(t) == len(expected) == 2978
    assert list(t["district_code"]) == [code for code, _ in expected]
    assert t["total"].iloc[0] == float(expected[0][1]) and t["rank"].iloc[0] == 1
    assert list(t["rank"]) == sorted(t["rank"])
    assert seconds < 10, seconds


def test_each_district_shows_its_own_weight_where_weights_differ(many):
    con = warehouse.connect(many, read_only=True)
    result = compare(con, 2022)
    con.close()
    shown = result.display().set_index("区县", drop=False)
    performance, management = "履职效能\n得分/分值", "管理效率\n(50)"
    assert list(shown.columns[-2:]) == [performance, management]
    panyu = result.table[result.table["district_code"] == PANYU].iloc[0]
    row = shown[shown["区县"] == "番禺区"].iloc[0]
    assert row[performance] == f"{panyu['履职效能']:g}/25"
    assert "/" not in row[management]
    others = shown[shown["区县"] != "番禺区"][performance]
    assert others.str.endswith("/50").all()
    assert result.numbers().loc[panyu.name, "履职效能 分值"] == 25


def test_all_2978_rows_fit_in_120_columns(many, capsys):
    assert main(["--db", many, "compare", "--year", "2022"]) == 0
    lines = _lines(capsys.readouterr().out)
    assert len(lines) > 2978
    assert max(cell_len(line) for line in lines) <= 120


def test_top_and_place_filters(many, capsys):
    assert main(["--db", many, "compare", "--year", "2022", "--top", "10"]) == 0
    rows = [line for line in _lines(capsys.readouterr().out) if line.startswith("│")]
    assert len(rows) == 10

    con = warehouse.connect(many, read_only=True)
    guangdong = compare(con, 2022, province="广东")
    assert guangdong.table["district_code"].str.startswith("44").all()
    n_guangdong = con.execute(
        "select count(*) from dim_district where province = '广东省'"
    ).fetchone()[0]
    assert len(guangdong.table) == n_guangdong
    guangzhou = compare(con, 2022, city="4401", top=3)
    assert len(guangzhou.table) == 3 and set(guangzhou.table["city"]) == {"广州市"}
    assert list(guangzhou.table["rank"]) == [1, 2, 3]  # ranked within the filter
    assert len(compare(con, 2022, city="广州").table) == len(compare(con, 2022, city="4401").table)
    con.close()


def test_indicator_alias_ranks_by_that_indicator(many):
    con = warehouse.connect(many, read_only=True)
    result = compare(con, 2022, indicator="管理效能")
    con.close()
    assert result.ranked_by == "管理效率"
    scores = list(result.table["管理效率"])
    assert scores == sorted(scores, reverse=True)


def test_errors_name_the_years_and_indicators_there_are(many, capsys):
    assert main(["--db", many, "compare", "--year", "2030"]) == 1
    err = capsys.readouterr().err
    assert "no valid scores for 2030" in err and "2022" in err
    assert main(["--db", many, "compare", "--year", "2022", "--indicator", "效率管理"]) == 1
    err = capsys.readouterr().err
    assert "unknown indicator '效率管理'" in err and "履职效能、管理效率" in err
    assert main(["--db", many, "compare", "--year", "2022", "--province", "火星"]) == 1
    assert "火星" in capsys.readouterr().err
