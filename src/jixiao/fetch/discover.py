"""Discovery: find one year's 部门整体支出绩效自评 reports on a gkmlpt site, as manifest entries.

The result is for review, not for ingesting blindly: each entry carries
comments saying where it was found, and an entry that cannot be valid yet
(unknown department kind or district) is written commented out with the
reason. Steps, in order:

1. the site address is normalised (``gkmlpt.normalise_site``), its index read,
   and every department sub-site its ``jump_url`` categories lead to is
   queued and read the same way;
2. each site's whole list (category 0) is paged newest first until a page
   published entirely before 1 January of year+1; when paging breaks (page 2
   answers 404), the 预决算/绩效 categories are paged one by one instead, and
   whatever still cannot be read is named in the header;
3. an article is kept when its title, or an attachment's real name, says
   整体 … 绩效 … 自评 (not 项目支出 of single projects) and prints the year
   asked for; with no year printed, an article *published* (``created_at``)
   in year+1 is taken with a review comment;
4. an article whose API lists no attachment is opened when its title is about
   决算/预算/绩效/自评: its links (also those only in the escaped
   ``DETAIL`` body) are read, and a self-evaluation bundled in a 决算 article
   is found; a self-evaluation page holding its table inline is kept as HTML;
5. every document kind is kept (PDF, .doc/.docx, .xls/.xlsx), named by its
   real name; names that are another kind of document (决算, 预算, 绩效目标表)
   are refused;
6. district: ``--district-code``, else the site code table
   (``reference/gkmlpt.yaml``), else the district the pages' publishers and
   titles name; department: publisher, title, file name, then the sub-site's
   entry in the code table and its index title.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from jixiao.errors import FetchError
from jixiao.fetch.gkmlpt import (
    ALL,
    Article,
    Attachment,
    Category,
    Gkmlpt,
    PagingGap,
    SiteAddress,
    SiteConfig,
    knowledge,
    normalise_site,
    read_page,
)
from jixiao.fetch.http import SafeClient
from jixiao.reference import District, districts, name_key, resolve_department

_YEAR = re.compile(r"(20\d{2})\s*年")
_BEFORE_YEAR = re.compile(r"^(.*?)(?:20\d{2})\s*年")


@dataclass
class Found:
    """One document that looks like the year's self-evaluation report."""

    article: Article
    attachment: Attachment  # kind "html" for a page holding its table inline
    site: str  # the (sub-)site it was listed on
    how: str  # attachment · page link · inline table
    year_guessed: bool
    department_printed: str
    department_kind: str | None


@dataclass
class Discovery:
    """What a site (and its department sub-sites) offered for one year."""

    site: str
    site_title: str
    year: int
    district: District | None
    district_source: str = ""
    found: list[Found] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # refused, unread, not followed
    sites_read: list[str] = field(default_factory=list)
    lists_read: list[str] = field(default_factory=list)
    transport: dict[str, str] = field(default_factory=dict)  # host → why http was used
    user_agent: str = ""


def is_self_evaluation(text: str) -> bool:
    """整体 (whole department), 绩效 and 自评 all present."""
    key = name_key(text)
    return "整体" in key and "绩效" in key and "自评" in key


def other_document(text: str) -> str | None:
    """The kind of document a name says it is when that is not a self-evaluation (决算…)."""
    key = name_key(text)
    if "自评" in key:
        return None
    for doc_type, words in knowledge()["not_self_evaluation"].items():
        if any(w in key for w in words):
            return doc_type
    return None


def printed_years(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(text or "")}


def discover(
    site: str,
    year: int,
    client: SafeClient,
    *,
    district_code: str | None = None,
    max_pages: int = 20,
    code_table: list[dict] | None = None,
) -> Discovery:
    """Read a gkmlpt site and its department sub-sites for ``year``'s self-evaluation reports.

    Args:
        site: the site in any form (host, host/, …/gkmlpt/index, with a prefix).
        district_code: overrides the code table and the pages.
        max_pages: pages per list (100 articles a page).
        code_table: host → district entries (default: ``reference/gkmlpt.yaml``).

    Raises:
        FetchError: the first index page could not be read (or is not gkmlpt);
            a failing list, article page or sub-site is noted in ``skipped``.
    """
    table = knowledge()["sites"] if code_table is None else code_table
    root = normalise_site(site)
    result = Discovery(root.base, "", year, None)
    stop_before = dt.date(year + 1, 1, 1)  # a year's report is published after it ends
    queue: list[SiteAddress] = [root]
    visited: set[tuple[str, str]] = set()
    seen_articles: set[tuple[str, str]] = set()
    seen_urls: set[str] = set()
    while queue:
        address = queue.pop(0)
        if (address.netloc, address.prefix) in visited:
            continue
        visited.add((address.netloc, address.prefix))
        platform = Gkmlpt(address, client)
        try:
            config = platform.config()
        except FetchError as e:
            if address is root:
                raise
            result.skipped.append(f"sub-site {address.base}: {e}")
            continue
        if address is root:
            result.site, result.site_title = platform.site.base, config.title
        result.sites_read.append(platform.site.base)
        queue += config.sub_sites
        result.skipped += [f"not followed (another site): {e}" for e in config.elsewhere]
        sub_site = _sub_site_department(platform.site, table, config, address is root)
        for article in site_articles(platform, config, max_pages, stop_before, result):
            if (platform.site.netloc, article.id) in seen_articles:
                continue
            seen_articles.add((platform.site.netloc, article.id))
            for found in _select(article, year, client, platform.site, sub_site, result.skipped):
                if found.attachment.url not in seen_urls:
                    seen_urls.add(found.attachment.url)
                    result.found.append(found)
    result.district, result.district_source = _district(result, root, table, district_code)
    result.transport = dict(client.downgraded)
    result.user_agent = client.settings.user_agent
    return result


def site_articles(
    platform: Gkmlpt,
    config: SiteConfig,
    max_pages: int,
    stop_before: dt.date,
    result: Discovery,
) -> Iterator[Article]:
    """The site's articles back to ``stop_before``: the whole list, else category by category."""
    label = platform.site.base
    everything = Category(ALL, "全部", "全部")
    try:
        yield from platform.articles(config, everything, max_pages, stop_before)
        result.lists_read.append(f"{label} (all)")
        result.skipped += [f"UNREAD: {label} {note}" for note in platform.cut_short]
        return
    except FetchError as e:
        result.skipped.append(f"{label} whole list: {e}; reading its categories instead")
    for category in categories_to_read(config.categories):
        try:
            yield from platform.articles(config, category, max_pages, stop_before)
            result.lists_read.append(f"{label} {category.path}")
        except PagingGap as gap:
            result.lists_read.append(f"{label} {category.path} (first {gap.read})")
            if category.children:
                result.skipped.append(f"{label} {category.path}: {gap}; its sub-categories read")
            else:
                missing = f"{gap.total - gap.read}" if gap.total else "some"
                result.skipped.append(
                    f"UNREAD: {label} {category.path}: {gap}; {missing} article(s) not read"
                )
        except FetchError as e:
            result.skipped.append(f"UNREAD: {label} {category.path}: {e}")
    result.skipped += [f"UNREAD: {label} {note}" for note in platform.cut_short]


def categories_to_read(categories: list[Category]) -> list[Category]:
    """Categories named like 预决算/绩效 (and everything under them); all of them if none is."""
    words = knowledge()["category_words"]
    local = [c for c in categories if not c.jump_url]
    chosen = [c for c in local if any(w in c.path for w in words)]
    return chosen or local


def _select(
    article: Article,
    year: int,
    client: SafeClient,
    site: SiteAddress,
    sub_site: tuple[str, str],
    skipped: list[str],
) -> list[Found]:
    title_matches = is_self_evaluation(article.title)
    attachments = [(a, "attachment") for a in article.attachments]
    page = None
    opens = title_matches or any(w in article.title for w in knowledge()["open_page_words"])
    if not attachments and opens:
        if article.page_url:
            try:
                got = client.get_page(article.page_url, accept="text/html")
                page = read_page(got.text, got.final_url)
                attachments = [(a, "page link") for a in page.links]
            except FetchError as e:
                skipped.append(f"article {article.title}: {e}")
        elif title_matches:
            skipped.append(f"not opened (off the platform): {article.title} ({article.url})")
    chosen: list[tuple[Attachment, str]] = []
    for attachment, how in attachments:
        names_it = is_self_evaluation(attachment.name)
        if not (names_it or (title_matches and other_document(attachment.name) is None)):
            continue
        if attachment.kind is None:
            skipped.append(
                f"not a document kind: {attachment.name} ({attachment.url}) in {article.title}"
            )
            continue
        chosen.append((attachment, how))
    if not chosen and title_matches and page is not None and page.has_table:
        inline = Attachment(f"{article.title}.html", article.page_url or "", "html")
        chosen.append((inline, "inline table"))
    found = []
    for attachment, how in chosen:
        years = _years(article.title, attachment.name)
        guessed = not years
        if years and year not in years:
            continue
        if guessed and not (article.published and article.published.year == year + 1):
            continue
        printed, kind = department_of(article, attachment, sub_site)
        found.append(Found(article, attachment, site.base, how, guessed, printed, kind))
    return found


def _years(title: str, name: str) -> set[int]:
    """Fiscal years printed: the self-evaluation file's own name first, then the title."""
    if is_self_evaluation(name) and printed_years(name):
        return printed_years(name)
    return printed_years(title) or printed_years(name)


def department_of(
    article: Article, attachment: Attachment, sub_site: tuple[str, str] = ("", "")
) -> tuple[str, str | None]:
    """The department as printed and its known kind.

    From the publisher, the title, the file name, then the sub-site (its code
    table entry, its index title).
    """
    candidates = [article.publisher]
    for text in (article.title, attachment.name):
        m = _BEFORE_YEAR.match(name_key(text))
        if m and m.group(1):
            candidates.append(m.group(1))
        candidates.append(re.split(r"关于|部门整体|整体支出|整体绩效|\d{4}", name_key(text))[0])
    candidates += list(sub_site)
    for text in candidates:
        kind = resolve_department(text) if text else None
        if kind:
            return text, kind.kind
    printed = next((c for c in candidates if c), "")
    return printed, None


def _sub_site_department(
    site: SiteAddress, table: list[dict], config: SiteConfig, is_root: bool
) -> tuple[str, str]:
    """(code-table department, index title) of a department sub-site; empty for the portal."""
    if is_root and not site.prefix:
        return "", ""
    entry = _table_entry(site, table) or {}
    department = (entry.get("subsites") or {}).get(site.prefix, "")
    return department, config.title


def _table_entry(site: SiteAddress, table: list[dict]) -> dict | None:
    host = site.host
    return next((e for e in table if str(e.get("host", "")).lower() in (host, f"www.{host}")), None)


def _district(
    result: Discovery, root: SiteAddress, table: list[dict], explicit: str | None
) -> tuple[District | None, str]:
    if explicit:
        return districts().get(explicit), "--district-code"
    entry = _table_entry(root, table)
    if entry and entry.get("district_code"):
        return districts().get(str(entry["district_code"])), f"site code table ({root.host})"
    texts = [t for f in result.found for t in (f.article.publisher, f.article.title)]
    codes = {d.code: d for d in (guess_district(t) for t in [*texts, result.site_title]) if d}
    if len(codes) == 1:
        (district,) = codes.values()
        return district, "named by the pages (publishers, titles)"
    if codes:
        return None, "pages name several districts: " + ", ".join(sorted(codes))
    return None, "not in the site code table, not named by the pages"


def guess_district(text: str) -> District | None:
    """The Guangdong district a text names (城市+区县, or a district name unique in 广东)."""
    key = name_key(text)
    guangdong = [d for d in districts().values() if d.code.startswith("44")]
    full = [d for d in guangdong if f"{d.city}{d.district}" in key]
    if len(full) == 1:
        return full[0]
    short = [d for d in guangdong if len(d.district) > 1 and d.district in key]
    return short[0] if len(short) == 1 else None


# -- writing manifest entries ---------------------------------------------------


def manifest_entries(discovery: Discovery, known_urls: set[str] = frozenset()) -> list[str]:
    """The discovered reports as commented YAML manifest entries (new URLs only)."""
    blocks = []
    counts: dict[str, int] = {}
    for f in discovery.found:
        if f.attachment.url in known_urls:
            continue
        stem = _id_stem(discovery, f)
        counts[stem] = counts.get(stem, 0) + 1
        entry_id = stem if counts[stem] == 1 else f"{stem}-{counts[stem]}"
        blocks.append(_entry_block(discovery, f, entry_id))
    return blocks


def _id_stem(discovery: Discovery, f: Found) -> str:
    place = discovery.district.code if discovery.district else _host_slug(discovery.site)
    article = re.sub(r"[^a-z0-9]+", "-", f.article.id.lower()).strip("-") or "x"
    return f"{place}-{discovery.year}-{article}"


def _host_slug(site: str) -> str:
    host = (urlsplit(site).hostname or "site").lower()
    labels = [p for p in re.split(r"[^a-z0-9]+", host) if p and p not in {"www", "gov", "cn"}]
    return "-".join(labels) or "site"


def _entry_block(discovery: Discovery, f: Found, entry_id: str) -> str:
    a = f.article
    written = f", written {a.written}" if a.written else ""
    notes = [
        f"# {a.title}",
        f"#   article: {a.page_url or a.url or '(no page)'} (published {a.published or '?'}"
        f"{written}, {a.publisher or '?'}) in {f.site} {a.category}",
        f"#   document: {f.attachment.name} ({f.attachment.kind}, {f.how})",
    ]
    problems = []
    if f.year_guessed:
        notes.append(
            f"#   review: no year printed; published {a.published}, so taken as {discovery.year}"
        )
    if f.department_kind is None:
        problems.append(
            f"department {f.department_printed or '?'!s} is not a known kind "
            "(add it to src/jixiao/reference/departments.yaml, then uncomment)"
        )
    if discovery.district is None:
        problems.append("district unknown: fill in district_code, then uncomment")
    entry = {
        "id": entry_id,
        "district_code": discovery.district.code if discovery.district else "",
        "year": discovery.year,
        "department": f.department_kind or f.department_printed,
        "title": a.title,
        "url": f.attachment.url,
    }
    body = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000)
    if problems:
        notes += [f"#   review: {p}" for p in problems]
        body = "".join(f"# {line}\n" for line in body.splitlines())
    return "\n".join(notes) + "\n" + body


def header(discovery: Discovery, command: str) -> str:
    when = dt.date.today().isoformat()
    lines = [
        f"# Found by `{command}` on {when}: review before ingesting.",
        f"# Site: {discovery.site} ({discovery.site_title or 'no title'}); "
        f"district: {_district_text(discovery.district)} ({discovery.district_source})",
        f"# Sites read: {', '.join(discovery.sites_read) or 'none'}",
        f"# Lists read: {', '.join(discovery.lists_read) or 'none'}",
    ]
    if discovery.user_agent:
        lines.append(f"# User agent: {discovery.user_agent}")
    lines += [f"# Transport: {host}: {why}" for host, why in discovery.transport.items()]
    lines += [f"# Skipped: {s}" for s in discovery.skipped]
    return "\n".join(lines) + "\n\n"


def _district_text(district: District | None) -> str:
    if district is None:
        return "unknown (pass --district-code)"
    return f"{district.code} {district.province}{district.city}{district.district}"


def write_manifest(discovery: Discovery, out: Path | None, command: str) -> tuple[str, int]:
    """Write (or append to) ``out``; returns the text written and how many entries."""
    known: set[str] = set()
    if out is not None and out.exists():
        existing = yaml.safe_load(out.read_text(encoding="utf-8")) or []
        known = {e.get("url") for e in existing if isinstance(e, dict) and e.get("url")}
    entries = manifest_entries(discovery, known)
    text = header(discovery, command) + "\n".join(entries)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.exists() and out.stat().st_size:
            with open(out, "a", encoding="utf-8") as f:
                f.write("\n" + text)
        else:
            out.write_text(text, encoding="utf-8")
    return text, len(entries)
