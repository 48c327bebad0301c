"""Discovery against a fake gkmlpt portal served from 127.0.0.1 (tests/fakesite/gkmlpt.py).

The portal behaves as live Guangdong sites do: https fails the TLS handshake
(http works on the same port), a foreign user agent is reset, the whole list
answers 404 from page 2, the body links hide in escaped ``DETAIL`` content,
a department sub-site sits under ``/hpzsj``. Each way the old client went
wrong has its own test, and one end-to-end run of ``jixiao discover`` finds
every planted self-evaluation and nothing else.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import itertools
import logging
import re

import pytest
import yaml
from fakesite.gkmlpt import PLANTED, REFUSED, SID, SUB, SUB_SID, FakeGkmlpt
from fakesite.server import FakeServer, pdf, send, sequence, status

from jixiao.cli import main
from jixiao.errors import ConnectionFailed
from jixiao.fetch import FetchSettings, SafeClient, fetch_many
from jixiao.fetch.discover import (
    categories_to_read,
    discover,
    guess_district,
    is_self_evaluation,
    other_document,
    write_manifest,
)
from jixiao.fetch.gkmlpt import (
    Category,
    Gkmlpt,
    SiteAddress,
    js_value,
    normalise_site,
    parse_article,
    parse_attachment,
    parse_date,
    read_page,
)
from jixiao.manifest import load_manifest

YEAR = 2022
CONTACT = "discover-tests@example.org"


def no_dns(host: str, port: int) -> list[str]:
    raise AssertionError(f"discovery tried to resolve {host}: only 127.0.0.1 is served")


@pytest.fixture
def settings(tmp_path) -> FetchSettings:
    return FetchSettings(
        allow_networks=(ipaddress.ip_network("127.0.0.0/8"),),
        host_delay_s=0.0,
        read_timeout_s=2.0,
        backoff_s=0.05,
        contact=CONTACT,
        raw_dir=tmp_path / "raw",
    )


@pytest.fixture
def portal(settings):
    """The fake portal: broken https, the configured user agent only."""
    with FakeServer(tls_fails=True, agent=settings.user_agent) as server:
        server.gkmlpt = FakeGkmlpt(server)
        yield server


@pytest.fixture
def loopback_env(monkeypatch, tmp_path):
    monkeypatch.setenv("JIXIAO_FETCH_ALLOW_NETWORKS", "127.0.0.0/8")
    monkeypatch.setenv("JIXIAO_FETCH_HOST_DELAY", "0")
    monkeypatch.setenv("JIXIAO_FETCH_CONTACT", CONTACT)
    monkeypatch.setenv("JIXIAO_RAW_DIR", str(tmp_path / "raw"))


def run(portal, settings, site: str | None = None, year: int = YEAR, **kw):
    with SafeClient(settings, resolver=no_dns) as client:
        return discover(site or f"127.0.0.1:{portal.port}", year, client, **kw)


def found_paths(discovery) -> set[tuple[str, str]]:
    return {(f.article.id, _path(f.attachment.url)) for f in discovery.found}


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# -- end to end -------------------------------------------------------------------


def test_cli_finds_every_planted_self_evaluation_and_nothing_else(
    portal, loopback_env, tmp_path, capsys, settings
):
    out = tmp_path / "sources" / "huangpu-2022.yaml"
    args = ["discover", "--site", f"127.0.0.1:{portal.port}", "--year", "2022", "--out", str(out)]
    assert main(args) == 0
    assert f"{len(PLANTED)} new, written to" in capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    # every entry, the commented-out ones too (departments not in the dictionary yet)
    keys = "district_code|year|department|title|url"
    entries = yaml.safe_load(re.sub(rf"(?m)^# (- id: |  (?:{keys}): )", r"\1", text))
    got = {(str(e["id"]).split("-")[2], _path(e["url"])) for e in entries}
    assert got == set(PLANTED.values())
    assert all(e["district_code"] == "440112" and e["year"] == YEAR for e in entries)
    for case, article_id in REFUSED.items():
        listed = {a for a, path in got if a == article_id}
        if case.startswith("决算 attachment beside"):  # its article is found, not this file
            assert "/3400101.pdf" not in text, case
        else:
            assert not listed, case
    assert "UNREAD" not in text  # the page-2 404 was bridged, nothing left unread
    assert f"# Transport: 127.0.0.1:{portal.port}: TLS handshake failed" in text
    assert f"# User agent: {settings.user_agent}\n" in text
    assert settings.user_agent.startswith("jixiao/0.1 (") and CONTACT in settings.user_agent
    assert portal.refused_agents == []  # every request carried the configured agent
    # the valid entries load as a manifest and fetch (the https URLs fall back to http)
    sources, errors = load_manifest(out)
    assert errors == []
    # every department of the dictionary is an entry (a name it lacks stays commented out)
    assert {s.department_kind for s in sources} == {
        "政务服务数据管理局",
        "发展和改革局",
        "财政局",
        "卫生健康局",
    }
    assert sorted(s.id for s in sources) == [
        "440112-2022-3300101",
        "440112-2022-3300201",
        "440112-2022-3300201-2",
        "440112-2022-3300301",
        "440112-2022-3300401",
        "440112-2022-3300501",
        "440112-2022-3300601",
        "440112-2022-3300601-2",
        "440112-2022-3300601-3",
        "440112-2022-3300701",
    ]
    pdfs = [s for s in sources if s.url.endswith(".pdf")]
    results = fetch_many(pdfs, settings=settings)
    assert [r.status for r in results] == ["downloaded"] * 5
    # a second run appends nothing new
    assert main(args) == 0
    assert f"{len(PLANTED)} report(s) of 2022 found" in capsys.readouterr().err
    assert len(load_manifest(out)[0]) == 10


def test_refused_articles_are_named_in_the_header_or_never_fetched(portal, settings):
    found = run(portal, settings)
    skipped = "\n".join(found.skipped)
    assert "not opened (off the platform): 图解" in skipped  # mp.weixin.qq.com is never asked
    assert not any("zcjdpt" in s.path for s in portal.seen)
    assert "not followed (another site): 部门信息公开/市财政局" in skipped
    assert {f.article.id for f in found.found}.isdisjoint(
        set(REFUSED.values()) - {REFUSED["决算 attachment beside the bundled report"]}
    )


# -- each mismatch with the real platform -------------------------------------------


@pytest.mark.parametrize(
    "given",
    [
        "{host}",
        "{host}/",
        "http://{host}",
        "http://{host}/gkmlpt/index",
        "http://{host}/gkmlpt/",
        "http://{host}/gkmlpt",
        "http://{host}/gkmlpt/index#22",
        "https://{host}/gkmlpt/index?x=1",
    ],
)
def test_site_forms_normalise(given):
    site = normalise_site(given.format(host="www.hp.gov.cn"))
    assert (site.netloc, site.prefix) == ("www.hp.gov.cn", "")
    assert site.base in {"https://www.hp.gov.cn", "http://www.hp.gov.cn"}


@pytest.mark.parametrize(
    "given",
    [
        "{host}/hpzsj",
        "{host}/hpzsj/",
        "http://{host}/hpzsj/gkmlpt/index#1002",
        "{host}/hpzsj/gkmlpt/",
    ],
)
def test_site_forms_with_a_department_prefix_normalise(given):
    site = normalise_site(given.format(host="www.hp.gov.cn"))
    assert (site.netloc, site.prefix) == ("www.hp.gov.cn", "/hpzsj")
    assert site.url("/gkmlpt/index").endswith("www.hp.gov.cn/hpzsj/gkmlpt/index")


def test_site_given_as_its_index_page_reads_that_index_once(portal, settings):
    found = run(portal, settings, f"http://127.0.0.1:{portal.port}/gkmlpt/index")
    assert len(found.found) == len(PLANTED)
    assert not any("/gkmlpt/index/gkmlpt" in s.path for s in portal.seen)
    assert len(portal.hits("/gkmlpt/index")) == 1


def test_site_given_with_a_department_prefix_reads_that_sub_site(portal, settings):
    found = run(portal, settings, f"http://127.0.0.1:{portal.port}{SUB}/gkmlpt/index#1002")
    assert found_paths(found) == {
        PLANTED["on the department sub-site (pdf)"],
        PLANTED["on the department sub-site (xlsx)"],
    }
    assert found.sites_read == [f"http://127.0.0.1:{portal.port}{SUB}"]
    assert not portal.hits("/gkmlpt/index")  # the portal itself was not read


def test_date_zero_is_no_date_and_created_at_is_the_publication_date():
    category = Category("22", "部门绩效评价", "财政信息/部门绩效评价")
    base = "https://www.hp.gov.cn/gkmlpt/index"
    zero = parse_article(
        {"id": 1, "title": "t", "date": 0, "created_at": "2023-08-02 10:00:00"}, base, category
    )
    assert (zero.published, zero.written) == (dt.date(2023, 8, 2), None)
    # 1687708800 = 2023-06-26 00:00 Beijing: the 成文日期, not the publication date
    differs = parse_article(
        {"id": 2, "title": "t", "date": 1687708800, "created_at": "2023-06-28 10:00:00"},
        base,
        category,
    )
    assert (differs.published, differs.written) == (dt.date(2023, 6, 28), dt.date(2023, 6, 26))
    only_display = parse_article(
        {"id": 3, "title": "t", "date": 0, "display_publish_time": 1690941600}, base, category
    )
    assert only_display.published == dt.date(2023, 8, 2)


def test_a_report_with_date_zero_and_no_printed_year_is_found_by_created_at(portal, settings):
    found = run(portal, settings)
    (date_zero,) = [f for f in found.found if f.article.id == PLANTED["date 0"][0]]
    assert date_zero.year_guessed
    assert date_zero.article.published == dt.date(2023, 8, 2)


def test_paging_stops_by_publication_date_not_the_written_date(portal, settings):
    # page 1 of 财政预决算: 100 notices written 2022-12-20 but published Sep-Dec 2023
    with SafeClient(settings, resolver=no_dns) as client:
        platform = Gkmlpt(f"http://127.0.0.1:{portal.port}", client)
        config = platform.config()
        category = next(c for c in config.categories if c.id == "21")
        articles = list(platform.articles(config, category, 20, dt.date(2023, 1, 1)))
    assert all(a.written == dt.date(2022, 12, 20) for a in articles[:100])
    assert PLANTED["bundled in a 决算 article"][0] in {a.id for a in articles}
    assert portal.hits("/gkmlpt/api/all/21")[-1].path.endswith(f"page=2&sid={SID}")


def test_links_only_in_escaped_detail_content_are_found_and_named_by_alt(portal, settings):
    page = portal.gkmlpt.portal.pages["/gkmlpt/content/3/3300/post_3300501.html"]
    assert 'class="nfw-cms-attachment"' not in page  # only the escaped form is served
    assert "href=\\u0022" in page
    content = read_page(page, f"http://127.0.0.1:{portal.port}/gkmlpt/content/3/3300/x.html")
    assert [(a.name, a.kind) for a in content.links] == [
        ("2022年度部门整体支出绩效自评报告.pdf", "pdf")
    ]
    assert content.links[0].url.endswith("/attachment/0/3300/3300501/3400501.pdf")
    found = run(portal, settings)
    assert PLANTED["escaped DETAIL link only"] in found_paths(found)


def test_a_self_evaluation_bundled_in_a_final_accounts_article_is_found(portal, settings):
    found = run(portal, settings)
    article_id, path = PLANTED["bundled in a 决算 article"]
    (bundled,) = [f for f in found.found if f.article.id == article_id]
    assert bundled.attachment.url.endswith(path)
    assert bundled.attachment.name == "2022年度部门整体支出绩效自评报告.pdf"
    assert bundled.how == "page link"
    # the 决算 with nothing bundled was opened too, and nothing taken from it
    assert portal.hits("/gkmlpt/content/3/3300/post_3300803.html")
    assert REFUSED["决算 article opened, only a 决算 inside"] not in {
        f.article.id for f in found.found
    }


def test_a_numbered_pdf_with_type_doc_stays_a_pdf():
    item = {
        "id": 3400301,
        "name": "广州市黄埔区政务服务数据管理局2022年度部门整体支出绩效自评报告",
        "type": "doc",
        "mime": "application/pdf",
        "size": "20481",
        "url": "https://www.hp.gov.cn/attachment/0/3300/3300301/3400301.pdf",
    }
    got = parse_attachment(item, "https://www.hp.gov.cn/gkmlpt/index")
    assert got.kind == "pdf"
    assert got.name == "广州市黄埔区政务服务数据管理局2022年度部门整体支出绩效自评报告.pdf"


def test_department_sub_sites_are_followed(portal, settings):
    found = run(portal, settings)
    base = f"http://127.0.0.1:{portal.port}"
    assert found.sites_read == [base, base + SUB]
    sub_api = portal.hits(f"{SUB}/gkmlpt/api/all/0")
    assert sub_api and all(f"sid={SUB_SID}" in s.path for s in sub_api)  # its own SID
    (pdf_entry,) = [f for f in found.found if f.attachment.url.endswith("/3400201.pdf")]
    # no publisher, no department in the title: the sub-site's index names it
    assert pdf_entry.department_kind == "政务服务数据管理局"
    assert pdf_entry.site == base + SUB


def test_every_document_kind_is_kept(portal, settings):
    found = run(portal, settings)
    kinds = {f.attachment.kind for f in found.found}
    assert kinds == {"pdf", "doc", "docx", "xls", "xlsx", "html"}
    names = {f.attachment.name for f in found.found if f.article.id == "3300601"}
    assert names == {
        "2022年度部门整体支出绩效自评报告.docx",
        "2022年度部门整体支出绩效自评表.xls",
        "附件3 自评情况说明.doc",
    }


def test_only_a_table_in_the_article_body_counts_as_inline():
    template = '<table class="meta"><tr><td>索引号</td><td>1</td></tr></table>'
    detail = 'window._CONFIG = {SID: \'1\', DETAIL: {"content": "\\u003Cp\\u003E正文"}};'
    assert not read_page(f"{template}<script>{detail}</script>", "http://s/p").has_table
    body = '<div class="article-content"><table><tr><td>得分</td></tr></table></div>'
    assert read_page(template + body, "http://s/p").has_table
    assert not read_page(template, "http://s/p").has_table


def test_a_content_page_holding_the_table_inline_is_kept_as_html(portal, settings):
    found = run(portal, settings)
    (inline,) = [f for f in found.found if f.how == "inline table"]
    assert inline.attachment.kind == "html"
    assert inline.attachment.url.endswith(PLANTED["inline table"][1])  # no #category


def test_district_comes_from_the_pages_not_a_site_name(portal, settings):
    found = run(portal, settings)
    assert found.site_title == "政府信息公开"  # generic: names no district
    assert found.district.code == "440112"
    assert found.district_source.startswith("named by the pages")
    table = [{"host": "127.0.0.1", "district_code": "440111"}]
    from_table = run(portal, settings, code_table=table)
    assert (from_table.district.code, from_table.district_source) == (
        "440111",
        "site code table (127.0.0.1)",
    )


def test_the_site_code_table_knows_real_hosts():
    from jixiao.fetch.discover import _table_entry
    from jixiao.fetch.gkmlpt import knowledge

    table = knowledge()["sites"]
    assert _table_entry(normalise_site("www.hp.gov.cn"), table)["district_code"] == "440112"
    by = _table_entry(normalise_site("http://www.by.gov.cn/gzbyjy/gkmlpt/index"), table)
    assert (by["district_code"], by["subsites"]["/gzbyjy"]) == ("440111", "教育局")


def test_whole_list_404_on_page_2_falls_back_to_categories(portal, settings):
    found = run(portal, settings)
    assert portal.hits("/gkmlpt/api/all/0")[-1].path.endswith("page=2&sid=" + SID)
    assert any("whole list" in s and "HTTP 404 after 100 of 134" in s for s in found.skipped)
    assert PLANTED["behind the page-2 404, type doc"] in found_paths(found)
    assert not any(s.path.split("?")[1].startswith("page=0") for s in portal.seen if "?" in s.path)


def test_a_gap_that_cannot_be_bridged_is_flagged(portal, settings):
    portal.gkmlpt.portal.broken.add("21")  # 财政预决算 too: its page 2 now answers 404
    found = run(portal, settings)
    gap = [s for s in found.skipped if s.startswith("UNREAD")]
    assert len(gap) == 1 and "财政信息/财政预决算" in gap[0]
    assert "9 article(s) not read" in gap[0]  # 109 listed, 100 read
    assert PLANTED["bundled in a 决算 article"] not in found_paths(found)
    text, _ = write_manifest(found, None, "jixiao discover")
    assert "# Skipped: UNREAD" in text


def test_a_list_left_at_max_pages_is_flagged(portal, settings):
    found = run(portal, settings, f"http://127.0.0.1:{portal.port}", max_pages=1)
    cut = [s for s in found.skipped if "stopped after 1 page(s)" in s]
    assert cut == [
        f"UNREAD: http://127.0.0.1:{portal.port} 全部: stopped after 1 page(s), "
        "100 of 134 articles read (raise --max-pages)"
    ]
    assert PLANTED["behind the page-2 404, type doc"] not in found_paths(found)


# -- transport and politeness ------------------------------------------------------------


def test_https_that_fails_tls_falls_back_to_http_for_that_host_only(portal, settings, caplog):
    caplog.set_level(logging.WARNING, logger="jixiao.fetch")
    with FakeServer(tls_fails=True) as other:
        other.routes["/a.pdf"] = pdf(b"%PDF-1.4\n%%EOF\n")
        with SafeClient(settings, resolver=no_dns) as client:
            found = discover(f"127.0.0.1:{portal.port}", YEAR, client)
            assert portal.tls_attempts == 1  # later https URLs of the host went to http
            key = f"127.0.0.1:{portal.port}"
            assert list(client.downgraded) == [key]
            assert found.transport == {key: client.downgraded[key]}
            assert "SSLV3_ALERT_HANDSHAKE_FAILURE" in found.transport[key]
            assert any(key in r.message and "over http" in r.message for r in caplog.records)
            # another host is still tried over https first
            page = client.get_page(f"https://127.0.0.1:{other.port}/a.pdf")
            assert page.final_url == f"http://127.0.0.1:{other.port}/a.pdf"
            assert other.tls_attempts == 1
    assert found.site == f"http://127.0.0.1:{portal.port}"


def test_without_the_fallback_a_broken_https_host_fails(portal, settings):
    with pytest.raises(ConnectionFailed, match="SSL"):
        run(portal, settings.but(https_fallback=False, attempts=1))
    assert portal.tls_attempts == 1


def test_a_foreign_user_agent_is_reset_and_ours_names_the_tool_and_a_contact(portal, settings):
    ours = settings.user_agent
    assert ours.startswith("jixiao/") and f"contact: {CONTACT}" in ours
    index = f"http://127.0.0.1:{portal.port}/gkmlpt/index"
    browser = settings.but(agent="Mozilla/5.0 (X11; Linux x86_64)", attempts=2)
    with SafeClient(browser, resolver=no_dns) as client, pytest.raises(ConnectionFailed):
        client.get_page(index)
    assert portal.refused_agents == ["Mozilla/5.0 (X11; Linux x86_64)"] * 2
    with SafeClient(settings, resolver=no_dns) as client:
        assert "window._CONFIG" in client.get_page(index).text
    assert portal.seen[-1].headers["user-agent"] == ours


def test_discovery_is_polite(portal, settings):
    delay = 0.05
    # the sub-site's index asks for a pause first: Retry-After is honoured
    original = portal.routes[f"{SUB}/gkmlpt/index"]
    portal.routes[f"{SUB}/gkmlpt/index"] = sequence(status(503, Retry_After="1"), original)
    found = run(portal, settings.but(host_delay_s=delay))
    assert len(found.found) == len(PLANTED)
    times = [s.at for s in portal.seen]
    assert all(b - a >= delay * 0.9 for a, b in itertools.pairwise(times))
    retried = [s.at for s in portal.hits(f"{SUB}/gkmlpt/index")]
    assert len(retried) == 2 and retried[1] - retried[0] >= 0.95


# -- the CLI's other paths -------------------------------------------------------------


def test_cli_prints_when_no_out_and_district_can_be_given(portal, loopback_env, capsys):
    site = f"http://127.0.0.1:{portal.port}/"
    args = ["discover", "--site", site, "--year", "2022", "--district-code", "440111"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "district: 440111 广东省广州市白云区 (--district-code)" in printed
    # 5 of 政务服务数据管理局, 5 of 3 other kinds
    assert printed.count("\n- id: 440111-2022-") == 10


def test_not_a_gkmlpt_site(loopback_env, capsys):
    with FakeServer() as plain:
        plain.routes["/gkmlpt/index"] = lambda h: send(h, 200, b"<html>hi</html>", "text/html")
        assert main(["discover", "--site", plain.base, "--year", "2022"]) == 2
    assert "not_gkmlpt" in capsys.readouterr().err


def test_discovery_keeps_the_guards(loopback_env, monkeypatch, capsys):
    monkeypatch.delenv("JIXIAO_FETCH_ALLOW_NETWORKS")
    assert main(["discover", "--site", "http://127.0.0.1:9", "--year", "2022"]) == 2
    assert "forbidden_address" in capsys.readouterr().err
    assert main(["discover", "--site", "file:///etc", "--year", "2022"]) == 2
    assert "forbidden_scheme" in capsys.readouterr().err


def test_tree_as_a_javascript_literal(settings):
    with FakeServer(agent=settings.user_agent) as server:
        FakeGkmlpt(server, tree_as_js=True)
        found = run(server, settings, f"http://127.0.0.1:{server.port}")
    assert len(found.found) == len(PLANTED)


# -- small parts -------------------------------------------------------------------------


def test_js_value():
    assert js_value("[{id: 1, name: '财政', children: [], jump_url: undefined,}]") == [
        {"id": 1, "name": "财政", "children": [], "jump_url": None}
    ]
    assert js_value('[{"id": 2}]') == [{"id": 2}]
    assert js_value("[function() {}]") is None


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"name": "a.pdf", "url": "/x/a.pdf"}, ("a.pdf", "http://s/x/a.pdf", "pdf")),
        ({"fileName": "报告", "downloadUrl": "y.pdf"}, ("报告.pdf", "http://s/d/y.pdf", "pdf")),
        ({"title": "表", "path": "/z", "ext": "pdf"}, ("表.pdf", "http://s/z", "pdf")),
        (
            {"name": "表", "url": "/z", "mime": "application/vnd.ms-excel"},
            ("表.xls", "http://s/z", "xls"),
        ),
        ({"name": "说明", "url": "/z", "type": "doc"}, ("说明", "http://s/z", None)),
        ("http://t/q.pdf", ("q.pdf", "http://t/q.pdf", "pdf")),
        ({"name": "no url"}, None),
        ({"url": "javascript:void(0)"}, None),
        (None, None),
        (["nested"], None),
    ],
)
def test_parse_attachment(item, expected):
    got = parse_attachment(item, "http://s/d/page")
    assert (got and (got.name, got.url, got.kind)) == expected or (got is None and expected is None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-06-30", dt.date(2023, 6, 30)),
        ("2023/7/1 09:00", dt.date(2023, 7, 1)),
        ("2023年08月02日", dt.date(2023, 8, 2)),
        (1688000000, dt.date(2023, 6, 29)),
        ("1688000000000", dt.date(2023, 6, 29)),
        (0, None),
        ("0", None),
        ("", None),
        ("soon", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_self_evaluation_words():
    assert is_self_evaluation("2022年度部门整体支出绩效自评报告")
    assert is_self_evaluation("整体绩效自评报告")
    assert not is_self_evaluation("2022年度项目支出绩效自评报告")
    assert not is_self_evaluation("2022年部门决算")
    assert not is_self_evaluation("2022年度部门整体支出绩效目标表")
    assert other_document("2022年度部门决算.pdf") == "final_accounts"
    assert other_document("2022年度部门整体支出绩效目标表") == "target_table"
    assert other_document("2022年部门预算") == "budget"
    assert other_document("附件3 自评情况说明.doc") is None


def test_guess_district():
    assert guess_district("广州市黄埔区人民政府门户网站").code == "440112"
    assert guess_district("湛江市坡头区人民政府").code == "440804"
    assert guess_district("政府信息公开") is None


def test_category_filter_falls_back_to_all():
    cats = [Category("1", "政策", "政策"), Category("2", "外链", "外链", jump_url="http://x")]
    assert [c.id for c in categories_to_read(cats)] == ["1"]


def test_site_address_base():
    assert SiteAddress("http", "127.0.0.1:8080", "/hpzsj").url("/gkmlpt/index") == (
        "http://127.0.0.1:8080/hpzsj/gkmlpt/index"
    )
