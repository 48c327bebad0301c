"""The warehouse describes itself: every table, view and column has a comment,
and docs/warehouse.md is the dictionary those comments make."""

from __future__ import annotations

from jixiao import paths
from jixiao.load import data_dictionary, warehouse


def test_every_table_view_and_column_of_a_built_warehouse_has_a_comment(tmp_path):
    con = warehouse.connect(tmp_path / "w.duckdb")  # how every build creates its schema
    try:
        warehouse.ensure_schema(con)  # applied again, as on each later build: comments stay
        rels = data_dictionary.relations(con)
        assert data_dictionary.undescribed(con) == []
        n_columns = con.execute(
            "select count(*) from duckdb_columns() where not internal"
        ).fetchone()[0]
    finally:
        con.close()
    names = {r.name for r in rels}
    assert {"dim_report", "fact_indicator_score", "fact_budget", "v_scores", "v_budget"} <= names
    assert sum(len(r.columns) for r in rels) == n_columns
    score = next(r for r in rels if r.name == "fact_indicator_score")
    assert score.key == ("report_id", "indicator_code")
    assert "score / weight" in next(c.comment for c in score.columns if c.name == "score_rate")


def test_a_column_without_a_comment_is_named():
    con = data_dictionary.fresh_warehouse()
    try:
        con.execute("alter table dim_year add column note varchar")
        con.execute("create view v_bare as select 1 as one")
        assert data_dictionary.undescribed(con) == ["dim_year.note", "v_bare", "v_bare.one"]
    finally:
        con.close()


def test_docs_warehouse_md_is_up_to_date():
    con = data_dictionary.fresh_warehouse()
    try:
        expected = data_dictionary.render(con)
    finally:
        con.close()
    written = (paths.REPO / "docs" / "warehouse.md").read_text(encoding="utf-8")
    assert written == expected, "docs/warehouse.md is out of date: run `make docs`"
    assert (
        "| `amount_yuan` | DECIMAL(18,2) |  | Amount in yuan (元), exact; NULL for rates |"
        in written
    )
