"""A fake gkmlpt (政府信息公开目录) site, built from the platform's documented behaviour.

``GET /gkmlpt/index`` is HTML with ``window._CONFIG = {SID: '...', TREE: [...]}``;
``GET /gkmlpt/api/all/{id}?page={n}&sid={SID}`` is JSON ``{"classify":
{"post_count": N}, "articles": [...]}``, ``page_size`` articles a page (the
``sid`` must match, as on the real platform the list is empty otherwise).
Article pages and every attachment URL in the fixture are served too
(attachments as small PDFs, so a discovered manifest can be fetched).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from fakesite.server import FakeServer, Handler, send

FIXTURE = Path(__file__).with_name("gkmlpt_site.json")


def install(fake: FakeServer, fixture: Path = FIXTURE, tree_as_js: bool = False) -> dict:
    """Serve the fixture site on ``fake``; returns the fixture (with the real port filled in)."""
    site = json.loads(fixture.read_text(encoding="utf-8").replace("{port}", str(fake.port)))
    fake.routes["/gkmlpt/index"] = lambda h: send(
        h, 200, index_html(site, tree_as_js).encode(), "text/html; charset=utf-8"
    )
    for category_id in _category_ids(site["tree"]):
        fake.routes[f"/gkmlpt/api/all/{category_id}"] = _api(site, str(category_id))
    for path, html in site.get("pages", {}).items():
        fake.routes[path] = _page(html)
    for url in _attachment_urls(site):
        path = urlsplit(url).path
        if path.startswith("/attachment/"):
            body = b"%PDF-1.4\n% " + path.encode() + b"\n%%EOF\n"
            fake.routes[path] = lambda h, body=body: send(h, 200, body, "application/pdf")
    return site


def index_html(site: dict, tree_as_js: bool = False) -> str:
    tree = json.dumps(site["tree"], ensure_ascii=False)
    if tree_as_js:  # what a hand-written config looks like: bare keys, 'single quotes'
        tree = re.sub(r'"(\w+)":', r"\1:", tree).replace('"', "'")
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{site["site_name"]}</title></head>
<body><div id="app"></div>
<script>
  window._CONFIG = {{
    SID: '{site["sid"]}',
    SITE_NAME: '{site["site_name"]}',
    TREE: {tree},
    THEME: {{ color: '#c00', banner: "a }} in a string" }}
  }};
</script>
</body></html>"""


def _api(site: dict, category_id: str):
    articles = site["articles"].get(category_id, [])
    size = site["page_size"]

    def route(h: Handler) -> None:
        query = parse_qs(urlsplit(h.path).query)
        page = int(query.get("page", ["1"])[0])
        listed = articles if query.get("sid") == [site["sid"]] else []
        body = {
            "classify": {"id": int(category_id), "post_count": len(listed)},
            "articles": listed[(page - 1) * size : page * size],
        }
        send(h, 200, json.dumps(body, ensure_ascii=False).encode(), "application/json")

    return route


def _page(html: str):
    return lambda h: send(h, 200, html.encode(), "text/html; charset=utf-8")


def _category_ids(nodes: list) -> list:
    ids = []
    for node in nodes:
        ids.append(node["id"])
        ids += _category_ids(node.get("children") or [])
    return ids


def _attachment_urls(site: dict) -> list[str]:
    urls = []
    for articles in site["articles"].values():
        for article in articles:
            for a in article.get("attachment") or []:
                if isinstance(a, str):
                    urls.append(a)
                elif isinstance(a, dict):
                    urls += [v for k, v in a.items() if k in {"url", "link", "path"}]
    for html in site.get("pages", {}).values():
        urls += re.findall(r'href="([^"]+\.pdf)"', html)
    return urls
