"""Reference data shipped with the package: what jixiao knows about documents.

Every file here is data, read by generic code: the indicator frameworks, one
file each (``frameworks/<code>.yaml``, read by ``framework.py``), department
kinds and aliases (``departments.yaml``),
score-table header variants (``table_headers.yaml``), prose phrasing
(``prose_patterns.yaml``), grade bands (``grades.yaml``), budget measures
(``measures.yaml``), the catalogue of
checks (``checks.yaml``) and the
行政区划代码 table (``districts.csv``, from 国家统计局 统计用区划代码).

This is the ground floor: every stage (fetch → extract → normalize → validate
→ load) may import it, it imports none of them. Number and unit parsing, which
extract and normalize both need, lives here too (``numbers.py``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent

_NAME_NOISE = re.compile(r"[\s\u3000“”\"'‘’「」()（）【】\[\]<>《》:：,，.。、;；]")


def name_key(text: str) -> str:
    """Matching key for a printed name: no spaces, quotes, brackets or punctuation."""
    return _NAME_NOISE.sub("", text or "")


def load_yaml(name: str) -> dict:
    """Read one YAML file of this folder."""
    with open(HERE / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


@dataclass(frozen=True)
class District:
    code: str
    province: str
    city: str
    district: str


@cache
def districts() -> dict[str, District]:
    """All county-level divisions by 6-digit code."""
    with open(HERE / "districts.csv", encoding="utf-8") as f:
        return {
            row["district_code"]: District(
                row["district_code"], row["province"], row["city"], row["district"]
            )
            for row in csv.DictReader(f)
        }


def find_districts(name: str, city: str | None = None) -> list[District]:
    """Divisions whose name is ``name`` (optionally within ``city``)."""
    return [
        d for d in districts().values() if d.district == name and (city is None or d.city == city)
    ]


@dataclass(frozen=True)
class FormerName:
    """A name a department kind had before a reform, and the last fiscal year it was current."""

    name: str
    until: int


@dataclass(frozen=True)
class DepartmentKind:
    """One kind of department (``departments.yaml``); ``printed`` when not in the dictionary."""

    code: str
    kind: str
    aliases: tuple[str, ...] = ()
    category: str | None = None
    former_names: tuple[FormerName, ...] = ()
    patterns: tuple[str, ...] = ()
    printed: bool = False  # not in the dictionary: loaded as printed

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the kind is printed under: canonical, aliases, former names."""
        return (self.kind, *self.aliases, *(f.name for f in self.former_names))


PRINTED_DEPARTMENT_PREFIX = "printed:"


@cache
def department_kinds() -> list[DepartmentKind]:
    """Every department kind of the dictionary, in file order."""
    return [
        DepartmentKind(
            d["code"],
            d["kind"],
            tuple(d.get("aliases") or ()),
            d.get("category"),
            tuple(FormerName(f["name"], int(f["until"])) for f in d.get("former_names") or ()),
            tuple(d.get("patterns") or ()),
        )
        for d in load_yaml("departments.yaml")["departments"]
    ]


@cache
def _department_matching() -> tuple[re.Pattern, list[tuple[re.Pattern, DepartmentKind]], list]:
    """The branch pattern, the kinds' patterns, and (name, kind) longest name first."""
    data = load_yaml("departments.yaml")
    patterns = [(re.compile(p), k) for k in department_kinds() for p in k.patterns]
    names = sorted(
        ((name, k) for k in department_kinds() for name in k.names), key=lambda nk: -len(nk[0])
    )
    return re.compile(data["branch_pattern"]), patterns, names


_DEPT_SUFFIX = re.compile(r"(本级|机关)$")
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")


def resolve_department(printed: str) -> DepartmentKind | None:
    """The department kind a printed department name refers to, or None.

    Drops spaces, a bracketed second name (（广州开发区行政审批局）) and a
    trailing 本级/机关; reads a city bureau's district branch
    (广州市公安局黄埔区分局) as the bureau; then a kind's pattern, else the
    longest kind, alias or former name the text ends with, so place prefixes
    (广州市黄埔区, 区) need no listing.
    """
    text = _BRACKETED.sub("", re.sub(r"\s", "", printed or ""))
    text = _DEPT_SUFFIX.sub("", text)
    if not text:
        return None
    branch, patterns, names = _department_matching()
    if m := branch.match(text):
        text = m.group("bureau")
    for pattern, kind in patterns:
        if pattern.search(text):
            return kind
    return next((kind for name, kind in names if text.endswith(name)), None)


def department_for(printed: str) -> DepartmentKind:
    """The kind of a printed department name; a name the dictionary lacks as printed.

    A department the dictionary does not know is never refused: it becomes
    its own kind, code ``printed:<name>`` and the name as printed (spaces
    dropped), flagged ``printed`` so the report says so (warning
    ``department_kind_known``).
    """
    kind = resolve_department(printed)
    if kind is not None:
        return kind
    name = re.sub(r"\s", "", printed or "")
    return DepartmentKind(PRINTED_DEPARTMENT_PREFIX + name, name, printed=True)


@cache
def grade_bands() -> dict[str, Decimal]:
    """Each grade (优/良/中/差) with the lowest total that earns it, highest first."""
    bands = {g: Decimal(str(floor)) for g, floor in load_yaml("grades.yaml")["bands"].items()}
    return dict(sorted(bands.items(), key=lambda kv: -kv[1]))


@cache
def grade_words() -> dict[str, str]:
    """Each printed grade word (优秀, 良好, 合格 …) with the grade it means (优/良/中/差)."""
    return {str(w): str(g) for w, g in load_yaml("grades.yaml")["words"].items()}


def grade_of_word(word: str | None) -> str | None:
    """The grade (优/良/中/差) a printed grade word means; None for none or an unknown word."""
    return grade_words().get(name_key(word or "")) if word else None


@dataclass(frozen=True)
class Measure:
    """What a budget figure measures (``measures.yaml``)."""

    code: str  # fact_budget.measure: initial_budget · adjustment · budget · actual · …
    label: str  # the words checks use: 年初预算 · 年中调整 · …
    amount: bool  # an amount in yuan (amount_yuan); False: a rate (rate)


@cache
def measures() -> dict[str, Measure]:
    """Every budget measure by code, in the file's order."""
    return {code: Measure(code, **m) for code, m in load_yaml("measures.yaml")["measures"].items()}


@cache
def budget_parts() -> dict[str, list[str]]:
    """Each budget item with the parts that add up to it (部门预算 = 基本支出 + 项目支出).

    The one statement of the rule: the ``parent`` of the items in
    ``prose_patterns.yaml`` (a key project's parent is not a sum: excluded). Read by
    the unit proofs (``normalize.budgets``), the budget block's sum
    (``budget_block_sum``); the fact_budget suite's ``budget_parts_sum`` is tested
    against it (``tests/test_budget_units.py``).
    """
    parts: dict[str, list[str]] = {}
    for item in load_yaml("prose_patterns.yaml")["budget"]["items"]:
        if item.get("parent"):
            parts.setdefault(item["parent"], []).append(item["name"])
    return parts


@dataclass(frozen=True)
class Check:
    """One entry of the check catalogue (``checks.yaml``)."""

    name: str
    severity: str  # error · warning
    stage: str  # extract · normalize · suite · warehouse · ingest
    where: str
    meaning: str
    example: str | None = None


@cache
def checks() -> dict[str, Check]:
    """Every check jixiao records, by name."""
    return {c["name"]: Check(**c) for c in load_yaml("checks.yaml")["checks"]}


class UnknownCheck(ValueError):
    """A check was emitted that the catalogue does not list (or lists with another severity)."""


def catalogued(name: str, severity: str) -> None:
    """Raise ``UnknownCheck`` unless ``checks.yaml`` lists ``name`` with ``severity``."""
    entry = checks().get(name)
    if entry is None:
        raise UnknownCheck(f"check {name!r} is not in reference/checks.yaml: add it there")
    if entry.severity != severity:
        raise UnknownCheck(f"check {name!r} emitted as {severity}, catalogued as {entry.severity}")
