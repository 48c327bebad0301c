"""Validation through Great Expectations, on numbers from the seed reports."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pandas as pd
import pytest

from jixiao.model import CheckResult
from jixiao.validate import default_expectations_dir, validate_budget, validate_scores

D = Decimal

# 黄埔区 2022 部门整体支出绩效自评表 (seed 001): (level-1, level-2, level-3, weight, score).
# The level-3 row printed without a name (weight 1.5) gets a placeholder path.
HUANGPU_2022 = [
    ("履职效能", "整体效能", "部门整体绩效目标产出指标完成情况", "20", "19"),
    ("履职效能", "整体效能", "部门整体绩效目标效益指标完成情况", "20", "17.5"),
    ("履职效能", "整体效能", "部门预算资金支出率", "10", "9.88"),
    ("管理效率", "预算编制", "新增预算项目事前绩效评估", "3", "3"),
    ("管理效率", "预算执行", "结转结余率", "2", "2"),
    ("管理效率", "预算执行", "财务管理合规性", "2", "2"),
    ("管理效率", "信息公开", "预决算公开合规性", "2", "2"),
    ("管理效率", "信息公开", "绩效信息公开情况", "2", "2"),
    ("管理效率", "绩效管理", "绩效管理制度建设", "5", "5"),
    ("管理效率", "绩效管理", "绩效结果应用", "3", "3"),
    ("管理效率", "绩效管理", "绩效管理制度执行", "7", "6"),
    ("管理效率", "采购管理", "采购意向公开合规性", "0.5", "0.5"),
    ("管理效率", "采购管理", None, "1.5", "1.5"),
    ("管理效率", "采购管理", "采购内部控制制度建设", "1", "1"),
    ("管理效率", "采购管理", "采购活动合规性", "2", "2"),
    ("管理效率", "采购管理", "采购合同签订时效性", "3", "3"),
    ("管理效率", "采购管理", "合同备案时效性", "1", "0.82"),
    ("管理效率", "采购管理", "采购政策效能", "1", "1"),
    ("管理效率", "资产管理", "资产配置合规性", "2", "1"),
    ("管理效率", "资产管理", "资产收益上缴的及时性", "1", "1"),
    ("管理效率", "资产管理", "资产盘点情况", "1", "1"),
    ("管理效率", "资产管理", "数据质量", "2", "2"),
    ("管理效率", "资产管理", "资产管理合规性", "2", "2"),
    ("管理效率", "资产管理", "固定资产利用率", "2", "2"),
    ("管理效率", "运行成本", "公用经费控制率", "2", "2"),
    ("管理效率", "运行成本", "“三公”经费控制情况", "2", "2"),
]
PRINTED = {  # subtotals and total as printed in the report
    "总分": ("100", "94.2"),
    "履职效能": ("50", "46.38"),
    "管理效率": ("50", "47.82"),
    "管理效率/采购管理": ("10", "9.82"),
}


SUMS = {"score_children_sum", "weight_children_sum", "level1_sum_to_total", "weights_total_100"}
BUDGET_SUMS = {"budget_parts_sum", "budget_adjustment", "budget_execution_rate"}


def only(results: list[CheckResult], names: set[str]) -> list[CheckResult]:
    """The results of the named checks, in order."""
    return [r for r in results if r.check_name in names]


def _row(code, parent, level, path, name, weight, score, derived, page=1):
    return {
        "indicator_code": code,
        "parent_code": parent,
        "level": level,
        "path": path,
        "printed_name": name,
        "weight": weight,
        "score": score,
        "is_derived": derived,
        "source_page": page,
    }


def huangpu_frame(
    printed: bool = False, overrides: dict[str, tuple[str, str]] | None = None
) -> pd.DataFrame:
    """The 黄埔区 2022 tree: 26 level-3 rows, level-2/1 sums and the total 94.2.

    Parents are derived by summing their children (``is_derived``) unless
    ``printed``, which uses the printed values where the report has them.
    ``overrides`` maps a level-3 name to a new (weight, score).
    """
    overrides = overrides or {}
    leaves = []
    for i, (l1, l2, name, w, s) in enumerate(HUANGPU_2022):
        w, s = overrides.get(name or "", (w, s))
        leaves.append((l1, l2, name or f"(未命名{i})", D(w), D(s)))
    assert len(leaves) == 26

    rows = [_row(f"{l1}/{l2}/{n}", f"{l1}/{l2}", 3, f"{l1}/{l2}/{n}", n, w, s, False, 2)
            for l1, l2, n, w, s in leaves]  # fmt: skip
    sums: dict[str, list[Decimal]] = {}
    for l1, l2, _, w, s in leaves:
        for key in (f"{l1}/{l2}", l1, "总分"):
            acc = sums.setdefault(key, [D(0), D(0)])
            acc[0] += w
            acc[1] += s

    def parent_row(key, parent, level):
        w, s = sums[key]
        derived = True
        if printed and key in PRINTED:
            w, s = (D(v) for v in PRINTED[key])
            derived = False
        path = "总分" if level == 0 else key
        return _row(key, parent, level, path, key.rsplit("/", 1)[-1], w, s, derived)

    for key in [k for k in sums if "/" in k]:
        rows.append(parent_row(key, key.split("/")[0], 2))
    rows.append(parent_row("履职效能", "总分", 1))
    rows.append(parent_row("管理效率", "总分", 1))
    rows.append(parent_row("总分", None, 0))
    return pd.DataFrame(rows)


def by(results: list[CheckResult], check: str) -> dict[str, CheckResult]:
    out = {r.subject: r for r in results if r.check_name == check}
    assert len(out) == len([r for r in results if r.check_name == check]), "subjects unique"
    return out


def failures(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if not r.passed]


# ----------------------------------------------------------------------- scores


@pytest.mark.parametrize("printed", [False, True], ids=["derived", "printed"])
def test_huangpu_2022_passes_everything(printed):
    df = huangpu_frame(printed=printed)
    if printed:
        row = df.set_index("indicator_code")
        assert row.loc["总分", "score"] == D("94.2")
        assert row.loc["履职效能", "score"] == D("46.38")
        assert row.loc["管理效率", "score"] == D("47.82")
    results = validate_scores(df)
    assert failures(results) == []
    assert {r.severity for r in results if r.check_name in SUMS} == {"error"}
    (same,) = by(results, "scores_equal_weights").values()  # the one warning-level check
    assert same.severity == "warning" and same.passed

    children = by(results, "score_children_sum")
    # 8 level-2 parents + 2 level-1 parents (the total has its own check)
    assert len(children) == 10
    assert children["管理效率/采购管理"].observed == "9.82"
    assert children["管理效率/采购管理"].expected == "9.82"
    assert children["管理效率"].observed == "47.82"
    assert children["履职效能"].observed == "46.38"
    assert "采购管理" in children["管理效率/采购管理"].detail

    assert len(by(results, "weight_children_sum")) == 11  # with the total
    total = by(results, "level1_sum_to_total")
    assert list(total) == ["总分"]
    assert (total["总分"].observed, total["总分"].expected) == ("94.2", "94.2")
    weights = by(results, "weights_total_100")
    assert (weights["总分"].observed, weights["总分"].expected) == ("100", "100")
    # every row has a score and a weight: 26 + 8 + 2 + 1
    assert len(by(results, "score_within_weight")) == 37


def test_altered_level3_score_fails_its_parent_sum():
    df = huangpu_frame(printed=True, overrides={"合同备案时效性": ("1", "0.92")})
    results = validate_scores(df)
    bad = failures(results)
    assert [(r.check_name, r.subject) for r in bad] == [("score_children_sum", "管理效率/采购管理")]
    r = bad[0]
    assert (r.observed, r.expected, r.severity) == ("9.92", "9.82", "error")
    assert "采购管理" in r.detail and "0.1" in r.detail
    assert "+0.1" in r.detail  # the children add up to more than the parent


def test_weights_read_as_scores_fail():
    # the extractor took the 分值 column for 得分 on the level-3 rows; the
    # subtotals and the total (their own cells) were read right
    df = huangpu_frame(printed=True)
    leaves = df["level"] == 3
    df.loc[leaves, "score"] = df.loc[leaves, "weight"]
    bad = {(r.check_name, r.subject): r for r in failures(validate_scores(df))}
    assert set(bad) == {
        ("score_children_sum", "履职效能/整体效能"),  # 50 vs 46.38
        ("score_children_sum", "管理效率/绩效管理"),  # 15 vs 14
        ("score_children_sum", "管理效率/采购管理"),  # 10 vs 9.82
        ("score_children_sum", "管理效率/资产管理"),  # 10 vs 9
    }
    r = bad[("score_children_sum", "履职效能/整体效能")]
    assert (r.observed, r.expected) == ("50", "46.38")

    # the whole column wrong but the printed total kept: the total gives it away
    df = huangpu_frame(printed=True)
    df["score"] = df["weight"]
    df.loc[df["level"] == 0, "score"] = D("94.2")
    bad = {(r.check_name, r.subject): r for r in failures(validate_scores(df))}
    assert set(bad) == {("level1_sum_to_total", "总分")}
    assert (bad[("level1_sum_to_total", "总分")].observed, "94.2") == ("100", "94.2")


def test_score_above_weight_names_the_indicator():
    df = huangpu_frame(printed=True, overrides={"采购政策效能": ("1", "1.5")})
    results = validate_scores(df)
    within = by(results, "score_within_weight")
    r = within["管理效率/采购管理/采购政策效能"]
    assert not r.passed
    assert r.observed == "1.5"
    assert "采购政策效能" in r.detail and "0.5" in r.detail
    others = [x for s, x in within.items() if s != "管理效率/采购管理/采购政策效能"]
    assert others and all(x.passed for x in others)
    # and its parent no longer adds up (10.32 vs 9.82)
    sums = by(results, "score_children_sum")
    assert not sums["管理效率/采购管理"].passed
    assert sums["管理效率/采购管理"].observed == "10.32"


def test_negative_score_fails_within_weight():
    df = huangpu_frame(overrides={"数据质量": ("2", "-1")})
    r = by(validate_scores(df), "score_within_weight")["管理效率/资产管理/数据质量"]
    assert not r.passed and "negative" in r.detail


def test_narrative_with_only_total_and_level1():
    # 番禺区 2024: 94 = 履职效能 49 + 管理效率 45, no weights printed
    df = pd.DataFrame(
        [
            _row("总分", None, 0, "总分", "总分", None, D("94"), False),
            _row("履职效能", "总分", 1, "履职效能", "履职效能", None, D("49"), False),
            _row("管理效率", "总分", 1, "管理效率", "管理效率", None, D("45"), False),
        ]
    )
    results = only(validate_scores(df), SUMS)
    assert [(r.check_name, r.subject, r.passed) for r in results] == [
        ("level1_sum_to_total", "总分", True)
    ]
    df.loc[2, "score"] = D("44")
    (r,) = only(validate_scores(df), SUMS)
    assert not r.passed and (r.observed, r.expected) == ("93", "94")


def test_total_weight_missing_uses_level1_weights():
    df = pd.DataFrame(
        [
            _row("总分", None, 0, "总分", "总分", None, D("99.5"), False),
            _row("履职效能", "总分", 1, "履职效能", "履职效能", D("50"), D("50"), False),
            _row("管理效率", "总分", 1, "管理效率", "管理效率", D("40"), D("49.5"), False),
        ]
    )
    results = validate_scores(df)
    w = by(results, "weights_total_100")["总分"]
    assert not w.passed and (w.observed, w.expected) == ("90", "100")
    assert "level-1" in w.detail
    assert not by(results, "score_within_weight")["管理效率"].passed


def test_parent_without_children_present_is_not_summed():
    df = huangpu_frame(printed=True)
    # drop the level-3 rows under 资产管理: nothing below it to add up
    df = df[~df["indicator_code"].str.startswith("管理效率/资产管理/")]
    results = validate_scores(df)
    assert "管理效率/资产管理" not in by(results, "score_children_sum")
    assert failures(results) == []


def test_empty_frame_and_missing_columns():
    empty = huangpu_frame().iloc[0:0]
    assert validate_scores(empty) == []
    with pytest.raises(ValueError, match="score"):
        validate_scores(pd.DataFrame({"indicator_code": ["a"]}))


# ----------------------------------------------------------------------- budget


def _b(item, measure, wan=None, rate=None, page=3):
    amount = None if wan is None else D(wan) * 10000
    return {
        "item": item,
        "measure": measure,
        "amount_yuan": amount,
        "rate": None if rate is None else D(rate),
        "printed_text": f"{item} {measure} {wan if wan is not None else rate}",
        "source_page": page,
    }


def baiyun_projects() -> pd.DataFrame:
    """白云区 2022 (seed 003): two of its project lines."""
    rows = []
    for item, init, adj, budget, actual, rate in [
        ("信息化项目管理经费", "600", "-356.04", "343.96", "242.68", "0.9948"),
        ("智慧白云一期项目经费", "1588.88", "-103.20", "1485.68", "1485.68", "1"),
    ]:
        rows += [
            _b(item, "initial_budget", init),
            _b(item, "adjustment", adj),
            _b(item, "budget", budget),
            _b(item, "actual", actual),
            _b(item, "execution_rate", rate=rate),
        ]
    return pd.DataFrame(rows)


def test_baiyun_typo_line_is_flagged_as_warning():
    results = validate_budget(baiyun_projects())
    assert {r.severity for r in results if r.check_name.startswith("budget_")} == {"warning"}
    plausible = by(results, "amount_plausible")["(all amounts)"]
    assert plausible.severity == "error" and plausible.passed and plausible.observed == "6 rows"
    adj = by(results, "budget_adjustment")
    rate = by(results, "budget_execution_rate")

    bad = adj["信息化项目管理经费"]
    assert not bad.passed
    assert (bad.observed, bad.expected) == ("2439600.00", "3439600.00")
    assert "600.00万元" in bad.detail and "343.96万元" in bad.detail
    assert "100.00万元" in bad.detail  # how far off
    assert "typo for 243.96万元" in bad.detail  # which number is off

    bad_rate = rate["信息化项目管理经费"]
    assert not bad_rate.passed
    assert bad_rate.expected == "0.9948"
    assert bad_rate.observed == "0.7055"
    assert "70.55%" in bad_rate.detail and "99.48%" in bad_rate.detail

    good = adj["智慧白云一期项目经费"]
    assert good.passed and (good.observed, good.expected) == ("14856800.00", "14856800.00")
    assert rate["智慧白云一期项目经费"].passed
    assert failures(results) == [bad, bad_rate]


def test_huangpu_parts_sum_within_rounding():
    df = pd.DataFrame(
        [
            _b("部门预算", "budget", "11887.73"),
            _b("基本支出", "budget", "3308.06"),
            _b("项目支出", "budget", "8579.68"),
        ]
    )
    (r,) = only(validate_budget(df), {"budget_parts_sum"})
    assert (r.check_name, r.subject, r.passed) == ("budget_parts_sum", "部门预算/budget", True)
    assert (r.observed, r.expected) == ("118877400.00", "118877300.00")
    assert "within rounding" in r.detail

    df.loc[0, "amount_yuan"] = D("118870000")  # 11,887.00万元: off by 0.74万元
    (r,) = only(validate_budget(df), {"budget_parts_sum"})
    assert not r.passed and r.severity == "warning"
    assert "0.74万元" in r.detail and "11,887.00万元" in r.detail


def test_budget_parts_need_all_three():
    # 番禺区 2023: 全年预算 = 基本 + 项目, but 支出 only for the department
    df = pd.DataFrame(
        [
            _b("部门预算", "budget", "21766.40"),
            _b("基本支出", "budget", "1180.85"),
            _b("项目支出", "budget", "20585.55"),
            _b("部门预算", "actual", "18977.96"),
            _b("部门预算", "execution_rate", rate="0.8719"),
        ]
    )
    results = only(validate_budget(df), BUDGET_SUMS)
    assert [(r.check_name, r.subject, r.passed) for r in results] == [
        ("budget_parts_sum", "部门预算/budget", True),
        ("budget_execution_rate", "部门预算", True),
    ]


# ------------------------------------------------------------------ machinery


def test_suites_are_json_in_the_repo():
    root = default_expectations_dir()
    assert root.name == "expectations" and (root.parent / "pyproject.toml").exists()
    names = {}
    for f in sorted(root.glob("*.json")):
        suite = json.loads(f.read_text(encoding="utf-8"))
        names[suite["name"]] = {e["meta"]["check_name"] for e in suite["expectations"]}
    assert names["fact_indicator_score"] == SUMS | {
        "score_within_weight",
        "table_coverage",
        "score_plausible",
        "score_not_a_year",
        "scores_not_row_numbers",
        "full_marks_with_deduction",
        "scores_equal_weights",
    }
    assert names["fact_budget"] == BUDGET_SUMS | {"amount_plausible", "adjustment_plausible"}
    assert names["dim_report"] == {
        "year_plausible",
        "has_scores",
        "score_stated",
        "table_found",
        "total_read",
        "grade_matches_total",
    }
    tables = {"dim_district", "dim_year", "dim_department", "dim_indicator", "dim_report",
              "fact_indicator_score", "fact_budget", "check_result", "source_status",
              "table_lineage", "dim_framework", "fact_project",
              "fact_project_indicator"}  # fmt: skip
    assert {n for n in names if n.startswith("warehouse_")} == {f"warehouse_{t}" for t in tables}
    assert {"key_unique", "references"} <= names["warehouse_fact_budget"]


def test_expectations_dir_parameter(tmp_path):
    suite = json.loads((default_expectations_dir() / "fact_budget.json").read_text("utf-8"))
    suite["expectations"] = [e for e in suite["expectations"]
                             if e["meta"]["check_name"] == "budget_adjustment"]  # fmt: skip
    (tmp_path / "fact_budget.json").write_text(json.dumps(suite), encoding="utf-8")
    results = validate_budget(baiyun_projects(), expectations_dir=tmp_path)
    assert {r.check_name for r in results} == {"budget_adjustment"}


def test_context_is_cached_and_runs_are_fast():
    from jixiao.validate.gx_runner import get_runner

    validate_scores(huangpu_frame())
    assert get_runner() is get_runner(default_expectations_dir())
    start = time.perf_counter()
    for _ in range(5):
        validate_scores(huangpu_frame())
    assert (time.perf_counter() - start) / 5 < 1.0


def test_a_check_that_cannot_run_is_reported_not_dropped(tmp_path):
    suite = json.loads((default_expectations_dir() / "fact_budget.json").read_text("utf-8"))
    suite["expectations"][1]["kwargs"]["value_column"] = "no_such_column"
    (tmp_path / "fact_budget.json").write_text(json.dumps(suite), encoding="utf-8")
    results = validate_budget(baiyun_projects(), expectations_dir=tmp_path)
    broken = by(results, "budget_adjustment")["(check)"]
    assert not broken.passed and "no_such_column" in broken.detail
    assert len(by(results, "budget_execution_rate")) == 2  # the others still ran
