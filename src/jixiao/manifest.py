"""Source manifests (``sources/*.yaml``): the list of reports to ingest.

Each entry names a district (6-digit 行政区划代码), the fiscal year evaluated,
the department (a kind of ``reference/departments.yaml``, an alias, a former
name, or any other name, which loads as printed with a warning) and where the
PDF is (``url`` or ``path`` relative to the manifest). An invalid entry
becomes a ``ManifestError`` naming the entry and the field; the valid entries
still run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from jixiao.reference import District, department_for, districts

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
YEAR_RANGE = range(2000, 2036)


@dataclass(frozen=True)
class Source:
    """One manifest entry, checked and resolved."""

    id: str
    district: District
    year: int
    department: str  # as written in the manifest
    department_code: str
    department_kind: str
    url: str | None = None
    path: Path | None = None  # absolute
    sha256: str | None = None
    title: str | None = None
    manifest: str = ""
    department_known: bool = True  # False: not in the dictionary, loaded as printed

    @property
    def district_code(self) -> str:
        return self.district.code

    @property
    def location(self) -> str:
        return self.url or str(self.path)


@dataclass(frozen=True)
class ManifestError:
    """An entry that cannot run, and why."""

    source_id: str  # the entry's id, or "#<n>" when it has none
    field: str
    message: str
    manifest: str

    def __str__(self) -> str:
        return f"{self.manifest}: entry {self.source_id}: {self.field}: {self.message}"


def load_manifest(path: str | Path) -> tuple[list[Source], list[ManifestError]]:
    """Read a manifest file into checked sources and per-entry errors."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        return [], [ManifestError("*", "file", f"cannot read manifest: {e}", str(path))]
    if isinstance(data, dict):
        data = data.get("sources")
    if not isinstance(data, list):
        return [], [ManifestError("*", "file", "expected a list of entries", str(path))]
    sources, errors, seen = [], [], set()
    for n, entry in enumerate(data, start=1):
        result = _check_entry(entry, n, path, seen)
        (sources if isinstance(result, Source) else errors).append(result)
    return sources, errors


def _check_entry(entry: object, n: int, manifest: Path, seen: set[str]) -> Source | ManifestError:
    label = f"#{n}"

    def error(field: str, message: str) -> ManifestError:
        return ManifestError(label, field, message, str(manifest))

    if not isinstance(entry, dict):
        return error("entry", "expected a mapping of fields")
    source_id = str(entry.get("id", ""))
    if not ID_PATTERN.match(source_id):
        return error("id", f"missing or not [a-z0-9][a-z0-9-]*: {entry.get('id')!r}")
    label = source_id
    if source_id in seen:
        return error("id", "duplicate id in this manifest")
    seen.add(source_id)

    code = str(entry.get("district_code", "")).strip()
    district = districts().get(code)
    if district is None:
        return error("district_code", f"not a known 6-digit 行政区划代码: {code!r}")
    try:
        year = int(entry.get("year"))
    except (TypeError, ValueError):
        return error("year", f"not a year: {entry.get('year')!r}")
    if year not in YEAR_RANGE:
        return error("year", f"{year} outside {YEAR_RANGE.start}-{YEAR_RANGE.stop - 1}")
    department = str(entry.get("department") or "").strip()
    if not department:
        return error("department", "missing: name the department (a kind, an alias or as printed)")
    kind = department_for(department)  # a name the dictionary lacks loads as printed

    url, rel = entry.get("url"), entry.get("path")
    if bool(url) == bool(rel):
        return error("url/path", "give exactly one of url or path")
    if url and not re.match(r"^https?://", str(url)):
        return error("url", f"only http(s) URLs are fetched: {url!r}")
    sha = entry.get("sha256")
    if sha is not None and not SHA256_PATTERN.match(str(sha).lower()):
        return error("sha256", "not 64 hex digits")
    return Source(
        id=source_id,
        district=district,
        year=year,
        department=department,
        department_code=kind.code,
        department_kind=kind.kind,
        department_known=not kind.printed,
        url=str(url) if url else None,
        path=(manifest.parent / str(rel)).resolve() if rel else None,
        sha256=str(sha).lower() if sha else None,
        title=entry.get("title"),
        manifest=str(manifest),
    )
