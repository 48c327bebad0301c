"""The report to send: its numbers, its links back to the reports, and the page in Chromium.

The warehouse is the sample corpus ingested once by the real flow (the
``ingested`` fixture). 2022 holds 白云区 99.5 (narrative, 11 pages), 坡头区 96
(narrative, total only) and 黄埔区 94.2 (score table); 番禺区 has 2023 (94.4)
and 2024 (94, scanned).
"""

from __future__ import annotations

import io
from pathlib import Path

import lxml.html
import pytest

from jixiao.cli import main
from jixiao.report import ReportError, build_report
from jixiao.report.browser import find_chromium
from jixiao.report.data import read


@pytest.fixture(scope="module")
def report_2022(ingested, tmp_path_factory) -> Path:
    return build_report(ingested["db"], 2022, tmp_path_factory.mktemp("report") / "r.html")


def test_totals_are_ranked_with_grade_and_source(ingested):
    data = read(ingested["db"], 2022)
    t = data.totals
    assert list(zip(t["rank"], t["label"], t["score"].astype(float), strict=True)) == [
        (1, "白云区", 99.5),
        (2, "坡头区", 96.0),
        (3, "黄埔区", 94.2),
    ]
    assert t["grade"].tolist() == ["优", "优", "优"]
    assert t["weight"].isna().tolist() == [False, True, False]  # 坡头区 prints no 分值
    baiyun = t.iloc[0]
    assert baiyun["source_page"] == 11 and baiyun["raw_path"].endswith("baiyun-2022.pdf")


def test_level2_rates_points_lost_and_budget_of_2022(ingested):
    data = read(ingested["db"], 2022)
    rates = {
        (r.label, r.indicator): round(float(r.score_rate), 4) for r in data.level2.itertuples()
    }
    assert len(rates) == 16  # 白云区 and 黄埔区, 8 level-2 indicators each; 坡头区 has none
    assert rates[("黄埔区", "资产管理")] == 0.9
    assert rates[("白云区", "绩效管理")] == 0.9667

    lost = data.points_lost
    assert [(r.label, r.indicator, float(r.points_lost)) for r in lost.head(2).itertuples()] == [
        ("黄埔区", "效益指标完成情况", 2.5),
        ("黄埔区", "产出指标完成情况", 1.0),
    ]
    assert len(lost) == 7 and round(float(lost["points_lost"].sum()), 3) == 6.3
    assert "扣0.5分" in lost[lost["label"] == "白云区"].iloc[0]["deduction_reason"]

    budget = {r.label: r for r in data.budget.itertuples()}
    assert float(budget["坡头区"].execution_rate) == 1.0
    assert float(budget["白云区"].execution_rate) == 0.9882
    assert float(budget["白云区"].budget_yuan) == 84632300.0
    assert budget["黄埔区"].execution_rate != budget["黄埔区"].execution_rate  # NaN: not printed
    assert float(budget["黄埔区"].budget_yuan) == 118877300.0


def test_change_by_year_for_districts_with_several_years(ingested):
    assert read(ingested["db"], 2022).by_year.empty  # no 2022 district has another year
    for data in (read(ingested["db"], 2023), read(ingested["db"], 2022, district="番禺区")):
        total = data.by_year[data.by_year["level"] == 0]
        assert total["year"].tolist() == [2023, 2024]
        assert total["score"].astype(float).tolist() == [94.4, 94.0]
        assert round(float(total["change"].iloc[1]), 3) == -0.4
    one = read(ingested["db"], 2023, district="440113")
    assert sorted(set(one.by_year["indicator"])) == sorted({"总分", "履职效能", "管理效率"})


def test_unknown_year_or_district_is_a_clear_error(ingested):
    with pytest.raises(ReportError, match=r"no valid report for 2030; years .*2022, 2023, 2024"):
        read(ingested["db"], 2030)
    with pytest.raises(ReportError, match="no valid report of district '鼓楼区'; districts: "):
        read(ingested["db"], 2022, district="鼓楼区")


def test_every_number_in_the_page_links_to_its_report_page(report_2022):
    html = report_2022.read_text(encoding="utf-8")
    doc = lxml.html.fromstring(html)
    assert doc.findtext(".//h1") == "2022年度部门整体支出绩效自评分析"
    assert [h.text for h in doc.iter("h2")] == [
        "各区总分排名",
        "二级指标得分率",
        "失分项",
        "预算执行率与总分",
        "年度变化",
    ]
    tables = doc.xpath("//table[@class='numbers']")
    assert len(tables) == 4  # one under each chart; no change by year in 2022
    numbers = [
        td
        for table in tables
        for td in table.xpath(".//td[contains(@class, 'num')]")
        if td.text_content().strip() and td.getparent().index(td) != 0
    ]
    unlinked = [
        td.text_content()
        for td in numbers
        if not td.xpath("a[@class='src']") and td.text_content() not in ("未列明", "未公布")
    ]
    # ranking 8 (坡头区 has no 得分率), level 2: 16 x 3, points lost 7 x 3, budget 11
    assert len(numbers) == 8 + 48 + 21 + 11 and unlinked == []
    # the ranking's 99.5: 白云区's report, page 11, the printed sentence as tooltip
    (a,) = tables[0].xpath(".//a[@class='src'][text()='99.5']")
    assert a.get("href").startswith("file://") and a.get("href").endswith("baiyun-2022.pdf#page=11")
    assert "广州市白云区政务服务数据管理局2022年部门整体支出绩效自评报告" in a.get("title")
    assert "第 11 页" in a.get("title") and "原文：" in a.get("title")
    # a derived number is marked
    assert tables[1].xpath(".//sup[text()='*']")


def test_the_page_is_self_contained(report_2022):
    html = report_2022.read_text(encoding="utf-8")
    doc = lxml.html.fromstring(html)
    assert not doc.xpath("//script[@src] | //link[@href] | //img[@src] | //iframe")
    assert doc.xpath("//script[contains(., 'plotly.js v')]")  # the library, inlined
    assert len(doc.xpath("//div[contains(@class, 'plotly-graph-div')]")) == 4
    # outside plotly's own code (whose defaults name URLs it never loads here) nothing remote
    (library,) = doc.xpath("//script[contains(., 'plotly.js v')]")
    rest = html.replace(library.text, "")
    assert "http://" not in rest and "https://" not in rest and "@import" not in rest


def test_cli_writes_the_report_and_refuses_unknowns(ingested, tmp_path, capsys):
    out = tmp_path / "r.html"
    db = ingested["db"]
    args = ["--db", db, "report", "--year", "2023", "--district", "番禺", "--out", str(out)]
    assert main(args) == 0
    assert out.stat().st_size > 3_000_000  # plotly.js is inside
    assert "番禺区" in out.read_text(encoding="utf-8")
    assert main(["--db", db, "report", "--year", "2031", "--out", str(tmp_path / "x.html")]) == 2
    assert "no valid report for 2031" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


# --- in a real browser ---------------------------------------------------------------

chromium = pytest.mark.skipif(
    find_chromium() is None,
    reason="Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)",
)


@chromium
def test_chromium_renders_the_report_with_no_error_and_no_request(report_2022, tmp_path):
    from PIL import Image

    from jixiao.report.browser import open_page

    run = open_page(report_2022)
    assert run.console_errors == []
    assert run.network_requests == []
    assert all(u.startswith("data:image/") for u in run.requests)  # the heatmap, drawn in place
    assert run.charts_drawn == 4
    assert run.title == "2022年度部门整体支出绩效自评分析"
    shot = Image.open(io.BytesIO(run.screenshot))
    assert shot.size[0] == 1280 and shot.size[1] == run.height > 2000
    assert len(shot.convert("RGB").getcolors(maxcolors=1 << 20)) > 200  # drawn, not blank


@chromium
def test_chromium_check_catches_errors_and_requests(tmp_path):
    """The same check on a page that fails it: the harness sees what it must see."""
    from jixiao.report.browser import open_page

    page = tmp_path / "bad.html"
    page.write_text(
        "<html><head><script src='http://127.0.0.1:9/missing.js'></script></head>"
        "<body><script>console.error('boom'); undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    run = open_page(page, settle_seconds=0.5)
    assert run.network_requests == ["http://127.0.0.1:9/missing.js"]
    assert "boom" in run.console_errors
    assert any("undefinedFunction" in e for e in run.console_errors)


# --- at scale: charts stay readable ---------------------------------------------------


def test_many_districts_are_charted_by_their_ends_and_tabled_in_full():
    import pandas as pd

    from jixiao.report import charts
    from jixiao.report.page import largest_changes, top_and_bottom

    totals = pd.DataFrame(
        {
            "label": [f"区{i:03d}" for i in range(130)],
            "district_code": [f"{440000 + i}" for i in range(130)],
            "score": [100 - i * 0.1 for i in range(130)],
        }
    )
    shown, note = top_and_bottom(totals, highlight="440064")
    assert len(shown) == 101 and "区064" in set(shown["label"])
    assert shown["label"].iloc[0] == "区000" and shown["label"].iloc[-1] == "区129"
    assert note == "共 130 份报告，图中为总分最高和最低的各 50 份，全部见数据表。"
    few, note = top_and_bottom(totals.head(100), None)
    assert len(few) == 100 and note == ""

    by_year = pd.DataFrame(
        {
            "label": [f"区{i:03d}" for i in range(40) for _ in (2022, 2023)],
            "year": [y for _ in range(40) for y in (2022, 2023)],
            "level": 0,
            "score": [v for i in range(40) for v in (90.0, 90.0 + i - 20)],
            "change": [c for i in range(40) for c in (None, float(i - 20))],
        }
    )
    lead, picked = largest_changes(by_year, 2023, each=5)
    assert "共 40 个区" in lead
    order = picked.drop_duplicates("label").sort_values("_order")["label"].tolist()
    assert order == [f"区{i:03d}" for i in (39, 38, 37, 36, 35, 4, 3, 2, 1, 0)]

    lost = pd.DataFrame(
        {
            "label": [f"区{i}" for i in range(9)],
            "path": ["管理效率/绩效管理"] * 9,
            "points_lost": [1.0] * 9,
        }
    )
    assert len(charts.points_lost(lost).data) == 1  # summed over 9 districts
    assert len(charts.points_lost(lost.head(3)).data) == 3  # stacked by district
    assert list(charts.points_lost(lost).data[0].x) == [9.0]
