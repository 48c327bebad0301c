"""Score tables (自评表) and budget blocks: the stage's public functions.

The work is done in ``jixiao.extract.tables`` (one module per step, see its
docstring); this module keeps the names the rest of jixiao calls.
"""

from __future__ import annotations

from jixiao.extract.tables.budget import merge_budgets, parse_budget_block
from jixiao.extract.tables.facts import to_facts
from jixiao.extract.tables.grid import Grid
from jixiao.extract.tables.headers import NAME_LEVELS, header_roles
from jixiao.extract.tables.hierarchy import Span, tree
from jixiao.extract.tables.pages import table_pages
from jixiao.extract.tables.reading import read_tables
from jixiao.extract.tables.rows import Cell, Row, ScoreTable, parse_score_tables
from jixiao.extract.tables.text import clean, headers, number_or_none

__all__ = [
    "NAME_LEVELS",
    "Cell",
    "Grid",
    "Row",
    "ScoreTable",
    "Span",
    "clean",
    "header_roles",
    "headers",
    "merge_budgets",
    "number_or_none",
    "parse_budget_block",
    "parse_score_tables",
    "read_tables",
    "table_pages",
    "to_facts",
    "tree",
]
