"""Camelot with each page laid out once returns what ``camelot.read_pdf`` returns.

``CamelotPages`` (``extract/camelot_pages.py``) shares one layout of a page between
lattice, network and stream; the tables must be the same as three separate
``camelot.read_pdf`` calls give: same pages, areas, cells and parsing reports.
The documents are the layout fixtures (LibreOffice Calc and Writer, reportlab,
ruled and unruled) and two Chromium prints of the fuzzer.
"""

from __future__ import annotations

from pathlib import Path

import camelot
import pytest

from jixiao.extract.camelot_pages import CamelotPages
from jixiao.extract.pdf import read_pdf
from jixiao.extract.score_table import table_pages

FIXTURES = Path(__file__).parent / "fixtures"
DOCUMENTS = [
    "layouts/huangpu-2022-calc.pdf",
    "layouts/tianhe-2021-calc.pdf",
    "layouts/conghua-2022-writer.pdf",
    "layouts/xiangzhou-2022-writer.pdf",
    "layouts/chancheng-2022-reportlab.pdf",
    "layouts/zengcheng-2022-reportlab.pdf",
    "layouts/shunde-2023-reportlab.pdf",
    "fuzz/fz0003-chromium.pdf",
    "fuzz/fz0007-chromium.pdf",
]


def described(tables) -> list[tuple]:
    return [
        (int(t.page), t.flavor, tuple(round(x, 3) for x in t._bbox), t.df.values.tolist(),
         dict(t.parsing_report))
        for t in tables
    ]  # fmt: skip


@pytest.mark.parametrize("name", DOCUMENTS)
def test_shared_layouts_give_camelots_own_tables(name):
    path = str(FIXTURES / name)
    pages = table_pages(read_pdf(path).lines)
    assert pages, f"{name}: no table page found"
    with CamelotPages(path) as shared:
        mine = described(shared.tables(pages, "lattice", engine="vector"))
        theirs = described(
            camelot.read_pdf(
                path, pages=",".join(map(str, pages)), flavor="lattice", engine="vector",
                suppress_stdout=True,
            )
        )  # fmt: skip
        assert mine == theirs
        found = len(mine)
        # the text flavors, one page at a time as reading.py asks; then network and lattice
        # again on the same layout: no flavor leaves it changed for the next one
        for page in pages:
            for flavor in ("network", "stream", "network", "lattice"):
                extra = {"engine": "vector"} if flavor == "lattice" else {}
                mine = described(shared.tables([page], flavor, **extra))
                theirs = described(
                    camelot.read_pdf(
                        path, pages=str(page), flavor=flavor, suppress_stdout=True, **extra
                    )
                )
                assert mine == theirs, f"{name} page {page} {flavor}"
                found += len(mine)
    assert found > 0  # not vacuous: tables were read
