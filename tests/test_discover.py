"""Discovery on a fake gkmlpt site served from 127.0.0.1 (tests/fakesite/)."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest
from fakesite.gkmlpt import install
from fakesite.server import FakeServer, send

from jixiao.cli import main
from jixiao.fetch import FetchSettings, SafeClient, fetch_many
from jixiao.fetch.discover import discover, guess_district, is_self_evaluation, write_manifest
from jixiao.fetch.gkmlpt import Category, js_value, parse_attachment, parse_date
from jixiao.manifest import load_manifest

YEAR = 2022


@pytest.fixture
def settings(tmp_path) -> FetchSettings:
    return FetchSettings(
        allow_networks=(ipaddress.ip_network("127.0.0.0/8"),),
        host_delay_s=0.0,
        read_timeout_s=2.0,
        raw_dir=tmp_path / "raw",
    )


@pytest.fixture
def site():
    with FakeServer() as server:
        install(server)
        yield server


@pytest.fixture
def loopback_env(monkeypatch, tmp_path):
    monkeypatch.setenv("JIXIAO_FETCH_ALLOW_NETWORKS", "127.0.0.0/8")
    monkeypatch.setenv("JIXIAO_FETCH_HOST_DELAY", "0")
    monkeypatch.setenv("JIXIAO_RAW_DIR", str(tmp_path / "raw"))


def test_discover_finds_the_years_reports_and_nothing_else(site, settings):
    with SafeClient(settings) as client:
        found = discover(site.base, YEAR, client)
    assert found.district.code == "440112"  # from 广州市黄埔区人民政府门户网站
    got = {(f.article.id, f.attachment.url.removeprefix(site.base)) for f in found.found}
    assert got == {
        ("9002", "/attachment/0/9002/table.pdf"),  # {"title", "link"}
        ("9002", "/attachment/0/9002/report"),  # {"file_name", "path", "ext": "PDF"}
        ("9002", "/attachment/0/9002/extra.pdf?v=2"),  # a bare URL string
        ("9003", "/attachment/0/9003/self-eval.pdf"),  # 决算 article: only the matching file
        ("9004", "/attachment/0/9004/edu.pdf"),  # unknown department kind
        ("9101", "/attachment/0/9101/zp.pdf"),  # no attachment listed: linked from its page
    }
    assert [f.year_guessed for f in found.found if f.article.id == "9101"] == [True]
    assert any("附件说明.doc" in s for s in found.skipped)
    # only 预决算/绩效 categories are read, never a jump_url, and the SID is sent
    assert found.categories_read == ["财政信息", "财政信息/财政预决算", "财政信息/部门绩效评价"]
    api = [s.path for s in site.seen if "/api/" in s.path]
    assert api and all("sid=4401120" in p for p in api)
    assert not any("/api/all/11" in p or "/api/all/3?" in p for p in api)


def test_discovered_manifest_is_valid_and_fetchable(site, settings, tmp_path):
    with SafeClient(settings) as client:
        found = discover(site.base, YEAR, client)
    out = tmp_path / "sources" / "huangpu.yaml"
    text, n = write_manifest(found, out, "jixiao discover")
    assert n == 6
    assert "# - id: 440112-2022-9004" in text  # commented out, with the reason
    assert "黄埔区教育局 is not a known kind" in text
    sources, errors = load_manifest(out)
    assert errors == []
    assert [s.id for s in sources] == [
        "440112-2022-9002",
        "440112-2022-9002-2",
        "440112-2022-9002-3",
        "440112-2022-9003",
        "440112-2022-9101",
    ]
    assert {s.department_kind for s in sources} == {"政务服务数据管理局"}
    assert all(s.year == YEAR and s.district_code == "440112" for s in sources)
    results = fetch_many(sources, settings=settings)
    assert [r.status for r in results] == ["downloaded"] * 5


def test_other_year(site, settings):
    with SafeClient(settings) as client:
        found = discover(site.base, 2023, client)
    assert [f.attachment.url.removeprefix(site.base) for f in found.found] == [
        "/attachment/0/9001/a.pdf"
    ]


def test_cli_writes_then_appends_only_new_entries(site, loopback_env, tmp_path, capsys):
    out = tmp_path / "discovered.yaml"
    args = ["discover", "--site", site.base + "/", "--year", str(YEAR), "--out", str(out)]
    assert main(args) == 0
    first = out.read_text(encoding="utf-8")
    assert "6 new, written to" in capsys.readouterr().err
    assert main(args) == 0
    assert "6 report(s) of 2022 found" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8").count("\n- id: ") == first.count("\n- id: ")
    assert len(load_manifest(out)[0]) == 5


def test_cli_prints_when_no_out_and_district_can_be_given(site, loopback_env, capsys):
    args = ["discover", "--site", site.base, "--year", "2022", "--district-code", "440111"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "district: 440111 广东省广州市白云区" in printed
    assert printed.count("\n- id: 440111-2022-") == 5


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
    with FakeServer() as server:
        install(server, tree_as_js=True)
        with SafeClient(settings) as client:
            found = discover(server.base, YEAR, client)
    assert len(found.found) == 6


def test_js_value():
    assert js_value("[{id: 1, name: '财政', children: [], jump_url: undefined,}]") == [
        {"id": 1, "name": "财政", "children": [], "jump_url": None}
    ]
    assert js_value('[{"id": 2}]') == [{"id": 2}]
    assert js_value("[function() {}]") is None


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"name": "a.pdf", "url": "/x/a.pdf"}, ("a.pdf", "http://s/x/a.pdf")),
        ({"fileName": "报告", "downloadUrl": "y.pdf"}, ("报告", "http://s/d/y.pdf")),
        ({"title": "表", "path": "/z", "ext": "pdf"}, ("表.pdf", "http://s/z")),
        ("http://t/q.pdf", ("q.pdf", "http://t/q.pdf")),
        ({"name": "no url"}, None),
        ({"url": "javascript:void(0)"}, None),
        (None, None),
        (["nested"], None),
    ],
)
def test_parse_attachment(item, expected):
    got = parse_attachment(item, "http://s/d/page")
    assert (got and (got.name, got.url)) == expected or (got is None and expected is None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-06-30", dt.date(2023, 6, 30)),
        ("2023/7/1 09:00", dt.date(2023, 7, 1)),
        ("2023年08月02日", dt.date(2023, 8, 2)),
        (1688000000, dt.date(2023, 6, 29)),
        ("1688000000000", dt.date(2023, 6, 29)),
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


def test_guess_district():
    assert guess_district("广州市黄埔区人民政府门户网站").code == "440112"
    assert guess_district("湛江市坡头区人民政府").code == "440804"
    assert guess_district("某某网站") is None


def test_category_filter_falls_back_to_all():
    from jixiao.fetch.discover import categories_to_read

    cats = [Category("1", "政策", "政策"), Category("2", "外链", "外链", jump_url="http://x")]
    assert [c.id for c in categories_to_read(cats)] == ["1"]
