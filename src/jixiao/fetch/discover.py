"""Discovery: find one year's 部门整体支出绩效自评 reports on a gkmlpt site, as manifest entries.

The result is for review, not for ingesting blindly: each entry carries
comments saying where it was found, and an entry that cannot be valid yet
(unknown department kind or district) is written commented out with the
reason. What counts as a report:

- the title or the attachment name says 整体 … 绩效 … 自评 (so 项目支出绩效自评
  of single projects is left out);
- the fiscal year printed in the title (or the attachment name) is the
  year asked for; when neither prints a year, an article published the
  following year is taken, with a comment saying the year is a guess;
- PDF attachments only (other formats are listed in a comment); when the
  title matches, all its PDFs are taken, otherwise only the matching ones;
  an article that lists no attachment has its page searched for PDF links.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from jixiao.errors import FetchError
from jixiao.fetch.gkmlpt import Article, Attachment, Category, Gkmlpt, is_pdf, pdf_links
from jixiao.fetch.http import SafeClient
from jixiao.reference import District, districts, name_key, resolve_department

# categories worth reading first: where 预决算 and 绩效 documents are filed
CATEGORY_WORDS = ("绩效", "预决算", "决算", "预算", "财政")
_YEAR = re.compile(r"(20\d{2})\s*年")
_BEFORE_YEAR = re.compile(r"^(.*?)(?:20\d{2})\s*年")


@dataclass
class Found:
    """One PDF that looks like the year's self-evaluation report."""

    article: Article
    attachment: Attachment
    year_guessed: bool
    department_printed: str
    department_kind: str | None


@dataclass
class Discovery:
    """What a site offered for one year."""

    site: str
    site_name: str
    year: int
    district: District | None
    found: list[Found] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # non-PDF attachments, failed pages
    categories_read: list[str] = field(default_factory=list)


def is_self_evaluation(text: str) -> bool:
    """整体 (whole department), 绩效 and 自评 all present."""
    key = name_key(text)
    return "整体" in key and "绩效" in key and "自评" in key


def printed_years(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(text or "")}


def discover(
    site: str,
    year: int,
    client: SafeClient,
    *,
    district_code: str | None = None,
    max_pages: int = 20,
) -> Discovery:
    """Read a gkmlpt site's categories for ``year``'s self-evaluation reports.

    Raises:
        FetchError: the index page could not be read (or is not gkmlpt);
            a failing category or article page is noted in ``skipped`` instead.
    """
    platform = Gkmlpt(site, client)
    config = platform.config()
    district = districts().get(district_code) if district_code else guess_district(config.site_name)
    result = Discovery(platform.site, config.site_name, year, district)
    stop_before = dt.date(year + 1, 1, 1)  # a year's report is published after it ends
    seen_articles: set[str] = set()
    seen_urls: set[str] = set()
    for category in categories_to_read(config.categories):
        result.categories_read.append(category.path)
        try:
            for article in platform.articles(config, category, max_pages, stop_before):
                if article.id and article.id in seen_articles:
                    continue
                seen_articles.add(article.id)
                for found in _select(article, year, client, result.skipped):
                    if found.attachment.url not in seen_urls:
                        seen_urls.add(found.attachment.url)
                        result.found.append(found)
        except FetchError as e:
            result.skipped.append(f"category {category.path}: {e}")
    return result


def categories_to_read(categories: list[Category]) -> list[Category]:
    """Categories named like 预决算/绩效 (and everything under them); all of them if none is."""
    local = [c for c in categories if not c.jump_url]
    chosen = [c for c in local if any(w in c.path for w in CATEGORY_WORDS)]
    return chosen or local


def _select(article: Article, year: int, client: SafeClient, skipped: list[str]) -> list[Found]:
    title_matches = is_self_evaluation(article.title)
    attachments = list(article.attachments)
    if not attachments and title_matches and article.url:
        try:
            page = client.get_page(article.url, accept="text/html")
            attachments = pdf_links(page.text, page.final_url)
        except FetchError as e:
            skipped.append(f"article {article.title}: {e}")
    found = []
    for attachment in attachments:
        if not (title_matches or is_self_evaluation(attachment.name)):
            continue
        years = printed_years(article.title) or printed_years(attachment.name)
        guessed = not years
        if years and year not in years:
            continue
        if guessed and not (article.date and article.date.year == year + 1):
            continue
        if not is_pdf(attachment):
            skipped.append(f"not a PDF: {attachment.name} ({attachment.url}) in {article.title}")
            continue
        printed, kind = department_of(article, attachment)
        found.append(Found(article, attachment, guessed, printed, kind))
    return found


def department_of(article: Article, attachment: Attachment) -> tuple[str, str | None]:
    """The department as printed and its known kind, from publisher, title or file name."""
    candidates = [article.publisher]
    for text in (article.title, attachment.name):
        m = _BEFORE_YEAR.match(name_key(text))
        if m and m.group(1):
            candidates.append(m.group(1))
        head = re.split(r"关于|部门整体|整体支出|\d{4}", name_key(text))[0]
        candidates.append(head)
    for text in candidates:
        kind = resolve_department(text) if text else None
        if kind:
            return text, kind.kind
    printed = next((c for c in candidates if c), "")
    return printed, None


def guess_district(site_name: str) -> District | None:
    """The Guangdong district a site name names (城市+区县, or a district name unique in 广东)."""
    key = name_key(site_name)
    guangdong = [d for d in districts().values() if d.code.startswith("44")]
    full = [d for d in guangdong if f"{d.city}{d.district}" in key]
    if len(full) == 1:
        return full[0]
    short = [d for d in guangdong if len(d.district) > 1 and d.district in key]
    return short[0] if len(short) == 1 else None


# -- writing manifest entries ---------------------------------------------------


def manifest_entries(discovery: Discovery, known_urls: set[str] = frozenset()) -> str:
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
    return "\n".join(blocks)


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
    notes = [
        f"# {a.title}",
        f"#   article: {a.url or '(no page)'} ({a.date or 'undated'}, {a.publisher or '?'}) "
        f"in {a.category}",
        f"#   attachment: {f.attachment.name}",
    ]
    problems = []
    if f.year_guessed:
        notes.append(
            f"#   review: no year printed; published {a.date}, so taken as {discovery.year}"
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
        f"# Site: {discovery.site} ({discovery.site_name or 'no name'}); "
        f"district: {_district_text(discovery.district)}",
        f"# Categories read: {', '.join(discovery.categories_read) or 'none'}",
    ]
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
    n = sum(1 for line in entries.splitlines() if line.startswith("#   attachment: "))
    text = header(discovery, command) + entries
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.exists() and out.stat().st_size:
            with open(out, "a", encoding="utf-8") as f:
                f.write("\n" + text)
        else:
            out.write_text(text, encoding="utf-8")
    return text, n
