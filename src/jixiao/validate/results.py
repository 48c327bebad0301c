"""Great Expectations results → ``CheckResult`` rows a person can read.

Every expectation in a suite carries ``meta.check_name``; its GX severity
("critical" / "warning") becomes the check's severity ("error" / "warning").
Custom expectations return one ``details`` record per subject; the built-in
per-row expectations of ``score_within_weight`` name their failing rows, and
every row they looked at becomes a subject too (passed ones included), so an
analyst sees what was checked. No Great Expectations import here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from jixiao.model import CheckResult
from jixiao.reference import measures
from jixiao.validate.frames import ROW_ID

MEASURE_LABELS = {code: m.label for code, m in measures().items()}
TOTAL_SUBJECT = "总分"
RATE_TOLERANCE = 0.0001


# ------------------------------------------------------------------ number formats


def num(x: float | None, places: int = 4) -> str | None:
    """A score-like number without float noise: 9.919999 → "9.92", 100.0 → "100"."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    text = f"{x:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def signed(x: float) -> str:
    text = num(x) or "0"
    return text if text.startswith("-") or text == "0" else "+" + text


def yuan(x: float) -> str:
    """Amount for observed/expected: yuan with 2 decimals, like ``amount_yuan``."""
    return f"{x:.2f}"


def wan(x: float) -> str:
    """Amount for people: 万元 with 2 decimals and separators (as reports print it)."""
    return f"{x / 10000:,.2f}万元"


def pct(x: float) -> str:
    return f"{x * 100:.2f}%"


def _last(path: str | None) -> str:
    return (path or "").rstrip("/").rsplit("/", 1)[-1] or (path or "")


# ------------------------------------------------------------------- per check


def _children_sum(check: str, quantity: str, d: dict[str, Any]) -> tuple[str, str, str]:
    subject = d["subject"]
    obs, exp = num(d["observed"]), num(d["expected"])
    n = d["n_children"]
    kind = "level-1 indicator" if check == "level1_sum_to_total" else "sub-indicator"
    whose = f"the total {quantity}" if d["parent_level"] == 0 else f"{_last(subject)}'s {quantity}"
    what = f"the {n} {kind}s' {quantity}s add up to" if n > 1 else f"its one {kind}'s {quantity} is"
    if d["passed"]:
        text = f"{subject}: {what} {obs}, matching {whose} {exp}"
        if num(d["difference"]) != "0":
            text += f" (difference {signed(d['difference'])}, within rounding)"
    else:
        text = (
            f"{subject}: {what} {obs}, but {whose} is {exp} (difference {signed(d['difference'])})"
        )
    return obs, exp, text


def _total(quantity: str, d: dict[str, Any]) -> tuple[str, str, str]:
    subject = d["subject"] or TOTAL_SUBJECT
    obs, exp = num(d["observed"]), num(d["expected"])
    if d["source"] == "total":
        what = f"the total {quantity} is {obs}"
    else:
        what = f"the {d['n_children']} level-1 {quantity}s add up to {obs} (no total {quantity})"
    if d["passed"]:
        return obs, exp, f"{subject}: {what}, as expected ({exp})"
    return obs, exp, f"{subject}: {what}, not {exp} (difference {signed(d['difference'])})"


def _budget(check: str, d: dict[str, Any]) -> tuple[str, str, str, str]:
    """(subject, observed, expected, detail) for the budget reconciliations."""
    ops, obs, exp = d["operands"], d["observed"], d["expected"]
    ok = d["passed"]
    if check == "budget_parts_sum":
        measure, target = d["subject"], d["target_name"]
        label = MEASURE_LABELS.get(measure, measure)
        subject = f"{target}/{measure}"
        terms = " + ".join(f"{n} {wan(v)}" for n, v in ops.items())
        off = wan(abs(d["difference"]))
        text = _reconciled(
            f"{target} ({label})", f"{terms} = {wan(obs)}", target, wan(exp), ok, off
        )
        if ok and abs(d["difference"]) >= 0.005:
            text += f" (off by {off}, within rounding)"
        return subject, yuan(obs), yuan(exp), text

    item = d["subject"]
    if check == "budget_execution_rate":
        (num_name, x), (den_name, y) = ops.items()
        formula = (
            f"{MEASURE_LABELS.get(num_name, num_name)} {wan(x)} / "
            f"{MEASURE_LABELS.get(den_name, den_name)} {wan(y)} = {pct(obs)}"
        )
        off = f"{abs(d['difference']) * 100:.2f} percentage points"
        return item, num(obs), num(exp), _reconciled(item, formula, "执行率", pct(exp), ok, off)

    # budget_adjustment (and any other sum)
    terms = " + ".join(f"{MEASURE_LABELS.get(n, n)} {wan(v)}" for n, v in ops.items())
    target = d["target_name"]
    target = "调整后预算" if target == "budget" else MEASURE_LABELS.get(target, target)
    off = wan(abs(d["difference"]))
    text = _reconciled(item, f"{terms} = {wan(obs)}", target, wan(exp), ok, off)
    return item, yuan(obs), yuan(exp), text


def _reconciled(who: str, formula: str, target: str, printed: str, ok: bool, off: str) -> str:
    """A reconciliation's sentence: the formula, then whether the printed figure matches."""
    if ok:
        return f"{who}: {formula}, matching {target} {printed}"
    return f"{who}: {formula}, but {target} is printed as {printed} (off by {off})"


def _within_weight(
    frame: pd.DataFrame, failing: dict[int, set[str]], check: str, severity: str
) -> list[CheckResult]:
    """One result per row with a score and a weight (and per flagged row)."""
    out = []
    for row in frame.to_dict("records"):
        score, weight = row["score"], row["weight"]
        has_score, has_weight = not math.isnan(score), not math.isnan(weight)
        bounds = failing.get(row[ROW_ID], set())
        if not bounds and not (has_score and has_weight):
            continue
        subject = row["path"]
        s, w = num(score), num(weight) if has_weight else None
        expected = f"0 ≤ score ≤ {w}" if w is not None else "0 ≤ score"
        if "upper" in bounds:
            text = f"{subject}: score {s} exceeds its weight {w} by {num(score - weight)}"
        elif "lower" in bounds:
            text = f"{subject}: score {s} is negative"
        else:
            text = f"{subject}: score {s} is within 0–{w}"
        out.append(CheckResult(check, subject, severity, not bounds, s, expected, text))
    return out


# --------------------------------------------------------------------- assembly


def _severity(config: Any) -> str:
    value = getattr(getattr(config, "severity", None), "value", None) or str(
        getattr(config, "severity", "critical")
    )
    return "warning" if value in ("warning", "info") else "error"


def _exception_message(info: Any) -> str | None:
    """The first line of a raised exception's message, if the expectation raised one.

    GX puts it at the top level, or (when a metric failed) under each metric's id.
    """
    if not isinstance(info, dict):
        return None
    candidates = [info, *(v for v in info.values() if isinstance(v, dict))]
    for entry in candidates:
        if entry.get("raised_exception"):
            message = str(entry.get("exception_message") or "unknown error")
            return message.splitlines()[0] if message.strip() else "unknown error"
    return None


def _row_ids(result: dict[str, Any]) -> Iterable[int]:
    for entry in result.get("unexpected_index_list") or []:
        if isinstance(entry, dict) and ROW_ID in entry:
            yield int(entry[ROW_ID])
        elif isinstance(entry, int):
            yield entry


def to_check_results(suite_result: Any, frame: pd.DataFrame) -> list[CheckResult]:
    """Flatten one suite validation result into CheckResults, in suite order."""
    out: list[CheckResult] = []
    # score_within_weight spans two built-ins: gather their failing rows, emit once
    row_checks: dict[str, tuple[str, dict[int, set[str]]]] = {}

    for res in suite_result.results:
        config = res.expectation_config
        meta = config.meta or {}
        check = meta.get("check_name") or config.type
        severity = _severity(config)
        result = res.result or {}
        message = _exception_message(res.exception_info)
        if message is not None:
            out.append(
                CheckResult(
                    check, "(check)", severity, False, None, None,
                    f"{check} could not run ({config.type}): {message}",
                )
            )  # fmt: skip
            continue
        if "details" in result:
            for d in result["details"]:
                if "message" in d:  # expectations that word their own verdict
                    out.append(
                        CheckResult(
                            check, d["subject"], severity, bool(d["passed"]),
                            d.get("observed"), d.get("expected"), d["message"],
                        )
                    )  # fmt: skip
                    continue
                if check.startswith("budget_"):
                    subject, obs, exp, text = _budget(check, d)
                elif config.type == "expect_tree_total_to_equal":
                    subject = d["subject"] or TOTAL_SUBJECT
                    obs, exp, text = _total(meta.get("quantity", "value"), d)
                else:
                    subject = d["subject"]
                    obs, exp, text = _children_sum(check, meta.get("quantity", "value"), d)
                out.append(CheckResult(check, subject, severity, bool(d["passed"]), obs, exp, text))
        elif "per_row" in meta:  # a built-in per-row expectation, worded by its meta
            out.extend(_per_row(check, severity, meta["per_row"], res, frame))
        elif "bound" in meta:  # score_within_weight: a built-in per-row expectation
            _, failing = row_checks.setdefault(check, (severity, {}))
            for row_id in _row_ids(result):
                failing.setdefault(row_id, set()).add(meta["bound"])
        else:  # any other expectation: one result for the whole batch
            n_bad = result.get("unexpected_count")
            out.append(
                CheckResult(
                    check, "(all rows)", severity, bool(res.success),
                    None if n_bad is None else str(n_bad), None,
                    f"{config.type}: " + ("passed" if res.success else f"{n_bad} rows unexpected"),
                )
            )  # fmt: skip

    for check, (severity, failing) in row_checks.items():
        out.extend(_within_weight(frame, failing, check, severity))
    return _unique_subjects(out)


def _per_row(
    check: str, severity: str, spec: dict[str, Any], res: Any, frame: pd.DataFrame
) -> list[CheckResult]:
    """One result per failing row of a built-in column expectation, else one that passed.

    ``spec`` (the suite's ``meta.per_row``) names the ``subject`` columns
    (joined by "/") or a fixed ``subject_text``, the ``value`` column, the
    ``expected`` text, a ``message`` for a failing row and a ``passed``
    message; messages may use {subject}, {value}, {n} (rows checked). With
    ``applies_if`` (a boolean column the suite's row_condition tests) and no
    row where it holds, the ``not_applicable`` message is used instead.
    """
    result = res.result or {}
    value_col = spec["value"]
    columns = spec.get("subject", [])
    n = int(result.get("element_count") or len(frame))
    n_checked = n - int(result.get("missing_count") or 0)

    def subject_of(row: dict[str, Any]) -> str:
        if spec.get("subject_text"):
            return spec["subject_text"]
        parts = [str(row[c]) for c in columns if row.get(c) is not None]
        return "/".join(parts) or "(row)"

    rows = frame.set_index(ROW_ID, drop=False)
    out = []
    for row_id in sorted(set(_row_ids(result))):
        row = rows.loc[row_id].to_dict()
        value = row.get(value_col)
        shown = num(value) if isinstance(value, float) else (None if value is None else str(value))
        fmt = {"subject": subject_of(row), "value": shown, "n": n_checked}
        out.append(
            CheckResult(
                check, fmt["subject"], severity, False, shown, spec["expected"],
                spec["message"].format(**fmt),
            )
        )  # fmt: skip
    if not out:
        subject = spec.get("subject_text") or spec.get("all_subject", "(all rows)")
        observed, message = f"{n_checked} rows", spec["passed"]
        if len(frame) == 1:  # a one-row batch (a report's header): show the value itself
            value = frame.iloc[0][value_col]
            observed = num(value) if isinstance(value, float) else str(value)
        applies = spec.get("applies_if")
        if applies and not frame[applies].astype(bool).any():
            message = spec.get("not_applicable", message)
        fmt = {"subject": subject, "value": observed, "n": n_checked}
        out.append(
            CheckResult(
                check, subject, severity, bool(res.success), observed,
                spec["expected"], message.format(**fmt),
            )
        )  # fmt: skip
    return out


def add_budget_hints(results: list[CheckResult], frame: pd.DataFrame) -> None:
    """Say which number is off when an item's adjustment and rate both fail.

    With 年初预算 a, 年中调整 b, 调整后预算 c, 实际支出 x and 执行率 r: if
    a + b ≠ c but x / (a + b) = r, the printed c is the odd one out (白云区
    2022: 600 − 356.04 = 243.96, printed 343.96; 242.68 / 243.96 = 99.48%).
    If x / c = r instead, c agrees with the rate and a or b is off.
    """
    values: dict[tuple[str, str], float] = {}
    for row in frame.to_dict("records"):
        if row["item"] and row["measure"] and not math.isnan(row["value"]):
            values.setdefault((row["item"], row["measure"]), row["value"])
    by_key = {(r.check_name, r.subject): r for r in results}
    for (check, item), res in by_key.items():
        if check != "budget_adjustment" or res.passed:
            continue
        a, b, c, x, r = (
            values.get((item, m))
            for m in ("initial_budget", "adjustment", "budget", "actual", "execution_rate")
        )
        if None in (a, b, c, x, r):
            continue
        rate_res = by_key.get(("budget_execution_rate", item))
        if a + b and abs(x / (a + b) - r) <= RATE_TOLERANCE + 1e-12:
            hint = (
                f"; 实际支出 {wan(x)} / (年初预算 + 年中调整) {wan(a + b)} = {pct(x / (a + b))} "
                f"matches 执行率 {pct(r)}, so 调整后预算 {wan(c)} is probably a typo for "
                f"{wan(a + b)}"
            )
            res.detail = (res.detail or "") + hint
            if rate_res is not None and not rate_res.passed:
                rate_res.detail = (rate_res.detail or "") + hint
        elif c and abs(x / c - r) <= RATE_TOLERANCE + 1e-12:
            res.detail = (res.detail or "") + (
                f"; 调整后预算 {wan(c)} agrees with 实际支出 and 执行率 {pct(r)}, "
                "so 年初预算 or 年中调整 is probably the number that is off"
            )


def _unique_subjects(results: list[CheckResult]) -> list[CheckResult]:
    """check_result is keyed by (report, check, subject): disambiguate repeats."""
    seen: dict[tuple[str, str], int] = {}
    for res in results:
        key = (res.check_name, res.subject)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            res.subject = f"{res.subject} #{seen[key]}"
    return results
