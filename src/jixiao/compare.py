"""Districts side by side for one year: one row per report, ranked by total.

Columns: the total, the total's score rate, and each indicator of one level
(default the level-1 indicators), or one indicator and its parts. Where the
districts print different 分值 for an indicator, each cell shows the district's
own ``score/weight``; where they agree, the weight is in the column header.

Every row names its report's indicator framework (``dim_framework``). Totals
and score rates compare across frameworks; the indicators below the total
mean different things in different frameworks, so when a year's reports use
more than one, the default is the totals only, and a level or an indicator
needs one framework (``framework=``) or ``across_frameworks=True``. A
report that states only its total (a narrative) has nothing below the total to
mismatch and sits beside any framework's reports.
Reads ``sql/queries/compare_districts.sql``.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from jixiao import paths
from jixiao.reference.indicators import dictionary

QUERY = "compare_districts.sql"


class CompareError(Exception):
    """Nothing to compare as asked; the message says what there is."""


@dataclass(frozen=True)
class Column:
    """One indicator shown as a column."""

    code: str
    name: str
    uniform_weight: float | None  # the weight every district prints, or None
    weights_differ: bool = False  # districts print different weights


@dataclass
class Comparison:
    """The ranked districts of one year, as numbers (``table``) and as text (``display``)."""

    year: int
    ranked_by: str
    columns: list[Column]
    table: pd.DataFrame  # one row per report: rank, place, framework, total, score_rate, …
    note: str | None = None  # what was left out and why (deeper levels across frameworks)

    @property
    def frameworks(self) -> list[str]:
        """The framework names of the rows, in order of first appearance."""
        return list(dict.fromkeys(self.table["framework"].fillna("（未记录）")))

    def display(self) -> pd.DataFrame:
        """The table as text for the terminal: ``score*`` when derived, ``score/weight``.

        Headers take two lines (name, then weight) to keep the table narrow.
        """
        t = self.table
        out = pd.DataFrame(
            {
                "排名": [_num(r) for r in t["rank"]],
                "城市": t["city"],
                "区县": t["district"],
            }
        )
        if t["department_kind"].nunique() > 1:
            out["部门"] = t["department_kind"]
        if len(self.frameworks) > 1:
            out["指标体系"] = t["framework_code"].fillna("")
        out["总分"] = [_score(s, d) for s, d in zip(t["total"], t["total_derived"], strict=True)]
        out["得分率"] = [_percent(r) for r in t["score_rate"]]
        for c in self.columns:
            if not c.weights_differ:
                weight = "" if c.uniform_weight is None else f"({_num(c.uniform_weight)})"
                header = f"{c.name}\n{weight}"
                cells = [
                    _score(s, d) for s, d in zip(t[c.name], t[f"{c.name} derived"], strict=True)
                ]
            else:
                header = f"{c.name}\n得分/分值"
                cells = [
                    _score(s, d) + ("" if pd.isna(w) else f"/{_num(w)}") if not pd.isna(s) else ""
                    for s, d, w in zip(
                        t[c.name], t[f"{c.name} derived"], t[f"{c.name} 分值"], strict=True
                    )
                ]
            out[header] = cells
        return out

    def numbers(self) -> pd.DataFrame:
        """The table for files (CSV, JSON, Excel, parquet): numbers as numbers."""
        keep = [c for c in self.table.columns if not c.endswith("derived")]
        return self.table[keep]


def compare(
    con: duckdb.DuckDBPyConnection,
    year: int,
    *,
    level: int | None = None,
    indicator: str | None = None,
    province: str | None = None,
    city: str | None = None,
    top: int | None = None,
    include_invalid: bool = False,
    framework: str | None = None,
    across_frameworks: bool = False,
) -> Comparison:
    """Rank the districts' reports of ``year``.

    Args:
        level: show the indicators of this level (0: the total only). Default
            1, or 0 when the reports use several frameworks.
        indicator: a name or printed alias (管理效能 → 管理效率): show it and its
            parts, ranked by it.
        province, city: a name, the start of one, or a 行政区划代码 prefix.
        top: keep the first ``top`` rows.
        include_invalid: reports whose checks failed too (``v_scores_all``).
        framework: only the reports of this framework (its code: guangdong,
            mof-dept, printed …).
        across_frameworks: show a level or an indicator below the total even
            when the reports use several frameworks (each row names its own).

    Raises:
        CompareError: no scores that year (names the years there are), an
            unknown indicator (names the ones there are), a framework no
            report of the year uses or a level below the total across
            frameworks (both name the frameworks there are), or a filter that
            matches no district with scores.
    """
    view = "v_scores_all" if include_invalid else "v_scores"
    years = [r[0] for r in con.execute(f"select distinct year from {view} order by 1").fetchall()]
    if year not in years:
        which = "scores" if include_invalid else "valid scores"
        there = ", ".join(map(str, years)) or "none"
        raise CompareError(f"no {which} for {year}; years with {which}: {there}")

    if framework is not None and framework not in (used := _frameworks_used(con, view, year)):
        raise CompareError(
            f"no report of {year} uses framework {framework!r}; {_listed(used, year)}"
        )
    parents = dict(con.execute("select indicator_code, parent_code from dim_indicator").fetchall())
    focus = _resolve_indicator(con, view, year, indicator, framework) if indicator else None
    max_level = (focus[1] + 1) if focus else (1 if level is None else level)
    query = (paths.SQL / "queries" / QUERY).read_text(encoding="utf-8")
    if include_invalid:
        query = query.replace("from v_scores\n", "from v_scores_all\n")
    params = {"year": year, "max_level": max_level, "province": province, "city": city}
    long = con.execute(query, params | {"framework": framework}).df()
    if long.empty:
        place = " ".join(p for p in (province, city) if p)
        raise CompareError(f"no district in {place!r} has scores for {year}")

    note = None
    used = _frameworks_of(long)
    # a report stating only its total has no indicators to mismatch: it joins any framework
    deeper = [code for code, (_, _, n_deeper) in used.items() if n_deeper]
    if framework is None and len(deeper) > 1 and not across_frameworks:
        if indicator is not None or (level or 0) > 0:
            asked = f"indicator {indicator!r}" if indicator else f"level {level}"
            raise CompareError(
                f"{asked} compares within one framework, but the reports use several: "
                f"{_listed(used, year)}; "
                "give --framework CODE, or --across-frameworks to set them side by side"
            )
        long = long[long["level"] == 0]
        note = (
            f"the reports of {year} use {len(deeper)} frameworks: totals and score rates only "
            "(--framework CODE for the indicators of one, --across-frameworks for all)"
        )
    level = max_level if level is None and not focus else level

    if focus and focus[0] not in set(long["indicator_code"]):
        raise CompareError(f"no report of {year} has {indicator!r}; {_available(con, view, year)}")
    if focus:
        parts = {c for c in long["indicator_code"] if parents.get(c) == focus[0]}
        codes = [focus[0], *sorted(parts, key=_code_key)]
    else:
        codes = sorted(
            {c for c, lv in zip(long["indicator_code"], long["level"], strict=True) if lv == level}
            - {"0"},
            key=_code_key,
        )
    columns, names = [], set()
    for code in codes:
        rows = long[long["indicator_code"] == code]
        weights = rows["weight"].dropna().astype(float).unique()
        name = rows["indicator"].iloc[0]
        name = name if name not in names else f"{name} {code}"
        names.add(name)
        uniform = float(weights[0]) if len(weights) == 1 else None
        columns.append(Column(code, name, uniform, weights_differ=len(weights) > 1))

    table = _wide(long, columns)
    key = columns[0].name if focus else "total"
    table = table.assign(rank=table[key].rank(method="min", ascending=False).astype("Int64"))
    table = table.sort_values(["rank", "district_code"], na_position="last", kind="stable")
    if top is not None:
        table = table.head(top)
    return Comparison(year, "总分" if not focus else columns[0].name, columns, table, note)


def _wide(long: pd.DataFrame, columns: list[Column]) -> pd.DataFrame:
    """One row per report: its place, total, score rate and each column's score and weight."""
    place = ["province", "city", "district", "district_code", "department_kind"]
    place += ["framework_code", "framework"]
    df = long.drop_duplicates("report_id").set_index("report_id")[place]
    df.insert(0, "rank", pd.NA)

    def of(code: str) -> pd.DataFrame:
        return long[long["indicator_code"] == code].set_index("report_id").reindex(df.index)

    total = of("0")
    df["total"] = total["score"].astype("float64")
    df["total_derived"] = total["is_derived"].fillna(False).astype(bool)
    df["score_rate"] = total["score_rate"].astype("float64")
    for c in columns:
        rows = of(c.code)
        df[c.name] = rows["score"].astype("float64")
        df[f"{c.name} 分值"] = rows["weight"].astype("float64")
        df[f"{c.name} derived"] = rows["is_derived"].fillna(False).astype(bool)
    return df.reset_index()


def _frameworks_used(con: duckdb.DuckDBPyConnection, view: str, year: int) -> dict:
    """The frameworks of the year's reports in ``view``: code → (name, reports, reports
    with indicators below the total). A report loaded before frameworks were recorded
    has none (code None)."""
    rows = con.execute(
        f"""
        select r.framework_code, any_value(f.name), count(distinct r.report_id),
               count(distinct r.report_id) filter (where s.level > 0)
        from {view} as s
        inner join dim_report as r using (report_id)
        left join dim_framework as f using (framework_code)
        where s.year = ?
        group by 1 order by 3 desc, 1
        """,
        [year],
    ).fetchall()
    return {code: (name, n, deeper) for code, name, n, deeper in rows}


def _frameworks_of(long: pd.DataFrame) -> dict:
    """The frameworks of the rows to compare, as :func:`_frameworks_used` gives them."""
    out = {}
    codes = long["framework_code"].astype(object).where(long["framework_code"].notna(), None)
    for code, rows in long.assign(fw=codes).groupby("fw", dropna=False, sort=False):
        name = rows["framework"].dropna().iloc[0] if rows["framework"].notna().any() else None
        deeper = rows.loc[rows["level"] > 0, "report_id"].nunique()
        out[None if pd.isna(code) else code] = (name, rows["report_id"].nunique(), deeper)
    return dict(sorted(out.items(), key=lambda kv: (-kv[1][1], str(kv[0]))))


def _listed(used: dict, year: int) -> str:
    """``frameworks of 2023: guangdong (广东省… , 5 reports), mof-dept (…, 2 reports)``."""
    parts = [
        f"{code or '(none recorded)'} ({name + ', ' if name else ''}{n} report{'s' * (n != 1)})"
        for code, (name, n, _) in used.items()
    ]
    return f"frameworks of {year}: " + "; ".join(parts)


def _resolve_indicator(
    con: duckdb.DuckDBPyConnection,
    view: str,
    year: int,
    name: str,
    framework: str | None = None,
) -> tuple[str, int]:
    """(code, level) of an indicator named by its canonical name or a printed alias,
    in ``framework``'s dictionary (Guangdong's by default), else by its name."""
    canonical = dictionary(framework).resolve(name) if framework else dictionary().resolve(name)
    if canonical is not None:
        return canonical.code, canonical.level
    row = con.execute(
        "select indicator_code, level from dim_indicator where name = ? order by 1 limit 1",
        [name],
    ).fetchone()
    if row:
        return row[0], row[1]
    raise CompareError(f"unknown indicator {name!r}; {_available(con, view, year)}")


def _available(con: duckdb.DuckDBPyConnection, view: str, year: int) -> str:
    there = con.execute(
        f"select distinct level, indicator_code, indicator from {view} "
        "where year = ? and level between 1 and 2 order by level, indicator_code",
        [year],
    ).fetchall()
    names = "、".join(dict.fromkeys(r[2] for r in there)) or "none"
    return f"indicators of {year} (levels 1-2): {names}"


def _code_key(code: str) -> tuple:
    """Dictionary order: 1.2 before 1.10; codes that are not numbers after those that are."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


def _num(v) -> str:
    return "" if pd.isna(v) else f"{float(v):g}"


def _score(s, derived: bool) -> str:
    return "" if pd.isna(s) else f"{float(s):g}{'*' if derived else ''}"


def _percent(rate) -> str:
    return "" if pd.isna(rate) else f"{float(rate) * 100:.1f}%"
