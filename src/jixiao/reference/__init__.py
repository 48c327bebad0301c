"""Reference data shipped with the package: what jixiao knows about documents.

Every file here is data, read by generic code: the indicator frameworks, one
file each (``frameworks/<code>.yaml``, read by ``framework.py``), department
kinds and aliases (``departments.yaml``),
score-table header variants (``table_headers.yaml``), prose phrasing
(``prose_patterns.yaml``), grade bands (``grades.yaml``), the catalogue of
checks (``checks.yaml``) and the
行政区划代码 table (``districts.csv``, from 国家统计局 统计用区划代码).
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
class DepartmentKind:
    code: str
    kind: str
    aliases: tuple[str, ...]


@cache
def department_kinds() -> list[DepartmentKind]:
    return [
        DepartmentKind(d["code"], d["kind"], tuple(d.get("aliases", [])))
        for d in load_yaml("departments.yaml")["departments"]
    ]


_DEPT_SUFFIX = re.compile(r"(本级|机关)$")
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")


def resolve_department(printed: str) -> DepartmentKind | None:
    """The department kind a printed department name refers to, or None.

    Drops spaces, a bracketed second name (（广州开发区行政审批局）) and a
    trailing 本级, then matches a name that ends with the kind or one of its
    aliases, so place prefixes (广州市黄埔区, 区) need no listing.
    """
    text = _BRACKETED.sub("", re.sub(r"\s", "", printed or ""))
    text = _DEPT_SUFFIX.sub("", text)
    for kind in department_kinds():
        if any(text.endswith(name) for name in (kind.kind, *kind.aliases)):
            return kind
    return None


@cache
def grade_bands() -> dict[str, Decimal]:
    """Each grade (优/良/中/差) with the lowest total that earns it, highest first."""
    bands = {g: Decimal(str(floor)) for g, floor in load_yaml("grades.yaml")["bands"].items()}
    return dict(sorted(bands.items(), key=lambda kv: -kv[1]))


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
