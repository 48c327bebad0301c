"""The Guangdong 政府信息公开目录 platform ("gkmlpt") as seen from outside.

Public pages, as documented for the platform:

- ``GET {site}/gkmlpt/index``: HTML embedding ``window._CONFIG = {...}`` with
  ``SID: '<digits>'`` and ``TREE: [...]`` (categories with ``id``, ``name``,
  ``children``, ``jump_url``);
- ``GET {site}/gkmlpt/api/all/{category_id}?page={n}&sid={SID}``: JSON
  ``{"classify": {"post_count": N}, "articles": [{"id", "title", "url",
  "date", "publisher", "attachment": [...]}]}``.

Field shapes vary between sites and years (attachments especially), so
every field is read defensively: several key spellings, relative URLs,
dates as text or Unix time, missing values. Requests go through
``SafeClient`` with its guards and politeness.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from jixiao.errors import FetchError
from jixiao.fetch.http import SafeClient

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")  # Unix times are read as Beijing dates


class NotGkmlpt(FetchError):
    """The page is not a gkmlpt index (no ``window._CONFIG`` with a SID)."""

    error_class = "not_gkmlpt"


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    path: str  # names from the root, "财政信息/财政预决算"
    jump_url: str | None = None


@dataclass(frozen=True)
class Attachment:
    name: str
    url: str


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    url: str | None
    date: dt.date | None
    publisher: str
    category: str
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class SiteConfig:
    site: str
    sid: str
    site_name: str
    categories: list[Category] = field(default_factory=list)


class Gkmlpt:
    """One gkmlpt site, read through a ``SafeClient``."""

    def __init__(self, site: str, client: SafeClient):
        self.site = site.rstrip("/")
        if self.site.endswith("/gkmlpt"):
            self.site = self.site[: -len("/gkmlpt")]
        self.client = client

    def config(self) -> SiteConfig:
        """The site's SID, name and category tree, from ``/gkmlpt/index``.

        Raises:
            NotGkmlpt: the page carries no ``window._CONFIG`` SID.
            FetchError: the page could not be fetched.
        """
        page = self.client.get_page(f"{self.site}/gkmlpt/index")
        return parse_index(page.text, self.site)

    def articles(
        self,
        config: SiteConfig,
        category: Category,
        max_pages: int,
        stop_before: dt.date | None = None,
    ) -> Iterator[Article]:
        """Articles of one category, newest first, page by page.

        Stops at an empty page, after ``post_count`` articles, after
        ``max_pages`` pages, or at a page whose articles are all dated before
        ``stop_before`` (the lists are newest first).
        """
        seen = 0
        for page_no in range(1, max_pages + 1):
            url = f"{self.site}/gkmlpt/api/all/{category.id}?page={page_no}&sid={config.sid}"
            page = self.client.get_page(url, accept="application/json")
            try:
                data = json.loads(page.text)
            except ValueError as e:
                raise FetchError(f"{url} is not JSON: {e}") from e
            items = data.get("articles") if isinstance(data, dict) else None
            if not isinstance(items, list) or not items:
                return
            articles = [a for a in (parse_article(i, page.final_url, category) for i in items) if a]
            yield from articles
            seen += len(items)
            total = _post_count(data)
            if total is not None and seen >= total:
                return
            dates = [a.date for a in articles]
            if stop_before and dates and all(d is not None and d < stop_before for d in dates):
                return


# -- parsing the index page ----------------------------------------------------

_CONFIG_START = re.compile(r"window\._CONFIG\s*=\s*\{")
_SID = re.compile(r"""\bSID\s*:\s*['"]?(\d+)['"]?""")
_SITE_NAME = re.compile(r"""\bSITE_NAME\s*:\s*(['"])(.*?)\1""")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S | re.I)


def parse_index(html: str, site: str) -> SiteConfig:
    """Read SID, site name and the category tree out of the index page's ``window._CONFIG``."""
    start = _CONFIG_START.search(html)
    if not start:
        raise NotGkmlpt(f"{site}/gkmlpt/index has no window._CONFIG: not a gkmlpt site?")
    config = _balanced(html, start.end() - 1, "{", "}")
    sid = _SID.search(config)
    if not sid:
        raise NotGkmlpt(f"{site}/gkmlpt/index: window._CONFIG has no SID")
    name = _SITE_NAME.search(config)
    title = _TITLE.search(html)
    site_name = name.group(2) if name else (title.group(1).strip() if title else "")
    tree_at = re.search(r"\bTREE\s*:\s*\[", config)
    tree = js_value(_balanced(config, tree_at.end() - 1, "[", "]")) if tree_at else []
    categories = list(_walk(tree if isinstance(tree, list) else [], ""))
    return SiteConfig(site, sid.group(1), site_name, categories)


def _walk(nodes: list, parent: str) -> Iterator[Category]:
    for node in nodes:
        if not isinstance(node, dict) or node.get("id") in (None, ""):
            continue
        name = str(node.get("name") or node.get("title") or "").strip()
        path = f"{parent}/{name}" if parent else name
        jump = node.get("jump_url") or node.get("jumpUrl") or None
        yield Category(str(node["id"]), name, path, str(jump) if jump else None)
        children = node.get("children")
        if isinstance(children, list):
            yield from _walk(children, path)


def _balanced(text: str, at: int, open_: str, close: str) -> str:
    """The bracketed text starting at ``text[at] == open_``, skipping quoted strings."""
    depth, quote, i = 0, None, at
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return text[at : i + 1]
        i += 1
    return text[at:]


_JS_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')
      | (?P<key>[A-Za-z_$][\w$]*)(?=\s*:)
      | (?P<word>true|false|null|undefined)
      | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
      | (?P<punct>[\[\]{}:,])
    )""",
    re.X,
)


def js_value(text: str):
    """A JSON value from JSON or a plain JavaScript literal (unquoted keys, 'strings').

    Returns None when the text is neither.
    """
    try:
        return json.loads(text)
    except ValueError:
        pass
    out, pos = [], 0
    while pos < len(text):
        m = _JS_TOKEN.match(text, pos)
        if not m:
            if text[pos:].strip() == "":
                break
            return None
        pos = m.end()
        kind, token = m.lastgroup, m.group(m.lastgroup)
        if kind == "string" and token.startswith("'"):
            token = json.dumps(token[1:-1].replace("\\'", "'").replace('\\"', '"'))
        elif kind == "key":
            token = json.dumps(token)
        elif token == "undefined":
            token = "null"
        out.append(token)
    joined = re.sub(r",\s*([\]}])", r"\1", "".join(out))  # trailing commas
    try:
        return json.loads(joined)
    except ValueError:
        return None


# -- parsing articles ----------------------------------------------------------

_NAME_KEYS = ("name", "title", "file_name", "filename", "fileName", "original_name", "orig_name")
_URL_KEYS = ("url", "link", "href", "file_url", "fileUrl", "download_url", "downloadUrl", "path")
_EXT_KEYS = ("ext", "extension", "suffix", "type", "file_type", "fileType")
_DATE_KEYS = (
    "date",
    "publish_date",
    "created_at",
    "create_time",
    "publish_time",
    "first_publish_time",
)


def parse_article(item: object, base: str, category: Category) -> Article | None:
    """One entry of ``articles``; None when it has no title."""
    if not isinstance(item, dict):
        return None
    title = _text(item.get("title") or item.get("name"))
    if not title:
        return None
    url = _text(item.get("url") or item.get("post_url") or item.get("link")) or None
    raw = item.get("attachment") or item.get("attachments") or item.get("files") or []
    if isinstance(raw, dict):
        raw = list(raw.values()) if all(isinstance(v, dict) for v in raw.values()) else [raw]
    if not isinstance(raw, list):
        raw = [raw]
    attachments = tuple(a for a in (parse_attachment(r, base) for r in raw) if a)
    date = next((d for d in (parse_date(item.get(k)) for k in _DATE_KEYS) if d), None)
    return Article(
        id=_text(item.get("id")) or "",
        title=title,
        url=urljoin(base, url) if url else None,
        date=date,
        publisher=_text(item.get("publisher") or item.get("source")),
        category=category.path,
        attachments=attachments,
    )


def parse_attachment(item: object, base: str) -> Attachment | None:
    """An attachment from a dict of unknown spelling, or a bare URL string; None if no URL."""
    if isinstance(item, str):
        url, name, ext = item.strip(), "", ""
    elif isinstance(item, dict):
        url = next((_text(item[k]) for k in _URL_KEYS if _text(item.get(k))), "")
        name = next((_text(item[k]) for k in _NAME_KEYS if _text(item.get(k))), "")
        ext = next((_text(item[k]) for k in _EXT_KEYS if _text(item.get(k))), "")
    else:
        return None
    if not url or url.lower().startswith(("javascript:", "mailto:", "#")):
        return None
    url = urljoin(base, url)
    if not name:
        name = url.rsplit("/", 1)[-1].split("?")[0]
    if ext and "." not in name.rsplit("/", 1)[-1]:
        name = f"{name}.{ext.lstrip('.').lower()}"
    return Attachment(name, url)


def is_pdf(attachment: Attachment) -> bool:
    """Whether an attachment is a PDF, by its name or its URL path."""
    path = attachment.url.split("?")[0].split("#")[0].lower()
    return attachment.name.lower().endswith(".pdf") or path.endswith(".pdf")


_PDF_LINK = re.compile(
    r"""<a\b[^>]*?href\s*=\s*(['"])([^'"]+?\.pdf(?:\?[^'"]*)?)\1[^>]*>(.*?)</a>""", re.I | re.S
)
_TAGS = re.compile(r"<[^>]+>")


def pdf_links(html: str, base: str) -> list[Attachment]:
    """PDF links of an article page (for articles whose API entry lists no attachment)."""
    found, seen = [], set()
    for m in _PDF_LINK.finditer(html):
        url = urljoin(base, m.group(2).strip())
        if url in seen:
            continue
        seen.add(url)
        name = _TAGS.sub("", m.group(3)).strip() or url.rsplit("/", 1)[-1]
        found.append(Attachment(name, url))
    return found


def parse_date(value: object) -> dt.date | None:
    """A publication date from text (2023-06-30, 2023/6/30, 2023年6月30日) or Unix time."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        seconds = float(value)
        if seconds > 1e11:  # milliseconds
            seconds /= 1000
        try:
            return dt.datetime.fromtimestamp(seconds, CHINA).date()
        except (OverflowError, OSError, ValueError):
            return None
    m = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", str(value))
    if not m:
        return None
    try:
        return dt.date(*(int(g) for g in m.groups()))
    except ValueError:
        return None


def _post_count(data: dict) -> int | None:
    classify = data.get("classify")
    for value in (
        classify.get("post_count") if isinstance(classify, dict) else None,
        data.get("total"),
    ):
        try:
            return int(value)
        except (TypeError, ValueError):
            continue
    return None


def _text(value: object) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()
