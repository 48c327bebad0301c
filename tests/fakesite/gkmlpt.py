"""A fake gkmlpt (政府信息公开目录) portal, faithful to what live Guangdong sites serve.

From crawlers that have run against the real platform (see docs/fetch.md):

- ``/{prefix}/gkmlpt/index``: ``window._CONFIG`` with ``SID``, ``TREE`` (nodes
  ``id``, ``name``, ``parent``, ``post_count``, ``children``, ``jump_url``),
  ``SERVICE_AREA_ID``, ``APP_URL``; no ``SITE_NAME``; a generic ``<title>``
  on the portal. A department sub-site lives under ``/hpzsj/`` on the same
  host, reached through a ``jump_url`` category.
- ``/{prefix}/gkmlpt/api/all/{category}?page={n}&sid={SID}``: 100 articles a
  page, page 0 = page 1, category 0 = the whole site, ``classify`` =
  ``{id, name, parent, post_count, theme_count}`` on the portal and only a
  top-level ``total`` on the sub-site; on the portal the whole list
  (category 0) answers 404 from page 2 on although more exist. ``sid`` may
  be omitted.
- articles: integer ``date`` (成文日期, midnight Beijing) that differs from
  ``created_at``, one ``date: 0``, ``display_publish_time``/``create_time``,
  absolute ``https://`` urls (``…/gkmlpt/content/N/NNNN/post_ID.html#cat``),
  off-platform urls (``mp.weixin.qq.com``, ``/zcjdpt?id=``), attachments
  ``{id, name, type, mime, size (string), url}`` with numbered file names.
- article pages: the body JSON-escaped in ``_CONFIG.DETAIL.content``; links
  ``<a class="nfw-cms-attachment" href=… alt="<real name>">点击下载</a>``, one
  page only in escaped form (``href=\\u0022…\\u0022``).
- transport: the portal's https fails the TLS handshake (the same content is
  served over http on the same port: ``FakeServer(tls_fails=True)``), and a
  request whose user agent is not the configured one is reset.

``PLANTED`` names every self-evaluation a correct discovery of 2022 finds;
``REFUSED`` the articles it must leave out.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from fakesite.server import FakeServer, Handler, send

SID = "200112"
SUB = "/hpzsj"  # the department sub-site's prefix
SUB_SID = "200150"
PAGE_SIZE = 100
CHINA = dt.timezone(dt.timedelta(hours=8))

# what a correct discovery of 2022 must find: case → (article id, document path)
PLANTED = {
    "bundled in a 决算 article": ("3300101", "/attachment/0/3300/3300101/3400102.pdf"),
    "on the department sub-site (pdf)": ("3300201", f"{SUB}/attachment/0/3300/3300201/3400201.pdf"),
    "on the department sub-site (xlsx)": (
        "3300201",
        f"{SUB}/attachment/0/3300/3300201/3400202.xlsx",
    ),
    "behind the page-2 404, type doc": ("3300301", "/attachment/0/3300/3300301/3400301.pdf"),
    "date 0": ("3300401", "/attachment/0/3300/3300401/3400401.pdf"),
    "escaped DETAIL link only": ("3300501", "/attachment/0/3300/3300501/3400501.pdf"),
    "non-PDF (docx)": ("3300601", "/attachment/0/3300/3300601/3400601.docx"),
    "non-PDF (xls)": ("3300601", "/attachment/0/3300/3300601/3400602.xls"),
    "non-PDF (doc)": ("3300601", "/attachment/0/3300/3300601/3400603.doc"),
    "inline table": ("3300701", "/gkmlpt/content/3/3300/post_3300701.html"),
}
# must be left out: case → article id
REFUSED = {
    "决算 attachment beside the bundled report": "3300101",
    "决算 article": "3300801",
    "预算 article": "3300802",
    "决算 article opened, only a 决算 inside": "3300803",
    "绩效目标表": "3300804",
    "项目支出 self-evaluation": "3300805",
    "another year (2021)": "3300806",
    "off-platform page (mp.weixin.qq.com)": "3300807",
    "policy interpretation (/zcjdpt)": "3300808",
}

MIME = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAGIC = {
    "pdf": b"%PDF-1.4\n",
    "doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    "docx": b"PK\x03\x04",
    "xlsx": b"PK\x03\x04",
}


def unix(day: str) -> int:
    """Midnight Beijing time of ``YYYY-MM-DD`` as Unix seconds (how `date` is given)."""
    return int(dt.datetime.fromisoformat(day).replace(tzinfo=CHINA).timestamp())


@dataclass
class Site:
    prefix: str
    sid: str
    title: str
    tree: list[dict]
    total_only: bool = False  # the list API gives only `total`, no `classify`
    broken: set[str] = field(default_factory=set)  # lists whose page 2+ answers 404
    articles: dict[str, list[dict]] = field(default_factory=dict)  # category id → newest first
    pages: dict[str, str] = field(default_factory=dict)  # path → html


class FakeGkmlpt:
    """The portal and its sub-site, served on ``fake`` (a ``FakeServer``)."""

    def __init__(self, fake: FakeServer, tree_as_js: bool = False):
        self.fake = fake
        self.tree_as_js = tree_as_js
        self.https = f"https://127.0.0.1:{fake.port}"  # how the platform writes its URLs
        self.portal = self._portal()
        self.sub_site = self._sub_site()
        for site in (self.portal, self.sub_site):
            self._install(site)

    # -- what the sites hold ------------------------------------------------

    def _article(
        self,
        site_prefix: str,
        id_: int,
        title: str,
        category: int,
        created: str,
        *,
        written: str | None = "",
        publisher: str = "广州市黄埔区政务服务数据管理局",
        attachments: list[tuple[str, str, str]] = (),
        url: str | None = None,
        post_url: bool = True,
    ) -> dict:
        """An article as the list API gives it; attachments are (name, kind, type)."""
        content = f"{self.https}{site_prefix}/gkmlpt/content/{id_ // 1000000}/{id_ // 1000}"
        written_day = created[:10] if written == "" else written
        published = int(dt.datetime.fromisoformat(created).replace(tzinfo=CHINA).timestamp())
        listed = []
        for n, (name, kind, type_) in enumerate(attachments, start=1):
            attachment_id = id_ + 100000 + n - 1
            listed.append(
                {
                    "id": attachment_id,
                    "name": name,
                    "type": type_,
                    "mime": MIME[kind],
                    "size": str(20480 + n),
                    "url": self.attachment_url(site_prefix, id_, attachment_id, kind),
                }
            )
        return {
            "id": id_,
            "title": title,
            "document_number": "",
            "publisher": publisher,
            "date": unix(written_day) if written_day else 0,
            "created_at": created,
            "display_publish_time": published,
            "create_time": published,
            "url": url or f"{content}/post_{id_}.html#{category}",
            **({"post_url": f"{content}/post_{id_}.html"} if post_url else {}),
            "attachment": listed,
        }

    def attachment_url(self, prefix: str, post: int, attachment_id: int, kind: str) -> str:
        return f"{self.https}{prefix}/attachment/0/{post // 1000}/{post}/{attachment_id}.{kind}"

    def _portal(self) -> Site:
        tree = [
            _node(1, "政策文件", 0, [_node(11, "区政府文件", 1)]),
            _node(
                2,
                "财政信息",
                0,
                [_node(21, "财政预决算", 2), _node(22, "部门绩效评价", 2)],
            ),
            _node(
                3,
                "部门信息公开",
                0,
                [
                    _node(31, "区政务服务数据管理局", 3, jump=f"{self.https}{SUB}/gkmlpt/index"),
                    _node(32, "市财政局", 3, jump="http://czj.gz.gov.cn/gkmlpt/index"),
                ],
            ),
        ]
        site = Site("", SID, "政府信息公开", tree, broken={"0"})
        a = self._article
        notices = [
            a(
                "",
                3290000 + n,
                f"关于印发黄埔区第{n}号工作方案的通知",
                11,
                f"2024-0{1 + n % 3}-{10 + n % 18:02d} 09:00:00",
                publisher="广州市黄埔区人民政府办公室",
            )
            for n in range(15)
        ]
        # 105 budget notices published Sep-Dec 2023, all written in 2022: a client
        # that stops paging by `date` stops after page 1 and never sees page 2
        budgets = [
            a(
                "",
                3280000 + n,
                f"黄埔区第{n}部门2023年部门预算公开",
                21,
                f"2023-{9 + n % 4:02d}-{1 + n % 28:02d} 10:00:00",
                written="2022-12-20",
                publisher=f"黄埔区第{n}部门",
                attachments=[("2023年部门预算.pdf", "pdf", "doc")],
            )
            for n in range(105)
        ]
        self_eval_pdf = "2022年度部门整体支出绩效自评报告.pdf"
        fiscal = [
            a(
                "",
                3300101,
                "广州市黄埔区政务服务数据管理局2022年度部门决算公开",
                21,
                "2023-07-10 09:30:00",
                written="2023-07-07",
            ),
            a(
                "",
                3300801,
                "黄埔区财政局2022年度部门决算公开",
                21,
                "2023-07-09 09:30:00",
                publisher="黄埔区财政局",
                attachments=[("2022年度部门决算.pdf", "pdf", "doc")],
            ),
            a(
                "",
                3300803,
                "黄埔区民政局2022年度部门决算公开",
                21,
                "2023-07-08 09:30:00",
                publisher="黄埔区民政局",
            ),
            a(
                "",
                3300802,
                "黄埔区政务服务数据管理局2023年部门预算公开",
                21,
                "2023-02-15 09:30:00",
                attachments=[("2023年部门预算.pdf", "pdf", "doc")],
            ),
        ]
        evaluations = [
            a(
                "",
                3300401,
                "区政务服务数据管理局整体绩效自评报告",
                22,
                "2023-08-02 10:00:00",
                written=None,  # date: 0
                attachments=[("整体绩效自评报告.pdf", "pdf", "doc")],
            ),
            a(
                "",
                3300501,
                "黄埔区发展和改革局2022年度部门整体支出绩效自评报告",
                22,
                "2023-07-20 10:00:00",
                publisher="黄埔区发展和改革局",
            ),
            a(
                "",
                3300601,
                "黄埔区财政局2022年度部门整体支出绩效自评",
                22,
                "2023-07-18 10:00:00",
                publisher="黄埔区财政局",
                attachments=[
                    ("2022年度部门整体支出绩效自评报告.docx", "docx", "doc"),
                    ("2022年度部门整体支出绩效自评表.xls", "xls", "xls"),
                    ("附件3 自评情况说明.doc", "doc", "doc"),
                ],
            ),
            a(
                "",
                3300701,
                "黄埔区卫生健康局2022年度部门整体支出绩效自评表",
                22,
                "2023-07-15 10:00:00",
                publisher="黄埔区卫生健康局",
            ),
            a(
                "",
                3300807,
                "图解：黄埔区2022年度部门整体支出绩效自评情况",
                22,
                "2023-07-14 10:00:00",
                url="https://mp.weixin.qq.com/s/hpq2022zp",
                post_url=False,
            ),
            a(
                "",
                3300808,
                "《黄埔区预算绩效管理办法》政策解读",
                22,
                "2023-07-13 10:00:00",
                url=f"{self.https}/zcjdpt?id=4321",
                post_url=False,
            ),
            a(
                "",
                3300301,
                "广州市黄埔区政务服务数据管理局2022年度部门整体支出绩效自评报告",
                22,
                "2023-06-28 10:00:00",
                written="2023-06-26",
                # no extension in the name and `type: doc`: the file is a PDF
                attachments=[(f"广州市黄埔区政务服务数据管理局{self_eval_pdf[:-4]}", "pdf", "doc")],
            ),
            a(
                "",
                3300804,
                "黄埔区政务服务数据管理局2022年度部门整体支出绩效目标表",
                22,
                "2023-03-01 10:00:00",
                attachments=[("2022年度部门整体支出绩效目标表.pdf", "pdf", "doc")],
            ),
            a(
                "",
                3300805,
                "黄埔区政务服务数据管理局2022年度项目支出绩效自评报告",
                22,
                "2023-06-20 10:00:00",
                attachments=[("项目支出绩效自评报告.pdf", "pdf", "doc")],
            ),
            a(
                "",
                3300806,
                "广州市黄埔区政务服务数据管理局2021年度部门整体支出绩效自评报告",
                22,
                "2022-06-30 10:00:00",
                attachments=[("2021年度部门整体支出绩效自评报告.pdf", "pdf", "doc")],
            ),
        ]
        site.articles = {
            "11": notices,
            "21": _newest_first(budgets + fiscal),
            "22": _newest_first(evaluations),
        }
        # pages that matter: the 决算 article bundling the report, the 决算 one
        # without it, the escaped-only link, the inline table
        site.pages = {
            _path(fiscal[0]["post_url"]): self._page(
                fiscal[0],
                [
                    ("2022年度部门决算.pdf", 3400101, "pdf"),
                    (self_eval_pdf, 3400102, "pdf"),
                ],
            ),
            _path(fiscal[2]["post_url"]): self._page(
                fiscal[2], [("2022年度部门决算.pdf", 3400803, "pdf")]
            ),
            _path(evaluations[1]["post_url"]): self._page(
                evaluations[1], [(self_eval_pdf, 3400501, "pdf")], escaped_only=True
            ),
            _path(evaluations[3]["post_url"]): self._page(evaluations[3], [], table=True),
        }
        return site

    def _sub_site(self) -> Site:
        tree = [_node(1001, "机构职能", 0), _node(1002, "资金信息", 0)]
        site = Site(SUB, SUB_SID, "广州市黄埔区政务服务数据管理局", tree, total_only=True)
        a = self._article
        site.articles = {
            "1001": [
                a(SUB, 3290500, "黄埔区政务服务数据管理局机构职能", 1001, "2023-05-01 10:00:00")
            ],
            "1002": [
                a(
                    SUB,
                    3300201,
                    "2022年度部门整体支出绩效自评报告",
                    1002,
                    "2023-06-30 10:00:00",
                    publisher="",
                    attachments=[
                        ("2022年度部门整体支出绩效自评报告.pdf", "pdf", "doc"),
                        ("2022年度部门整体支出绩效自评表.xlsx", "xlsx", "xls"),
                    ],
                )
            ],
        }
        return site

    def _page(
        self,
        article: dict,
        links: list[tuple[str, int, str]],
        *,
        escaped_only: bool = False,
        table: bool = False,
    ) -> str:
        """An article page: the body JSON-escaped in _CONFIG.DETAIL, rendered too unless not."""
        for _, attachment_id, kind in links:
            self._serve_file(_path(self.attachment_url("", article["id"], attachment_id, kind)))
        anchors = "".join(
            f'<p>附件：<a class="nfw-cms-attachment" href="'
            f'{self.attachment_url("", article["id"], attachment_id, kind)}" alt="{name}">'
            f"点击下载</a></p>"
            for name, attachment_id, kind in links
        )
        body = f"<p>{article['title']}。</p>{anchors}"
        if table:
            body += (
                "<table><tr><td>一级指标</td><td>分值</td><td>得分</td></tr>"
                "<tr><td>履职效能</td><td>50</td><td>48</td></tr>"
                "<tr><td>管理效率</td><td>50</td><td>47</td></tr></table>"
            )
        detail = {"id": article["id"], "title": article["title"], "content": body}
        escaped = (
            json.dumps(detail, ensure_ascii=False)
            .replace('\\"', "\\u0022")
            .replace("/", "\\/")
            .replace("<", "\\u003C")
        )
        rendered = "" if escaped_only else f'<div class="article-content">{body}</div>'
        return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{article["title"]}</title></head>
<body><div id="app">{rendered}</div>
<script>
  window._CONFIG = {{
    SID: '{SID}',
    DETAIL: {escaped}
  }};
</script>
</body></html>"""

    # -- serving ------------------------------------------------------------

    def _install(self, site: Site) -> None:
        routes = self.fake.routes
        routes[f"{site.prefix}/gkmlpt/index"] = lambda h: send(
            h, 200, _index_html(site, self.tree_as_js).encode(), "text/html; charset=utf-8"
        )
        ids = [str(n["id"]) for n in _nodes(site.tree)]
        for category in ["0", *ids]:
            routes[f"{site.prefix}/gkmlpt/api/all/{category}"] = self._api(site, category)
        for path, html in site.pages.items():
            routes[path] = lambda h, html=html: send(
                h, 200, html.encode(), "text/html; charset=utf-8"
            )
        for articles in site.articles.values():
            for article in articles:
                path = _path(article["post_url"]) if "post_url" in article else None
                if path and path not in routes:
                    routes[path] = lambda h, a=article: send(
                        h, 200, self._page(a, []).encode(), "text/html; charset=utf-8"
                    )
                for attachment in article["attachment"]:
                    self._serve_file(_path(attachment["url"]))

    def _serve_file(self, path: str) -> None:
        kind = path.rsplit(".", 1)[-1]
        body = MAGIC[kind] + f"\n% {path}\n".encode() + (b"%%EOF\n" if kind == "pdf" else b"")
        self.fake.routes[path] = lambda h: send(h, 200, body, MIME[kind])

    def _api(self, site: Site, category: str):
        if category == "0":
            listed = _newest_first([a for group in site.articles.values() for a in group])
        else:
            listed = site.articles.get(category, [])
        node = next((n for n in _nodes(site.tree) if str(n["id"]) == category), None)

        def route(h: Handler) -> None:
            query = parse_qs(urlsplit(h.path).query)
            page = max(1, int(query.get("page", ["1"])[0]))  # page 0 is page 1
            if category in site.broken and page >= 2:
                send(h, 404, b"<html><body>404 Not Found</body></html>", "text/html")
                return
            chunk = listed[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
            if site.total_only:
                body = {"total": len(listed), "articles": chunk}
            else:
                classify = {
                    "id": int(category),
                    "name": node["name"] if node else "全部",
                    "parent": node["parent"] if node else 0,
                    "post_count": len(listed),
                    "theme_count": 0,
                }
                body = {"classify": classify, "articles": chunk}
            send(h, 200, json.dumps(body, ensure_ascii=False).encode(), "application/json")

        return route


def _index_html(site: Site, tree_as_js: bool = False) -> str:
    tree = json.dumps(_counted(site), ensure_ascii=False)
    if tree_as_js:  # what a hand-written config looks like: bare keys, 'single quotes'
        tree = re.sub(r'"(\w+)":', r"\1:", tree).replace('"', "'")
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{site.title}</title></head>
<body><div id="app"></div>
<script>
  window._CONFIG = {{
    SID: '{site.sid}',
    TREE: {tree},
    SERVICE_AREA_ID: '1',
    APP_URL: '{site.prefix}/gkmlpt/',
    THEME: {{ color: '#c00', banner: "a }} in a string" }}
  }};
</script>
</body></html>"""


def _counted(site: Site) -> list[dict]:
    def count(node: dict) -> dict:
        return {
            **node,
            "post_count": len(site.articles.get(str(node["id"]), [])),
            "children": [count(c) for c in node["children"]],
        }

    return [count(n) for n in site.tree]


def _node(id_: int, name: str, parent: int, children=(), jump: str = "") -> dict:
    return {
        "id": id_,
        "name": name,
        "parent": parent,
        "post_count": 0,
        "children": list(children),
        "jump_url": jump,
    }


def _nodes(tree: list[dict]) -> list[dict]:
    out = []
    for node in tree:
        out.append(node)
        out += _nodes(node.get("children") or [])
    return out


def _newest_first(articles: list[dict]) -> list[dict]:
    return sorted(articles, key=lambda a: a["created_at"], reverse=True)


def _path(url: str) -> str:
    return urlsplit(url).path
