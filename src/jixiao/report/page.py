"""The report page: one self-contained HTML file (plotly's JavaScript inlined).

Sections in reading order: key figures, districts ranked by total, level-2
score rates, where points were lost, budget execution against the total,
change by year, and the reports left out with why. Each chart is followed by
its numbers in a table, each number linking to its report and page.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

import pandas as pd
import plotly.io as pio
from plotly.offline import get_plotlyjs

from jixiao.report import cells, charts
from jixiao.report.cells import flag, linked, percent, score, signed, text, wan_yuan
from jixiao.report.data import ReportData

MANY_ROWS = 25  # a table longer than this starts folded

PLOT_CONFIG = {
    "displaylogo": False,
    "displayModeBar": False,  # a page to read: hover shows the numbers, no toolbar
    "responsive": True,
}

STYLE = """
body { margin: 0; background: #f4f6f8; color: #1f2933;
  font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC',
  'Microsoft YaHei', sans-serif; font-size: 14px; line-height: 1.6; }
main { max-width: 1080px; margin: 0 auto; padding: 28px 32px 48px; }
header h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: 1px; }
header .sub { color: #52606d; margin: 0 0 18px; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin-bottom: 22px; }
.kpi { background: #fff; border-radius: 8px; padding: 12px 16px; border-top: 4px solid #2f6ea5;
  box-shadow: 0 1px 2px rgba(0,0,0,.06); }
.kpi .v { font-size: 22px; font-weight: 700; line-height: 1.35; }
.kpi .k { color: #52606d; font-size: 13px; }
.kpi .d { color: #7b8794; font-size: 12px; }
section { background: #fff; border-radius: 8px; padding: 18px 22px 12px; margin-bottom: 20px;
  box-shadow: 0 1px 2px rgba(0,0,0,.06); }
section h2 { font-size: 18px; margin: 0 0 4px; }
section p.lead { color: #52606d; margin: 0 0 8px; }
table.numbers { border-collapse: collapse; width: 100%; margin: 8px 0 10px; font-size: 13px; }
table.numbers th, table.numbers td { border-bottom: 1px solid #e4e7eb; padding: 5px 8px;
  text-align: left; vertical-align: top; }
table.numbers th { background: #f5f7fa; font-weight: 600; color: #3e4c59; }
table.numbers td:first-child { white-space: nowrap; }
table.numbers .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
a.src { color: #1d5b91; text-decoration: none; border-bottom: 1px dotted #1d5b91; }
a.src:hover { background: #eaf2fa; }
sup { color: #c0392b; }
details summary { cursor: pointer; color: #1d5b91; margin: 4px 0 8px; }
p.empty, p.note { color: #7b8794; }
footer { color: #7b8794; font-size: 12px; margin-top: 8px; }
"""


def _figure(fig, div_id: str) -> str:
    return pio.to_html(
        fig, full_html=False, include_plotlyjs=False, div_id=div_id, config=PLOT_CONFIG
    )


def _section(title: str, lead: str, chart: str, numbers: str, open_table: bool = True) -> str:
    """A titled section: a sentence on how to read it, the chart, then its numbers."""
    state = " open" if open_table else ""
    details = (
        f"<details{state}><summary>数据表（点击数字打开其所在报告页）</summary>{numbers}</details>"
        if numbers
        else ""
    )
    return f"<section><h2>{escape(title)}</h2><p class='lead'>{lead}</p>{chart}{details}</section>"


def _records(df: pd.DataFrame) -> list[dict]:
    return df.to_dict("records")


def key_figures(data: ReportData) -> str:
    t = data.totals
    best, worst = t.iloc[0], t.sort_values("score").iloc[0]
    grades = t["grade"].fillna("—").value_counts()
    grade_text = "、".join(f"{g} {n} 份" for g, n in grades.items())
    lost = data.points_lost.groupby("path")["points_lost"].sum().sort_values(ascending=False)
    most = f"{lost.index[0].split('/')[-1]}（共失 {score(lost.iloc[0])} 分）" if len(lost) else "—"
    boxes = [
        ("有效报告", f"{len(t)} 份", grade_text),
        ("最高总分", score(best["score"]), best["label"]),
        ("最低总分", score(worst["score"]), worst["label"]),
        ("失分最多的指标", most if len(lost) else "—", "按各区失分合计"),
    ]
    return (
        "<div class='kpis'>"
        + "".join(
            f"<div class='kpi'><div class='k'>{escape(k)}</div><div class='v'>{escape(v)}</div>"
            f"<div class='d'>{escape(d)}</div></div>"
            for k, v, d in boxes
        )
        + "</div>"
    )


def ranking_section(data: ReportData) -> str:
    rows = [
        [
            str(r["rank"]),
            escape(r["label"]),
            escape(r["city"]),
            linked(score(r["score"]), r, derived=flag(r["is_derived"])),
            linked(score(r["weight"]), r) or "未列明",
            linked(percent(r["score_rate"], 1), r),
            text(r["grade"]) + ("（按总分推定）" if flag(r["grade_is_derived"]) else ""),
        ]
        for r in _records(data.totals)
    ]
    table = cells.table(
        ["排名", "区", "所属市", "总分", "分值", "得分率", "等级"], rows, {0, 3, 4, 5}
    )
    shown, cut = top_and_bottom(data.totals, data.district_code)
    lead = f"{data.year}年度部门整体支出绩效自评总分，只计通过全部校验的报告。{cut}"
    return _section(
        "各区总分排名",
        escape(lead),
        _figure(charts.ranked_totals(shown, data.district_code), "chart-ranking"),
        table,
        open_table=len(rows) <= MANY_ROWS,
    )


def top_and_bottom(
    totals: pd.DataFrame, highlight: str | None, each: int = 50
) -> tuple[pd.DataFrame, str]:
    """The ranked reports a chart can show: all while few, else the ``each`` highest and
    lowest totals (and the district asked for), with a sentence saying so."""
    if len(totals) <= 2 * each:
        return totals, ""
    keep = totals.head(each).index.union(totals.tail(each).index)
    keep = keep.union(totals.index[totals["district_code"] == highlight])
    note = f"共 {len(totals)} 份报告，图中为总分最高和最低的各 {each} 份，全部见数据表。"
    return totals.loc[keep], note


def level2_section(data: ReportData) -> str:
    if data.level2.empty:
        return _section("二级指标得分率", "本年度没有列出二级指标分值的报告。", "", "")
    order = data.totals["label"].tolist()
    rank = {label: i for i, label in enumerate(order)}
    frame = data.level2.assign(_r=data.level2["label"].map(rank))
    rows = [
        [
            escape(r["label"]),
            escape(r["path"]),
            linked(score(r["weight"]), r),
            linked(score(r["score"]), r, derived=flag(r["is_derived"])),
            linked(percent(r["score_rate"], 1), r, derived=flag(r["is_derived"])),
        ]
        for r in _records(frame.sort_values(["_r", "indicator_code"]))
    ]
    table = cells.table(["区", "指标", "分值", "得分", "得分率"], rows, {2, 3, 4})
    n = data.totals.shape[0] - data.level2["label"].nunique()
    lead = "得分率 = 得分 ÷ 分值。颜色越红，该项失分越多。"
    if n:
        lead += f"另有 {n} 份报告只公布了总分或一级指标，未列入此图。"
    with_level2 = data.totals[data.totals["label"].isin(set(data.level2["label"]))]
    shown, cut = top_and_bottom(with_level2, data.district_code)
    order = shown["label"].tolist()
    lead += cut
    return _section(
        "二级指标得分率",
        escape(lead),
        _figure(charts.level2_heatmap(data.level2, order), "chart-level2"),
        table,
        open_table=False,
    )


def points_lost_section(data: ReportData) -> str:
    lost = data.points_lost
    if lost.empty:
        return _section("失分项", "本年度各报告所列指标均得满分，或未列明分值。", "", "")
    rows = [
        [
            escape(r["label"]),
            escape(r["path"]),
            linked(score(r["weight"]), r),
            linked(score(r["score"]), r, derived=flag(r["is_derived"])),
            linked(score(r["points_lost"]), r),
            text(r["deduction_reason"]),
        ]
        for r in _records(lost)
    ]
    table = cells.table(["区", "指标", "分值", "得分", "失分", "扣分原因（原文）"], rows, {2, 3, 4})
    missing = data.totals[data.totals["weight"].isna()]["label"].tolist()
    lead = "每份报告所列最细一级指标中未得满分的项目（失分 = 分值 − 得分）。"
    if missing:
        lead += f"{'、'.join(missing)}的报告未列明分值，无法计算失分。"
    return _section(
        "失分项",
        escape(lead),
        _figure(charts.points_lost(lost), "chart-points-lost"),
        table,
        open_table=len(rows) <= MANY_ROWS,
    )


def budget_section(data: ReportData) -> str:
    b = data.budget
    rows = [
        [
            escape(r["label"]),
            linked(
                wan_yuan(r["budget_yuan"]),
                r,
                page_col="budget_page",
                text_col="budget_printed_text",
            ),
            linked(
                wan_yuan(r["actual_yuan"]),
                r,
                page_col="actual_page",
                text_col="actual_printed_text",
            ),
            linked(
                percent(r["execution_rate"]), r, page_col="rate_page", text_col="rate_printed_text"
            )
            or "未公布",
            linked(score(r["total"]), r, page_col="total_page", text_col="total_printed_text"),
        ]
        for r in _records(b)
    ]
    table = cells.table(
        ["区", "预算（万元）", "支出（万元）", "预算执行率", "总分"], rows, {1, 2, 3, 4}
    )
    without = b[b["execution_rate"].isna()]["label"].tolist()
    lead = "横轴为报告公布的部门预算执行率，纵轴为总分。"
    if without:
        lead += f"{'、'.join(without)}未公布执行率，不在图中。"
    chart = ""
    if b["execution_rate"].notna().any():
        chart = _figure(charts.budget_against_total(b, data.district_code), "chart-budget")
    return _section(
        "预算执行率与总分", escape(lead), chart, table, open_table=len(rows) <= MANY_ROWS
    )


def by_year_section(data: ReportData) -> str:
    y = data.by_year
    one = data.district_code is not None
    if y.empty:
        who = data.district_name or f"{data.year}年度各区"
        return _section(
            "年度变化", escape(f"{who}只有一个年度的有效报告，暂无年度变化可比。"), "", ""
        )
    rows = [
        [
            escape(r["label"]),
            escape(r["indicator"]),
            f"{r['year']}年",
            linked(score(r["score"]), r, derived=flag(r["is_derived"])),
            linked(signed(r["change"]), r),
        ]
        for r in _records(y.sort_values(["label", "indicator_code", "year"]))
    ]
    table = cells.table(["区", "指标", "年度", "得分", "较上年"], rows, {3, 4})
    if one:
        lead, shown = f"{data.district_name}各年度总分及一级指标得分。", y
    else:
        lead, shown = largest_changes(y, data.year)
    return _section(
        "年度变化",
        escape(lead),
        _figure(charts.totals_by_year(shown, one), "chart-by-year"),
        table,
        open_table=len(rows) <= MANY_ROWS,
    )


def largest_changes(by_year: pd.DataFrame, year: int, each: int = 15) -> tuple[str, pd.DataFrame]:
    """The districts to chart: all while few, else the ``each`` largest rises and falls
    of the total against the year before (ordered from rise to fall), with a lead saying so."""
    totals = by_year[by_year["level"] == 0]
    n = totals["label"].nunique()
    lead = "本年度有多个年度有效报告的区，各年总分。"
    if n <= 2 * each:
        return lead, totals
    change = totals[totals["year"] == year].dropna(subset=["change"])
    change = change.sort_values(["change", "label"], ascending=[False, True])
    picked = pd.concat([change.head(each), change.tail(each)]).drop_duplicates("label")
    order = {label: i for i, label in enumerate(picked["label"])}
    shown = totals[totals["label"].isin(order)].assign(_order=lambda f: f["label"].map(order))
    lead = (
        f"本年度共 {n} 个区有多个年度的有效报告；图中为总分较上年升幅最大的 {each} 个区"
        f"和降幅最大的 {each} 个区，全部区见数据表。"
    )
    return lead, shown


def not_counted_section(data: ReportData) -> str:
    nc = data.not_counted
    if nc.empty:
        return ""
    rows = [
        [
            escape(r["district"]),
            linked(r["source_id"], r),
            escape({"invalid": "校验未通过", "unparsed": "未能解析"}.get(r["status"], r["status"])),
            text(r["status_reason"]),
        ]
        for r in _records(nc)
    ]
    table = cells.table(["区", "报告", "状态", "原因"], rows)
    return (
        "<section><h2>未计入的报告</h2><p class='lead'>以下报告的数字未通过校验或无法读取，"
        f"未计入以上图表。</p>{table}</section>"
    )


def render(data: ReportData, db: str, generated_at: dt.datetime | None = None) -> str:
    """The whole page as one HTML string."""
    when = (generated_at or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    focus = f" · {data.district_name}" if data.district_name else ""
    title = f"{data.year}年度部门整体支出绩效自评分析{focus}"
    body = "".join(
        [
            f"<header><h1>{escape(title)}</h1><p class='sub'>"
            f"{len(data.totals)} 份有效自评报告 · 数据来自 jixiao 数据仓库 · 生成于 {when}</p>"
            "</header>",
            key_figures(data),
            ranking_section(data),
            level2_section(data),
            points_lost_section(data),
            budget_section(data),
            by_year_section(data),
            not_counted_section(data),
            f"<footer><p>带 <sup>*</sup> 的数字{cells.DERIVED_NOTE}。"
            "每个数字均链接到其所在报告及页码，鼠标悬停可见报告标题与原文。"
            f"数据仓库：<span title='{escape(str(db))}'>{escape(Path(db).name)}</span>。"
            "</p></footer>",
        ]
    )
    return (
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{STYLE}</style>"
        f"<script type='text/javascript'>{get_plotlyjs()}</script>"
        f"</head><body><main>{body}</main></body></html>"
    )
