"""Great Expectations' Data Docs for the warehouse, readable offline.

:func:`build_data_docs` validates a loaded warehouse again with every suite
(each report's facts through the per-report suites, rebuilt from the
warehouse exactly as :mod:`jixiao.validate.verdict` builds them before
loading; the contract tables through the warehouse suites), lets Great
Expectations render its static site, and post-processes the HTML so it needs
nothing from the network: GX's pages load Bootstrap, jQuery, Font Awesome and
Vega from public CDNs, which offline leaves them unstyled and their scripts
failing. Every remote ``<link>``/``<script>`` is removed, remote images point
at GX's own local copies, and a small stylesheet shipped with jixiao
(``docs_offline.css``) gives the pages the layout Bootstrap would have.
Collapsed sections are shown open (there is no script to open them). The
index's two tables (validation results, expectation suites) are filled by
bootstrap-table from data inside an inline script; that data is rendered as
static HTML rows instead, each linking to its page.
"""

from __future__ import annotations

import ast
import html as html_escape
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

OFFLINE_CSS = Path(__file__).with_name("docs_offline.css")
SITE_NAME = "jixiao"

_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref=[\"']https?://[^>]*>\s*", re.I)
_REMOTE_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>\s*", re.I | re.S)
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>.*?</script>\s*", re.I | re.S)
_REMOTE_IMG = re.compile(
    r"(<img\b[^>]*\bsrc=)[\"']https?://[^\"']*?/([\w.-]+\.(?:png|svg|gif))[^\"']*[\"']", re.I
)
_REMOTE_URL = re.compile(
    r"url\(\s*[\"']?https?://[^)\"']*?/([\w.-]+\.(?:png|svg|gif))[^)]*\)", re.I
)
_REMOTE_IFRAME = re.compile(r"<iframe\b[^>]*\bsrc=[\"']https?://.*?</iframe>\s*", re.I | re.S)
# GX's index fills each table with `$('#id').bootstrapTable({columns: [...], data: [...], ...})`.
_INDEX_TABLE = re.compile(
    r"\$\('#(?P<id>[\w-]+)'\)\.bootstrapTable\(\s*Object\.assign\(\s*\{\s*"
    r"columns:\s*(?P<columns>\[.*?\]),\s*data:\s*(?P<data>\[.*?\]),\s*toolbar",
    re.S,
)
_TAG = re.compile(r"<[^>]+>")
# Anything that would still make a browser fetch from the network.
REMOTE_RESOURCE = re.compile(
    r"<(?:link|script|img|iframe)\b[^>]*\b(?:href|src)=[\"']https?://|url\([\"']?https?://|"
    r"@import\s+[\"']?(?:url\()?[\"']?https?://",
    re.I,
)


def _cell_text(row: dict, field: str) -> str:
    """A cell's plain text: its HTML without tags (the batch id without its tooltip)."""
    value = row.get("_batch_identifier_sort", "") if field == "batch_identifier" else ""
    value = value or row.get(field, "")
    return " ".join(_TAG.sub(" ", str(value)).split())


def _static_table(table_id: str, columns: list[dict], data: list[dict]) -> str:
    """The rows bootstrap-table would have drawn, as HTML: every row links to its page."""
    head = "".join(f"<th>{html_escape.escape(c['title'])}</th>" for c in columns)
    rows = []
    for row in data:
        href = html_escape.escape(row.get("_table_row_link_path", ""), quote=True)
        cells = []
        for column in columns:
            field = column["field"]
            if field == "validation_success":
                ok = row.get("_validation_success_text") == "Success"
                text = "✔ Success" if ok else "✘ Failed"
                cells.append(f'<td class="{"passed" if ok else "failed"}">{text}</td>')
            elif field == "expectation_suite_name" and len(columns) > 1:
                suite = _cell_text(row, field)
                link = f"expectations/{html_escape.escape(suite, quote=True)}.html"
                cells.append(f'<td><a href="{link}">{html_escape.escape(suite)}</a></td>')
            else:
                text = html_escape.escape(_cell_text(row, field))
                cells.append(f'<td><a href="{href}">{text}</a></td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<table id="{table_id}" class="table-sm ge-index-page-static-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def static_index_tables(html: str) -> str:
    """Fill the index's empty ``<table>`` elements with the rows its scripts hold.

    Validation results are listed by run name, then suite; each
    row links to its page (and its suite to the suite's page).
    """
    for m in _INDEX_TABLE.finditer(html):
        table_id = m.group("id")
        columns = ast.literal_eval(m.group("columns"))
        data = ast.literal_eval(m.group("data"))
        data.sort(key=lambda r: [_cell_text(r, f) for f in ("run_name", "expectation_suite_name")])
        empty = re.compile(rf'<table\s[^>]*\bid="{re.escape(table_id)}"[^>]*>\s*</table>', re.S)
        html = empty.sub(lambda _, t=table_id, c=columns, d=data: _static_table(t, c, d), html, 1)
    return html


def make_offline(site_dir: Path) -> list[Path]:
    """Rewrite every HTML page under ``site_dir`` to load nothing remote.

    Returns:
        The pages rewritten.
    """
    site_dir = Path(site_dir)
    styles = site_dir / "static" / "styles"
    styles.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(OFFLINE_CSS, styles / OFFLINE_CSS.name)
    images = site_dir / "static" / "images"

    def local_url(m: re.Match, prefix: str) -> str:
        name = m.group(1)
        if not (images / name).exists():
            name = "logo-long.png" if "logo" in name else None
        return f'url("{prefix}static/images/{name}")' if name else "none"

    for css in sorted(styles.glob("*.css")):
        text = css.read_text(encoding="utf-8")
        css.write_text(_REMOTE_URL.sub(lambda m: local_url(m, "../../"), text), encoding="utf-8")
    pages = sorted(site_dir.rglob("*.html"))
    for page in pages:
        root = os.path.relpath(site_dir, page.parent).replace(os.sep, "/")
        prefix = "" if root == "." else root + "/"
        html = static_index_tables(page.read_text(encoding="utf-8"))
        html = _REMOTE_LINK.sub("", html)
        html = _REMOTE_SCRIPT.sub("", html)
        html = _INLINE_SCRIPT.sub("", html)  # they drive jQuery/Vega, which are gone
        html = _REMOTE_IFRAME.sub("", html)

        def local_image(m: re.Match, prefix: str = prefix) -> str:
            name = m.group(2)
            if not (images / name).exists():
                name = "short-logo.png"
            return f'{m.group(1)}"{prefix}static/images/{name}"'

        html = _REMOTE_IMG.sub(local_image, html)
        html = _REMOTE_URL.sub(lambda m, prefix=prefix: local_url(m, prefix), html)
        link = f'<link rel="stylesheet" href="{prefix}static/styles/{OFFLINE_CSS.name}">'
        html = html.replace("</head>", f"{link}\n</head>", 1)
        page.write_text(html, encoding="utf-8")
    return pages


def remote_references(site_dir: Path) -> list[str]:
    """Every remote CSS/JS/image reference left in the site's HTML and CSS (should be none)."""
    found = []
    for path in sorted(Path(site_dir).rglob("*")):
        if path.suffix in (".html", ".css"):
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{path.name}: {m.group(0)}" for m in REMOTE_RESOURCE.finditer(text)]
    return found


def build_data_docs(
    out_dir: str | Path | None = None,
    *,
    db_path: str | Path | None = None,
    expectations_dir: str | Path | None = None,
) -> Path:
    """Validate the warehouse with every suite and write Data Docs as offline HTML.

    Args:
        out_dir: where the site goes (default ``data/curated/validation``);
            replaced as a whole, so a failed build leaves the previous one.
        db_path: the warehouse to validate (default ``data/warehouse.duckdb``);
            when it does not exist, the site shows the suites only.
        expectations_dir: where the suites are (default ``<repo>/expectations``).

    Returns:
        The site's ``index.html``.
    """
    import duckdb

    from jixiao import paths
    from jixiao.validate.gx_runner import GXRunner, default_expectations_dir
    from jixiao.validate.verdict import inputs_from_warehouse, run_suites
    from jixiao.validate.warehouse import validate_warehouse

    out = Path(out_dir or paths.CURATED / "validation")
    db = Path(db_path or paths.DEFAULT_DB)
    # a fresh context: its validation store holds exactly this build's runs
    runner = GXRunner(Path(expectations_dir or default_expectations_dir()).resolve())
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".validation-", dir=out.parent))
    try:
        runner.context.add_data_docs_site(
            site_name=SITE_NAME,
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(tmp),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
        if db.exists():
            con = duckdb.connect(str(db), read_only=True)
            try:
                reports = con.execute(
                    "select report_id, source_id from dim_report "
                    "where status <> 'unparsed' order by source_id"
                ).fetchall()
                for report_id, source_id in reports:
                    inputs = inputs_from_warehouse(con, report_id)
                    run_suites(inputs, run_name=source_id, runner=runner)
                validate_warehouse(db, con=con, runner=runner, run_name="warehouse")
            finally:
                con.close()
        runner.context.build_data_docs(site_names=[SITE_NAME])
        make_offline(tmp)
        left = remote_references(tmp)
        if left:
            log.warning("Data Docs still reference the network: %s", "; ".join(left[:5]))
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out / "index.html"
