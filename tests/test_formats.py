"""Word, Excel and HTML: the same report in every format gives the same facts.

The fixtures (``tools/make_formats.py``) are the very files the sample PDFs were
exported from (the 黄埔 2022 workbook, the 番禺 2023 and 白云 2022 Word files),
and that workbook's cells as a Word table and an HTML table. Extraction runs
for real (Camelot on the PDF, openpyxl / python-docx / lxml on the others);
the bad inputs of ``tests/hostile.py`` go through the real flow and its
worker pool.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import hostile
import pytest
import yaml

from jixiao.errors import NeedsLibreOffice
from jixiao.extract import worker
from jixiao.extract.document import extract_document
from jixiao.extract.formats import expand_spans
from jixiao.extract.formats.xlsx import display_text
from jixiao.formats import sniff
from jixiao.normalize.budgets import in_yuan
from jixiao.paths import RAW

FORMATS = Path(__file__).parent / "fixtures" / "formats"
SAMPLES = RAW / "samples"
HUANGPU = ["huangpu-2022.xlsx", "huangpu-2022.docx", "huangpu-2022.html"]


def scores(facts) -> list[tuple]:
    return sorted(
        (f.level or 0, f.printed_name or "", str(f.weight), str(f.score), f.origin)
        for f in facts.scores
    )


def budgets(facts) -> list[tuple]:
    return sorted(
        (b.item, b.measure, str(b.amount_yuan), str(b.rate)) for b in in_yuan(facts.budgets)
    )


@pytest.fixture(scope="module")
def huangpu_pdf():
    return extract_document(SAMPLES / "huangpu-2022.pdf")


@pytest.mark.parametrize("name", HUANGPU)
def test_huangpu_in_every_format_gives_the_pdf_facts(name, huangpu_pdf):
    facts = extract_document(FORMATS / name)
    assert facts.source_format == name.rsplit(".", 1)[1]
    assert facts.doc_type == "dept_self_eval_table" and facts.doc_kind == "score_table"
    assert scores(facts) == scores(huangpu_pdf)
    assert budgets(facts) == budgets(huangpu_pdf)
    total = next(f for f in facts.scores if f.level == 0)
    assert (total.weight, total.score) == (Decimal("100"), Decimal("94.2"))
    # 26 level-3 rows, 2 level-1 and 8 level-2 spans, the total
    assert [sum(f.level == lv for f in facts.scores) for lv in (0, 1, 2, 3)] == [1, 2, 8, 26]
    assert facts.grade_printed == huangpu_pdf.grade_printed == "优"


@pytest.mark.parametrize("name", ["panyu-2023", "baiyun-2022"])
def test_word_report_gives_the_facts_of_its_pdf(name):
    pdf = extract_document(SAMPLES / f"{name}.pdf")
    word = extract_document(FORMATS / f"{name}.docx")
    assert (word.source_format, word.doc_type) == ("docx", "dept_self_eval_report")
    assert word.doc_kind == pdf.doc_kind == "narrative"
    assert scores(word) == scores(pdf) and len(word.scores) > 30
    assert budgets(word) == budgets(pdf) and len(word.budgets) > 20


def test_lineage_names_sheet_and_cell_or_table_row_and_column():
    xlsx = extract_document(FORMATS / "huangpu-2022.xlsx")
    row = next(f for f in xlsx.scores if f.printed_name == "合同备案时效性")
    sheet = "部门整体支出绩效自评表"
    assert (row.weight, row.score) == (Decimal("1"), Decimal("0.82"))
    assert row.source_location == f"{sheet}!F27, {sheet}!H27"
    total = next(f for f in xlsx.scores if f.level == 0)
    assert total.source_location == f"{sheet}!B37, {sheet}!H37"
    budget = next(b for b in in_yuan(xlsx.budgets) if b.item == "部门预算")
    assert (budget.amount_yuan, budget.source_location) == (Decimal("118877300"), f"{sheet}!B8")
    assert xlsx.tables[0]["source_location"] == f"sheet {sheet} A1:J38"
    html = extract_document(FORMATS / "huangpu-2022.html")
    row = next(f for f in html.scores if f.printed_name == "合同备案时效性")
    assert row.source_location == "table 1 row 27 col 6, table 1 row 27 col 8"
    pdf = extract_document(SAMPLES / "potou-2022.pdf")
    assert all(f.source_location is None for f in pdf.scores)  # a PDF: the page says it


def test_format_comes_from_the_bytes_not_the_name(tmp_path):
    for name in HUANGPU:
        disguised = tmp_path / f"{name}.pdf"
        shutil.copyfile(FORMATS / name, disguised)
        assert sniff(disguised) == name.rsplit(".", 1)[1]
    assert sniff(SAMPLES / "potou-2022.pdf") == "pdf"
    (tmp_path / "x.docx").write_bytes(b"PK\x03\x04 not really a zip")
    assert sniff(tmp_path / "x.docx") is None


def test_old_office_files_need_libreoffice(tmp_path, monkeypatch):
    """Without soffice a .doc is recorded needs_libreoffice, with a hint."""
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "WordDocument".encode("utf-16-le")
    path = tmp_path / "report.bin"
    path.write_bytes(ole + b"\x00" * 1000)
    assert sniff(path) == "doc"
    monkeypatch.setattr("jixiao.extract.formats.office.soffice", lambda: None)
    with pytest.raises(NeedsLibreOffice, match="apt-get install libreoffice"):
        extract_document(path)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_xls_converted_by_libreoffice_gives_the_same_facts(tmp_path, huangpu_pdf):
    import subprocess

    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "xls", "--outdir", str(tmp_path), str(FORMATS / "huangpu-2022.xlsx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    xls = tmp_path / "huangpu-2022.xls"
    assert sniff(xls) == "xls"
    facts = extract_document(xls)
    assert facts.source_format == "xls"
    assert scores(facts) == scores(huangpu_pdf) and budgets(facts) == budgets(huangpu_pdf)


def test_display_text_shows_numbers_as_the_sheet_does():
    assert display_text(11887.73, "#,##0.00") == "11,887.73"
    assert display_text(0, "0.00") == "0.00"
    assert display_text(0.9882, "0.00%") == "98.82%"
    assert display_text(17.5) == "17.5" and display_text(20.0) == "20"


def test_spans_expand_with_top_edges():
    texts, edges, _ = expand_spans([[("a", 2, 1), ("b", 1, 2)], [("c", 1, 1), ("d", 1, 1)]])
    assert texts == [["a", "b", ""], ["", "c", "d"]]
    assert edges == [[True, True, True], [False, True, True]]


# -- the real flow: every format, and bad input in each, in one run -------------


@pytest.fixture(scope="module")
def format_run(prefect_harness, tmp_path_factory):
    from jixiao_flows.ingest import ingest_flow

    folder = Path(tmp_path_factory.mktemp("formats"))
    entries = [_entry(f"good-{n.replace('.', '-')}", str(FORMATS / n)) for n in HUANGPU]
    entries.append(_entry("good-pdf", str(SAMPLES / "huangpu-2022.pdf")))
    cases = hostile.format_corpus(folder / "bad")
    entries += [_entry(name, str(path)) for name, path in cases]
    manifest = folder / "formats.yaml"
    manifest.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    db = folder / "w.duckdb"
    worker.configure(memory_mb=2048, timeout_s=120)
    try:
        outcomes = ingest_flow(sources=[str(manifest)], db=str(db))
    finally:
        worker.configure()
    for _, path in cases:
        path.unlink()  # 250 MB of test input: not kept
    con = duckdb.connect(str(db), read_only=True)
    yield {"outcomes": outcomes, "con": con, "n": len(entries)}
    con.close()


def _entry(source_id: str, path: str) -> dict:
    return {
        "id": source_id,
        "district_code": "440112",
        "year": 2022,
        "department": "政务服务数据管理局",
        "path": path,
    }


def test_every_format_loads_the_same_facts(format_run):
    con = format_run["con"]
    rows = con.execute(
        """
        select source_id, source_format, doc_type, status,
               list(row(indicator_code, weight, score) order by indicator_code)
        from dim_report join fact_indicator_score using (report_id)
        where source_id like 'good-%' group by all order by source_id
        """
    ).fetchall()
    assert [r[:4] for r in rows] == [
        ("good-huangpu-2022-docx", "docx", "dept_self_eval_table", "valid"),
        ("good-huangpu-2022-html", "html", "dept_self_eval_table", "valid"),
        ("good-huangpu-2022-xlsx", "xlsx", "dept_self_eval_table", "valid"),
        ("good-pdf", "pdf", "dept_self_eval_table", "valid"),
    ]
    assert len({str(r[4]) for r in rows}) == 1 and len(rows[0][4]) == 37


def test_every_bad_input_is_recorded_with_its_class(format_run):
    con = format_run["con"]
    assert len(format_run["outcomes"]) == format_run["n"]  # the run went on: one outcome each
    got = dict(
        con.execute(
            """
            select source_id, case when status = 'unparsed' then split_part(status_reason, ':', 1)
                                   else status end
            from dim_report where source_id not like 'good-%'
            """
        ).fetchall()
    )
    assert got == hostile.FORMAT_EXPECTED
    status = dict(con.execute("select source_id, error_class from source_status").fetchall())
    for name, expected in hostile.FORMAT_EXPECTED.items():
        assert status[name] == (None if expected == "valid" else expected), name
    formats = dict(con.execute("select source_id, source_format from dim_report").fetchall())
    assert formats["xlsx-named-pdf"] == "xlsx" and formats["html-50mb"] == "html"


def test_macros_are_never_run(format_run):
    con = format_run["con"]
    check = con.execute(
        """
        select severity, passed, detail from check_result join dim_report using (report_id)
        where source_id = 'xlsm-macros' and check_name = 'macros_not_run'
        """
    ).fetchone()
    assert check == ("warning", True, "the workbook carries macros; they were neither read nor run")
    assert not Path("/tmp/jixiao-macro-ran").exists()


# -- fetch keeps every format, named by its bytes --------------------------------


@pytest.fixture
def fetch_settings(tmp_path):
    import ipaddress

    from jixiao.fetch import FetchSettings

    return FetchSettings(
        allow_networks=(ipaddress.ip_network("127.0.0.0/8"),),
        host_delay_s=0.0,
        deadline_s=10.0,
        attempts=1,
        raw_dir=tmp_path / "raw",
    )


def test_fetch_stores_each_format_under_its_own_extension(fetch_settings, tmp_path):
    from fakesite.server import FakeServer, pdf

    from jixiao.errors import BodyNotPdf
    from jixiao.fetch import fetch_source
    from jixiao.manifest import load_manifest

    page_without_table = b"<!DOCTYPE html><html><body>404 Not Found</body></html>"
    bodies = {
        "/a.pdf": (FORMATS / "huangpu-2022.xlsx").read_bytes(),  # a workbook behind a .pdf link
        "/b": (FORMATS / "huangpu-2022.docx").read_bytes(),
        "/c.html": (FORMATS / "huangpu-2022.html").read_bytes(),
        "/d.pdf": (SAMPLES / "potou-2022.pdf").read_bytes(),
        "/e.pdf": page_without_table,
    }
    with FakeServer() as site:
        for route, body in bodies.items():
            site.routes[route] = pdf(body)  # every body served as application/pdf

        def fetch(route: str):
            manifest = tmp_path / "m.yaml"
            entry = {**_entry("s", ""), "url": site.url(route)}
            del entry["path"]
            manifest.write_text(yaml.safe_dump([entry], allow_unicode=True), encoding="utf-8")
            [source], errors = load_manifest(manifest)
            assert not errors
            return fetch_source(source, settings=fetch_settings)

        got = {route: fetch(route).path.suffix for route in ("/a.pdf", "/b", "/c.html", "/d.pdf")}
        with pytest.raises(BodyNotPdf, match="an HTML page without a table"):
            fetch("/e.pdf")
    assert got == {"/a.pdf": ".xlsx", "/b": ".docx", "/c.html": ".html", "/d.pdf": ".pdf"}
    stored = sorted(p.suffix for p in fetch_settings.raw_dir.glob(f"{'[0-9a-f]' * 64}.*"))
    assert stored == [".docx", ".html", ".pdf", ".xlsx"]  # the HTML error page was not kept


def test_an_html_page_in_gb18030_reads_the_same(tmp_path, huangpu_pdf):
    page = (FORMATS / "huangpu-2022.html").read_text(encoding="utf-8")
    page = page.replace('<meta charset="utf-8">', '<meta charset="gb2312">')
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("gb18030"))
    facts = extract_document(path)
    assert scores(facts) == scores(huangpu_pdf)
