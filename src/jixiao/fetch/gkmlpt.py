"""The Guangdong 政府信息公开目录 platform ("gkmlpt") as seen from outside.

What the platform serves (from crawlers that have run against live sites):

- ``GET {site}/gkmlpt/index``: HTML embedding ``window._CONFIG = {...}`` with
  ``SID: '…'``, ``TREE`` (nodes ``id``, ``name``, ``parent``, ``post_count``,
  ``children``, ``jump_url``), ``SERVICE_AREA_ID``, ``APP_URL``; usually no
  site name, and a ``<title>`` that can be generic. ``{site}`` may carry a
  path prefix: department sub-sites live under ``/{prefix}/gkmlpt/…`` and
  ``/{prefix}/attachment/…`` on the portal's host, and ``jump_url``
  categories often lead to them.
- ``GET {site}/gkmlpt/api/all/{category}?page={n}&sid={SID}``: JSON
  ``{"classify": {id, name, parent, post_count, theme_count}, "articles":
  [...]}`` (some sites give only a top-level ``total``), 100 articles a page;
  page 0 is page 1; category 0 is the whole site; on some sites page 2 and
  later answer 404 although more exist (``PagingGap``).
- an article: ``date`` is the 成文日期 (Unix time, midnight Beijing, sometimes
  0), ``created_at`` (``"YYYY-MM-DD HH:MM:SS"``) the publication time, also
  ``display_publish_time`` / ``create_time``; ``url`` absolute, sometimes off
  the platform (``mp.weixin.qq.com``, ``/zcjdpt?id=``); ``attachment``
  ``[{id, name, type, mime, size, url}]`` with numbered file names
  (``…/attachment/0/306/306724/3255421.pdf``; the real name is ``name``).
- an article page: the body JSON-escaped in ``_CONFIG.DETAIL.content``; its
  links ``<a class="nfw-cms-attachment" href="…" alt="<real name>">点击下载</a>``,
  sometimes only in escaped form (``href=\\u0022…\\u0022``).

Field shapes still vary between sites and years, so every field is read
defensively. Requests go through ``SafeClient`` (guards, politeness, the
https → http fallback).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import unquote, urljoin, urlsplit

from jixiao.errors import FetchError, HttpStatusError
from jixiao.fetch.http import SafeClient
from jixiao.reference import load_yaml

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")  # Unix times are read as Beijing dates
ALL = "0"  # category 0: every article of the site


class NotGkmlpt(FetchError):
    """The page is not a gkmlpt index (no ``window._CONFIG`` with a SID)."""

    error_class = "not_gkmlpt"


class PagingGap(FetchError):
    """Page 2 or later of a list answered 404 although the count says more exist."""

    error_class = "paging_gap"

    def __init__(self, message: str, read: int, total: int | None):
        super().__init__(message)
        self.read = read
        self.total = total


@cache
def knowledge() -> dict:
    """``reference/gkmlpt.yaml``: formats, words and the site code table."""
    return load_yaml("gkmlpt.yaml")


# -- the site's address --------------------------------------------------------


@dataclass(frozen=True)
class SiteAddress:
    """Where a gkmlpt site lives: scheme, host[:port] and a path prefix ("" or "/hpzsj")."""

    scheme: str
    netloc: str
    prefix: str = ""

    @property
    def base(self) -> str:
        return f"{self.scheme}://{self.netloc}{self.prefix}"

    @property
    def host(self) -> str:
        return (urlsplit(self.base).hostname or "").lower()

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def normalise_site(text: str) -> SiteAddress:
    """The site a user named, in any of the forms people paste.

    ``www.hp.gov.cn``, ``www.hp.gov.cn/``, ``http://www.hp.gov.cn/gkmlpt/index``,
    ``…/gkmlpt/``, ``…/gkmlpt/index#2571``, with or without a department
    prefix (``…/hpzsj/gkmlpt/index``): everything from ``/gkmlpt`` on, the
    query and the fragment are dropped. No scheme means https (the client
    falls back to http for a host whose TLS fails).
    """
    text = text.strip()
    if "://" not in text:
        text = "https://" + text.lstrip("/")
    parts = urlsplit(text)
    path = parts.path
    at = path.find("/gkmlpt")
    if at >= 0:
        path = path[:at]
    return SiteAddress(parts.scheme.lower(), parts.netloc.lower(), path.rstrip("/"))


def same_platform(url: str, site: SiteAddress) -> bool:
    """Whether ``url`` is on the site's host (or a subdomain of its domain)."""
    host = (urlsplit(url).hostname or "").lower()
    home = site.host.removeprefix("www.")
    return host == site.host or host == home or host.endswith("." + home)


# -- the index page --------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    path: str  # names from the root, "财政信息/财政预决算"
    jump_url: str | None = None
    post_count: int | None = None
    children: tuple[str, ...] = ()  # ids


@dataclass(frozen=True)
class SiteConfig:
    site: SiteAddress
    sid: str
    title: str  # the index page's <title>; may be generic ("政府信息公开")
    categories: list[Category] = field(default_factory=list)
    service_area_id: str | None = None
    app_url: str | None = None
    sub_sites: list[SiteAddress] = field(default_factory=list)  # from jump_url
    elsewhere: list[str] = field(default_factory=list)  # jump_urls off the platform


_CONFIG_START = re.compile(r"window\._CONFIG\s*=\s*\{")
_SID = re.compile(r"""\bSID\s*:\s*['"]?(\d+)['"]?""")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S | re.I)


def _config_value(config: str, key: str) -> str | None:
    m = re.search(rf"""\b{key}\s*:\s*(['"])(.*?)\1""", config)
    return m.group(2) if m else None


def parse_index(html: str, site: SiteAddress) -> SiteConfig:
    """SID, category tree and sub-sites from the index page's ``window._CONFIG``."""
    start = _CONFIG_START.search(html)
    if not start:
        raise NotGkmlpt(f"{site.base}/gkmlpt/index has no window._CONFIG: not a gkmlpt site?")
    config = _balanced(html, start.end() - 1, "{", "}")
    sid = _SID.search(config)
    if not sid:
        raise NotGkmlpt(f"{site.base}/gkmlpt/index: window._CONFIG has no SID")
    title = _TITLE.search(html)
    tree_at = re.search(r"\bTREE\s*:\s*\[", config)
    tree = js_value(_balanced(config, tree_at.end() - 1, "[", "]")) if tree_at else []
    categories = list(_walk(tree if isinstance(tree, list) else [], ""))
    sub_sites: list[SiteAddress] = []
    elsewhere: list[str] = []
    for category in categories:
        if not category.jump_url:
            continue
        target = urljoin(site.base + "/gkmlpt/index", category.jump_url)
        if "/gkmlpt" in urlsplit(target).path and same_platform(target, site):
            address = normalise_site(target)
            elsewhere_here = (address.netloc, address.prefix) != (site.netloc, site.prefix)
            if elsewhere_here and address not in sub_sites:
                sub_sites.append(address)
        elif not same_platform(target, site):
            elsewhere.append(f"{category.path}: {target}")
    return SiteConfig(
        site=site,
        sid=sid.group(1),
        title=re.sub(r"\s+", " ", title.group(1)).strip() if title else "",
        categories=categories,
        service_area_id=_config_value(config, "SERVICE_AREA_ID"),
        app_url=_config_value(config, "APP_URL"),
        sub_sites=sub_sites,
        elsewhere=elsewhere,
    )


def _walk(nodes: list, parent: str) -> Iterator[Category]:
    for node in nodes:
        if not isinstance(node, dict) or node.get("id") in (None, ""):
            continue
        name = str(node.get("name") or node.get("title") or "").strip()
        path = f"{parent}/{name}" if parent else name
        jump = node.get("jump_url") or node.get("jumpUrl") or None
        children = node.get("children") if isinstance(node.get("children"), list) else []
        yield Category(
            str(node["id"]),
            name,
            path,
            str(jump) if jump else None,
            _int(node.get("post_count")),
            tuple(str(c["id"]) for c in children if isinstance(c, dict) and "id" in c),
        )
        yield from _walk(children, path)


# -- the list API ------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    name: str  # the real name ("…自评报告.pdf"), not the numbered file name
    url: str
    kind: str | None = None  # pdf · doc · docx · xls · xlsx; None when unknown


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    url: str | None  # as listed (may be off the platform)
    published: dt.date | None  # created_at / display_publish_time / create_time
    written: dt.date | None  # `date`, the 成文日期; None when 0
    publisher: str
    category: str
    attachments: tuple[Attachment, ...] = ()
    page_url: str | None = None  # the article's page on the platform, if any
    document_number: str = ""


class Gkmlpt:
    """One gkmlpt site (a portal or a department sub-site), read through a ``SafeClient``."""

    def __init__(self, site: SiteAddress | str, client: SafeClient):
        self.site = site if isinstance(site, SiteAddress) else normalise_site(site)
        self.client = client
        self.cut_short: list[str] = []  # lists left at max_pages before their end

    def config(self) -> SiteConfig:
        """The site's SID, category tree and sub-sites, from ``/gkmlpt/index``.

        Raises:
            NotGkmlpt: the page carries no ``window._CONFIG`` SID.
            FetchError: the page could not be fetched.
        """
        page = self.client.get_page(self.site.url("/gkmlpt/index"))
        if page.final_url.startswith("http://") and self.site.scheme == "https":
            self.site = SiteAddress("http", self.site.netloc, self.site.prefix)
        return parse_index(page.text, self.site)

    def articles(
        self,
        config: SiteConfig,
        category: Category,
        max_pages: int,
        stop_before: dt.date | None = None,
    ) -> Iterator[Article]:
        """Articles of one category (``ALL`` for the whole site), newest first, page by page.

        Pages start at 1 (page 0 repeats page 1). Stops at an empty page, after
        ``post_count`` (or ``total``) articles, at a page whose articles were
        all *published* before ``stop_before``, or after ``max_pages`` pages
        (noted in ``cut_short``).

        Raises:
            PagingGap: page 2 or later answered 404 while more were announced.
            FetchError: the first page could not be read.
        """
        seen = 0
        total = category.post_count
        for page_no in range(1, max_pages + 1):
            url = self.site.url(f"/gkmlpt/api/all/{category.id}?page={page_no}&sid={config.sid}")
            try:
                page = self.client.get_page(url, accept="application/json")
            except HttpStatusError as e:
                if e.status == 404 and page_no > 1:
                    raise PagingGap(
                        f"{url}: HTTP 404 after {seen} of {total or '?'} articles", seen, total
                    ) from e
                raise
            try:
                data = json.loads(page.text)
            except ValueError as e:
                raise FetchError(f"{url} is not JSON: {e}") from e
            items = data.get("articles") if isinstance(data, dict) else None
            if not isinstance(items, list) or not items:
                return
            articles = [
                a
                for a in (parse_article(i, page.final_url, category, self.site) for i in items)
                if a
            ]
            yield from articles
            seen += len(items)
            total = _post_count(data) or total
            if total is not None and seen >= total:
                return
            dates = [a.published for a in articles]
            if stop_before and dates and all(d is not None and d < stop_before for d in dates):
                return
        self.cut_short.append(
            f"{category.path}: stopped after {max_pages} page(s), {seen} of {total or '?'} "
            "articles read (raise --max-pages)"
        )


def _post_count(data: dict) -> int | None:
    classify = data.get("classify")
    for value in (
        classify.get("post_count") if isinstance(classify, dict) else None,
        data.get("total"),
    ):
        number = _int(value)
        if number is not None:
            return number
    return None


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


# -- parsing articles ----------------------------------------------------------

_NAME_KEYS = ("name", "title", "file_name", "filename", "fileName", "original_name", "orig_name")
_URL_KEYS = ("url", "link", "href", "file_url", "fileUrl", "download_url", "downloadUrl", "path")
# explicit extension hints; never `type`, which is "doc" for a PDF too
_EXT_KEYS = ("ext", "extension", "suffix", "file_type", "fileType")
_PUBLISHED_KEYS = (
    "created_at",
    "display_publish_time",
    "create_time",
    "publish_time",
    "first_publish_time",
    "publish_date",
)


def parse_article(
    item: object, base: str, category: Category, site: SiteAddress | None = None
) -> Article | None:
    """One entry of ``articles``; None when it has no title.

    The publication date is ``created_at`` (then ``display_publish_time``,
    ``create_time``…); ``date`` is the 成文日期 and only stands in when no
    publication time is given. A ``date`` of 0 is no date.
    """
    if not isinstance(item, dict):
        return None
    title = _text(item.get("title") or item.get("name"))
    if not title:
        return None
    urls = [
        urljoin(base, u)
        for u in (_text(item.get(k)) for k in ("url", "post_url", "link"))
        if u and not u.lower().startswith(("javascript:", "#"))
    ]
    site = site or normalise_site(base)
    page_url = next((u.split("#")[0] for u in urls if _is_content_page(u, site)), None)
    raw = item.get("attachment") or item.get("attachments") or item.get("files") or []
    if isinstance(raw, dict):
        raw = list(raw.values()) if all(isinstance(v, dict) for v in raw.values()) else [raw]
    if not isinstance(raw, list):
        raw = [raw]
    attachments = tuple(a for a in (parse_attachment(r, base) for r in raw) if a)
    written = parse_date(item.get("date"))
    published = next((d for d in (parse_date(item.get(k)) for k in _PUBLISHED_KEYS) if d), None)
    return Article(
        id=_text(item.get("id")) or "",
        title=title,
        url=urls[0] if urls else None,
        published=published or written,
        written=written,
        publisher=_text(item.get("publisher") or item.get("source")),
        category=category.path,
        attachments=attachments,
        page_url=page_url,
        document_number=_text(item.get("document_number")),
    )


def _is_content_page(url: str, site: SiteAddress) -> bool:
    return "/gkmlpt/content/" in urlsplit(url).path and same_platform(url, site)


def parse_attachment(item: object, base: str) -> Attachment | None:
    """An attachment from a dict of unknown spelling, or a bare URL string; None if no URL.

    The name is the real one (``name``…); the kind comes from the URL's
    extension, then the name's, an explicit extension field, then ``mime``.
    """
    if isinstance(item, str):
        url, name, hint, mime = item.strip(), "", "", ""
    elif isinstance(item, dict):
        url = next((_text(item[k]) for k in _URL_KEYS if _text(item.get(k))), "")
        name = next((_text(item[k]) for k in _NAME_KEYS if _text(item.get(k))), "")
        hint = next((_text(item[k]) for k in _EXT_KEYS if _text(item.get(k))), "")
        mime = _text(item.get("mime") or item.get("mime_type") or item.get("content_type"))
    else:
        return None
    if not url or url.lower().startswith(("javascript:", "mailto:", "#")):
        return None
    url = urljoin(base, url)
    return _attachment(name, url, hint, mime)


def _attachment(name: str, url: str, hint: str = "", mime: str = "") -> Attachment:
    file_name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    name = name or file_name
    kind = kind_of(file_name) or kind_of(name) or _kind_hint(hint) or _kind_of_mime(mime)
    if kind and not kind_of(name):
        name = f"{name}.{kind}"
    return Attachment(name, url, kind)


def kind_of(name: str) -> str | None:
    """The document kind a file name's extension says (pdf, docx, …), or None."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return ext if ext in knowledge()["document_kinds"] else None


def _kind_hint(hint: str) -> str | None:
    hint = hint.lower().lstrip(".")
    return hint if hint in knowledge()["document_kinds"] else None


def _kind_of_mime(mime: str) -> str | None:
    mime = mime.split(";")[0].strip().lower()
    for kind, types in knowledge()["document_kinds"].items():
        if mime in types:
            return kind
    return None


# -- article pages ---------------------------------------------------------------


@dataclass(frozen=True)
class PageContent:
    """What an article page offers: document links and whether its body holds a table."""

    links: list[Attachment]
    has_table: bool
    body: str


_DETAIL = re.compile(r"\bDETAIL\s*:\s*\{")
_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.I | re.S)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_TAGS = re.compile(r"<[^>]+>")
_ARTICLE_BODY = re.compile(
    r"""<div[^>]*class=["'][^"']*article-content[^"']*["'][^>]*>(.*)""", re.S
)


def detail_content(html: str) -> str:
    """The article body from ``window._CONFIG.DETAIL.content`` (JSON-unescaped), or ""."""
    start = _CONFIG_START.search(html)
    if not start:
        return ""
    config = _balanced(html, start.end() - 1, "{", "}")
    at = _DETAIL.search(config)
    if not at:
        return ""
    detail = js_value(_balanced(config, at.end() - 1, "{", "}"))
    if isinstance(detail, dict) and isinstance(detail.get("content"), str):
        return detail["content"]
    return ""


def _unescape(text: str) -> str:
    """JSON string escapes undone by hand (for pages whose config does not parse)."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return text.replace("\\/", "/").replace('\\"', '"')


def read_page(html: str, base: str) -> PageContent:
    """Document links and inline tables of an article page.

    Links are read from the escaped ``DETAIL.content`` body, from the HTML as
    served and from the HTML with JSON escapes undone, so a link present only
    as ``href=\\u0022…\\u0022`` is found. A link's name is its ``alt`` (the real
    file name), then its text unless the text is generic (点击下载).
    """
    body = detail_content(html)
    generic = set(knowledge()["generic_link_texts"])
    links: list[Attachment] = []
    seen: set[str] = set()
    for text in (body, html, _unescape(html)):
        for m in _LINK.finditer(text):
            attrs = {
                a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or ""
                for a in _ATTR.finditer(m.group(1))
            }
            href = attrs.get("href", "").strip()
            if not href or href.lower().startswith(("javascript:", "mailto:", "#")):
                continue
            url = urljoin(base, href)
            label = _TAGS.sub("", m.group(2)).strip()
            name = attrs.get("alt", "").strip() or ("" if label in generic else label)
            attachment = _attachment(name, url)
            if attachment.kind is None or url in seen:
                continue
            seen.add(url)
            links.append(attachment)
    # only the article body counts: the page template has a metadata table of its own
    rendered = _ARTICLE_BODY.search(html)
    text = body or (rendered.group(1) if rendered else "")
    has_table = bool(re.search(r"<table\b", text, re.I))
    return PageContent(links, has_table, body)


# -- shared helpers ----------------------------------------------------------------


def _text(value: object) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


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


def parse_date(value: object) -> dt.date | None:
    """A date from text (2023-06-30, 2023/6/30, 2023年6月30日) or Unix time."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        seconds = float(value)
        if seconds <= 0:  # `date: 0`: no date, not 1970
            return None
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
