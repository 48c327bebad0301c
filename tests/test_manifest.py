"""Manifests: the bundled samples load; each bad entry is named with its field."""

from pathlib import Path

from jixiao.manifest import load_manifest
from jixiao.paths import DEFAULT_SOURCES


def test_sample_manifest_resolves_districts_and_departments():
    sources, errors = load_manifest(DEFAULT_SOURCES)
    assert errors == []
    by_id = {s.id: s for s in sources}
    assert set(by_id) == {
        "huangpu-2022",
        "potou-2022",
        "baiyun-2022",
        "panyu-2023",
        "panyu-2024-scan",
    }
    hp = by_id["huangpu-2022"]
    assert (hp.district.province, hp.district.city, hp.district.district) == (
        "广东省",
        "广州市",
        "黄埔区",
    )
    assert by_id["potou-2022"].district.city == "湛江市"
    # the 2024 bureau prints its new name; it is an alias of the same kind
    assert by_id["panyu-2024-scan"].department == "政务服务和数据管理局"
    assert by_id["panyu-2024-scan"].department_kind == "政务服务数据管理局"
    assert all(s.path.is_file() and len(s.sha256) == 64 for s in sources)


def test_bad_entries_are_reported_and_the_rest_still_run(tmp_path: Path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n")
    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        """
- {id: good, district_code: "440112", year: 2022, department: 政数局, path: a.pdf}
- {id: Bad_Id, district_code: "440112", year: 2022, department: 政数局, path: a.pdf}
- {id: no-district, district_code: "999999", year: 2022, department: 政数局, path: a.pdf}
- {id: old, district_code: "440112", year: 1990, department: 政数局, path: a.pdf}
- {id: dept, district_code: "440112", year: 2022, department: " ", path: a.pdf}
- {id: finance, district_code: "440112", year: 2022, department: 财政局, path: a.pdf}
- {id: unknown, district_code: "440112", year: 2022, department: 某某事务中心, path: a.pdf}
- {id: both, district_code: "440112", year: 2022, department: 政务服务数据管理局,
   path: a.pdf, url: "https://example.org/a.pdf"}
- {id: ftp, district_code: "440112", year: 2022, department: 政务服务数据管理局,
   url: "ftp://example.org/a.pdf"}
- {id: sum, district_code: "440112", year: 2022, department: 政务服务数据管理局,
   path: a.pdf, sha256: xyz}
- {id: good, district_code: "440112", year: 2022, department: 政数局, path: a.pdf}
""",
        encoding="utf-8",
    )
    sources, errors = load_manifest(manifest)
    assert [s.id for s in sources] == ["good", "finance", "unknown"]
    assert sources[0].path == (tmp_path / "a.pdf").resolve()
    # every department loads: a kind of the dictionary, or one it lacks as printed
    assert [(s.department_code, s.department_kind, s.department_known) for s in sources[1:]] == [
        ("finance", "财政局", True),
        ("printed:某某事务中心", "某某事务中心", False),
    ]
    fields = {(e.source_id, e.field) for e in errors}
    assert fields == {
        ("#2", "id"),
        ("no-district", "district_code"),
        ("old", "year"),
        ("dept", "department"),
        ("both", "url/path"),
        ("ftp", "url"),
        ("sum", "sha256"),
        ("good", "id"),
    }
    assert all(str(manifest) in str(e) for e in errors)


def test_unreadable_manifest_is_one_error(tmp_path: Path):
    sources, errors = load_manifest(tmp_path / "missing.yaml")
    assert sources == [] and len(errors) == 1 and errors[0].field == "file"
