"""The report's charts, as plotly figures with Chinese labels.

One function per chart, each taking the frame of its question
(:mod:`jixiao.report.data`) and returning a figure; the district asked for
(``highlight``) stands out in colour. Fonts fall back to any installed CJK
font: nothing is loaded from the network.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', "
FONT += "'Microsoft YaHei', sans-serif"
BLUE, ORANGE, GREY, RED = "#2f6ea5", "#e07b24", "#9aa5b1", "#c0392b"
PALETTE = ["#2f6ea5", "#e07b24", "#3a9a5b", "#b8483d", "#7a5ea8", "#8c6d46", "#d16aa8", "#6b7b8c"]


def _layout(fig: go.Figure, height: int, **kw) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 30, "t": 10, "b": 40},
        font={"family": FONT, "size": 13, "color": "#1f2933"},
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel={"font": {"family": FONT}},
        **kw,
    )
    fig.update_xaxes(gridcolor="#e4e7eb", zerolinecolor="#cbd2d9", automargin=True)
    fig.update_yaxes(gridcolor="#e4e7eb", zerolinecolor="#cbd2d9", automargin=True)
    return fig


def ranked_totals(totals: pd.DataFrame, highlight: str | None = None) -> go.Figure:
    """Horizontal bars of the total score, highest at the top."""
    t = totals.sort_values(["score", "label"], ascending=[True, False])
    colours = [ORANGE if c == highlight else BLUE for c in t["district_code"]]
    fig = go.Figure(
        go.Bar(
            x=t["score"],
            y=t["label"],
            orientation="h",
            marker_color=colours,
            text=[f"{s:g}" for s in t["score"].astype(float)],
            textposition="outside",
            cliponaxis=False,
            customdata=t[["grade"]].fillna("—"),
            hovertemplate="%{y}<br>总分 %{x}<br>等级 %{customdata[0]}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="总分", range=[0, 105])
    per_bar = 34 if len(t) <= 30 else 18
    return _layout(fig, height=max(220, per_bar * len(t) + 80), showlegend=False)


def level2_heatmap(level2: pd.DataFrame, order: list[str]) -> go.Figure:
    """Districts (rows, in ranking order) × level-2 indicators (columns): 得分率 in %."""
    wide = level2.pivot_table(index="label", columns="path", values="score_rate", aggfunc="first")
    paths = level2.drop_duplicates("path").sort_values("indicator_code")["path"].tolist()
    rows = [label for label in reversed(order) if label in wide.index]
    wide = wide.reindex(index=rows, columns=paths) * 100
    names = [p.split("/")[-1] for p in paths]
    many = len(rows) > 60  # numbers in the cells only while they can be read
    text = [["" if pd.isna(v) or many else f"{v:.1f}" for v in row] for row in wide.to_numpy()]
    low = float(min(80.0, wide.min().min())) if wide.notna().any().any() else 80.0
    fig = go.Figure(
        go.Heatmap(
            z=wide.to_numpy(),
            x=names,
            y=rows,
            text=text,
            texttemplate="%{text}",
            customdata=[paths for _ in rows],
            colorscale=[[0, RED], [0.5, "#f5d76e"], [1, "#2e8b57"]],
            zmin=low,
            zmax=100,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": "得分率 %"}, "thickness": 12},
            hovertemplate="%{y}<br>%{customdata}<br>得分率 %{z:.1f}%<extra></extra>",
        )
    )
    fig.update_xaxes(side="top", tickangle=0)
    per_row = 40 if len(rows) <= 20 else 24 if len(rows) <= 60 else 14
    return _layout(fig, height=max(200, per_row * len(rows) + 90))


def points_lost(lost: pd.DataFrame, by_district_up_to: int = 8) -> go.Figure:
    """Points lost per indicator, the largest loss at the top: stacked by district while
    there are few districts, else the sum over districts with how many lost points there."""
    by_path = lost.groupby("path")["points_lost"].sum().sort_values()
    names = [p.replace("/", " / ") for p in by_path.index]
    fig = go.Figure()
    if lost["label"].nunique() > by_district_up_to:
        districts = lost.groupby("path")["label"].nunique().reindex(by_path.index)
        fig.add_bar(
            x=by_path,
            y=names,
            orientation="h",
            marker_color=ORANGE,
            customdata=districts,
            hovertemplate="%{y}<br>各区合计失分 %{x:g}<br>%{customdata} 个区失分<extra></extra>",
        )
    else:
        for i, (label, rows) in enumerate(lost.groupby("label", sort=True)):
            rows = rows.set_index("path").reindex(by_path.index)
            fig.add_bar(
                x=rows["points_lost"],
                y=names,
                name=label,
                orientation="h",
                marker_color=PALETTE[i % len(PALETTE)],
                hovertemplate=f"{label}<br>%{{y}}<br>失分 %{{x:g}}<extra></extra>",
            )
    fig.update_xaxes(title_text="失分（分值 − 得分）")
    return _layout(
        fig,
        height=max(220, 30 * len(by_path) + 110),
        barmode="stack",
        legend={"orientation": "h", "y": -0.2, "x": 0},
    )


def budget_against_total(budget: pd.DataFrame, highlight: str | None = None) -> go.Figure:
    """Each report's 部门预算 execution rate (x) against its total score (y)."""
    b = budget.dropna(subset=["execution_rate"])
    colours = [ORANGE if c == highlight else BLUE for c in b["district_code"]]
    fig = go.Figure(
        go.Scatter(
            x=b["execution_rate"].astype(float) * 100,
            y=b["total"].astype(float),
            mode="markers+text" if len(b) <= 30 else "markers",
            text=b["label"],
            textposition="top center",
            marker={"size": 13 if len(b) <= 30 else 8, "color": colours, "opacity": 0.85},
            hovertemplate="%{text}<br>预算执行率 %{x:.2f}%<br>总分 %{y:g}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="部门预算执行率 %", ticksuffix="%")
    fig.update_yaxes(title_text="总分")
    return _layout(fig, height=380, showlegend=False)


def totals_by_year(by_year: pd.DataFrame, one_district: bool) -> go.Figure:
    """Scores side by side by fiscal year: one district's total and level-1 indicators,
    or the total of each district with several years (the frame may be cut to the
    largest changes beforehand)."""
    rows = by_year if one_district else by_year[by_year["level"] == 0]
    key = "indicator" if one_district else "label"
    order = "indicator_code" if one_district else "_order"
    if not one_district and "_order" not in rows:
        rows = rows.assign(_order=rows["label"])
    rows = rows.sort_values([order, "year"])
    groups = list(dict.fromkeys(rows[key]))
    fig = go.Figure()
    for i, (year, part) in enumerate(rows.groupby("year", sort=True)):
        part = part.drop_duplicates(key).set_index(key).reindex(groups)
        change = ["" if pd.isna(c) else f"<br>较上年 {c:+g}" for c in part["change"].astype(float)]
        fig.add_bar(
            x=groups,
            y=part["score"].astype(float),
            name=f"{year}年",
            marker_color=PALETTE[i % len(PALETTE)],
            text=["" if pd.isna(v) else f"{v:g}" for v in part["score"].astype(float)],
            textposition="outside",
            cliponaxis=False,
            customdata=change,
            hovertemplate=f"%{{x}}<br>{year}年 %{{y:g}} 分%{{customdata}}<extra></extra>",
        )
    fig.update_yaxes(title_text="得分", rangemode="tozero")
    return _layout(
        fig,
        height=380,
        barmode="group",
        bargap=0.35,
        legend={"orientation": "h", "y": -0.2, "x": 0},
    )
