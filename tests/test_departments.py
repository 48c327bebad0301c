"""The department dictionary: every kind a county-level government has, its aliases
and former names; a name it lacks loads as printed with a warning, never refused."""

from __future__ import annotations

import copy
import hashlib
from collections import Counter
from pathlib import Path

import duckdb
import pytest
import yaml

from jixiao.extract.document import extract_document
from jixiao.fetch import Fetched
from jixiao.load.warehouse import connect, load_dimensions, load_reports
from jixiao.manifest import load_manifest
from jixiao.normalize.report import normalize_document
from jixiao.reference import (
    department_for,
    department_kinds,
    districts,
    load_yaml,
    resolve_department,
)
from jixiao.validate import validate_warehouse
from jixiao.validate.verdict import judge

FIXTURES = Path(__file__).parent / "fixtures"
HTML = FIXTURES / "formats" / "huangpu-2022.html"
PRINTED_DEPARTMENT = "广州市黄埔区政务服务数据管理局（广州开发区行政审批局）"

KINDS = department_kinds()
# one district of every province (the first listed)
BY_PROVINCE = {d.province: d for d in reversed(list(districts().values()))}
SAMPLE_DISTRICTS = sorted(BY_PROVINCE.values(), key=lambda d: d.code)


def test_the_dictionary_has_every_kind_once_with_stable_codes():
    assert len(KINDS) >= 60
    codes = Counter(k.code for k in KINDS)
    assert [c for c, n in codes.items() if n > 1] == []
    names = Counter(name for k in KINDS for name in k.names)
    assert [n for n, c in names.items() if c > 1] == []
    # the code the warehouses already hold stays
    assert resolve_department("政务服务数据管理局").code == "zwfw-data"
    categories = {k.category for k in KINDS}
    assert categories == {
        "党委部门",
        "人大政协",
        "政府部门",
        "司法机关",
        "群团组织",
        "乡镇街道",
        "事业单位",
    }
    # every kind resolves to itself, every alias and former name to its kind
    assert [k.kind for k in KINDS if resolve_department(k.kind) != k] == []
    assert [(n, k.kind) for k in KINDS for n in k.names if resolve_department(n) != k] == []


@pytest.mark.parametrize(
    ("printed", "kind"),
    [
        ("广州市黄埔区教育局", "教育局"),
        ("番禺区政务服务和数据管理局", "政务服务数据管理局"),  # as 番禺 2024 prints it
        ("黄埔区卫生和计划生育局", "卫生健康局"),  # the name until 2018
        ("某县卫生局", "卫生健康局"),
        ("白云区国土资源和规划局", "规划和自然资源分局"),  # 国土资源 → 自然资源, 2019
        ("广州市规划和自然资源局黄埔区分局", "规划和自然资源分局"),  # a city bureau's branch
        ("广州市公安局黄埔区分局", "公安分局"),
        ("广州市生态环境局黄埔分局", "生态环境分局"),
        ("某县环境保护局", "生态环境分局"),
        ("某县人事局", "人力资源和社会保障局"),
        ("某县劳动局", "人力资源和社会保障局"),
        ("某县安全生产监督管理局", "应急管理局"),
        ("某县扶贫开发办公室", "乡村振兴局"),
        ("黄埔区大沙街道办事处", "街道办事处"),
        ("长洲街道", "街道办事处"),
        ("从化区温泉镇人民政府", "镇人民政府"),
        ("新塘镇", "镇人民政府"),
        ("某县某某乡人民政府", "乡人民政府"),
        ("某县某某乡", "乡人民政府"),
        ("中共广州市黄埔区委员会办公室", "区委办公室"),
        ("中国人民政治协商会议广州市黄埔区委员会办公室", "区政协办公室"),
        ("广州市黄埔区人民政府办公室", "区政府办公室"),
        ("广州市黄埔区人民法院", "人民法院"),
        ("广州市黄埔区人民检察院", "人民检察院"),
        ("某县第一中学", "学校"),
        ("某县人民医院", "医院"),
        ("某镇卫生院", "医院"),
        ("广州市黄埔区政务服务数据管理局（广州开发区行政审批局）本级", "政务服务数据管理局"),
    ],
)
def test_printed_names_resolve_to_their_kind(printed, kind):
    assert resolve_department(printed).kind == kind


def test_a_name_the_dictionary_lacks_becomes_its_own_kind_as_printed():
    kind = department_for("黄埔区 某某事务中心")
    assert (kind.code, kind.kind, kind.printed) == (
        "printed:黄埔区某某事务中心",
        "黄埔区某某事务中心",
        True,
    )
    assert resolve_department("城乡") is None  # 城乡 is not a township
    assert department_for("教育局").printed is False


def test_renamings_carry_the_last_year_of_the_old_name():
    health = resolve_department("卫生健康局")
    assert {f.name: f.until for f in health.former_names}["卫生和计划生育局"] == 2018
    land = resolve_department("规划和自然资源分局")
    assert {f.name: f.until for f in land.former_names}["国土资源局"] == 2018
    n_renamings = sum(len(k.former_names) for k in KINDS)
    assert n_renamings >= 40
    assert load_yaml("departments.yaml")["branch_pattern"]


def test_a_manifest_of_every_kind_in_every_province_loads(tmp_path: Path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n")
    entries = [
        {
            "id": f"r{n}",
            "district_code": d.code,
            "year": 2023,
            "department": k.kind,
            "path": "a.pdf",
        }
        for n, (d, k) in enumerate((d, k) for d in SAMPLE_DISTRICTS for k in KINDS)
    ]
    entries.append({**entries[0], "id": "unknown", "department": "某某事务中心"})
    manifest = tmp_path / "m.yaml"
    manifest.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    sources, errors = load_manifest(manifest)
    assert errors == []
    assert len(SAMPLE_DISTRICTS) >= 31 and len(sources) == len(SAMPLE_DISTRICTS) * len(KINDS) + 1
    assert {s.department_code for s in sources} == {k.code for k in KINDS} | {
        "printed:某某事务中心"
    }
    assert [s.id for s in sources if not s.department_known] == ["unknown"]


def _report_of(tmp_path: Path, n: int, district, department: str):
    """The 黄埔 HTML form printed as ``department`` of ``district``: a real report."""
    printed = f"{district.city}{district.district}{department}"
    html = HTML.read_text(encoding="utf-8").replace(PRINTED_DEPARTMENT, printed)
    path = tmp_path / f"r{n}.html"
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def every_kind_loaded(tmp_path_factory):
    """Every kind (and a name the dictionary lacks) as a report of a district of the
    sample, extracted, normalized, judged and loaded into one warehouse."""
    tmp_path = tmp_path_factory.mktemp("departments")
    departments = [k.kind for k in KINDS] + ["大沙街道办事处", "温泉镇人民政府", "某某事务中心"]
    entries = []
    for n, department in enumerate(departments):
        district = SAMPLE_DISTRICTS[n % len(SAMPLE_DISTRICTS)]
        path = _report_of(tmp_path, n, district, department)
        entries.append(
            {
                "id": f"r{n}",
                "district_code": district.code,
                "year": 2022,
                "department": department,
                "path": path.name,
            }
        )
    manifest = tmp_path / "m.yaml"
    manifest.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    sources, errors = load_manifest(manifest)
    assert errors == []
    facts = extract_document(sources[0].path)  # the same form: read once, printed names vary
    reports = []
    for source in sources:
        data = source.path.read_bytes()
        fetched = Fetched(source.id, source.path, hashlib.sha256(data).hexdigest(), len(data))
        printed = copy.deepcopy(facts)
        printed.department_name = f"{source.district.city}{source.district.district}"
        printed.department_name += source.department
        reports.append(judge(normalize_document(source, fetched, printed)))
    db = tmp_path / "w.duckdb"
    con = connect(db)
    load_dimensions(con)
    load_reports(con, reports)
    yield {"con": con, "db": db, "reports": reports, "n": len(departments)}
    con.close()


def test_a_report_of_every_kind_loads_valid(every_kind_loaded):
    con: duckdb.DuckDBPyConnection = every_kind_loaded["con"]
    rows = con.execute(
        """
        select r.status, count(*), count(distinct r.department_code),
               count(distinct r.district_code), min(n), max(n)
        from dim_report r
        join (select report_id, count(*) n from fact_indicator_score group by 1) using (report_id)
        group by 1
        """
    ).fetchall()
    n = every_kind_loaded["n"]
    # street office and town share their kind with the canonical rows: 2 codes fewer
    assert rows == [("valid", n, n - 2, len(SAMPLE_DISTRICTS), 37, 37)]
    printed = con.execute(
        "select department_code, department_kind from dim_department "
        "where department_code like 'printed:%'"
    ).fetchall()
    assert printed == [("printed:某某事务中心", "某某事务中心")]
    warnings = con.execute(
        "select r.source_id, c.passed, c.observed from check_result c join dim_report r "
        "using (report_id) where c.check_name = 'department_kind_known'"
    ).fetchall()
    assert warnings == [(f"r{n - 1}", False, "某某事务中心")]
    # the document's printed department agrees with the manifest's, every kind
    mismatched = con.execute(
        "select count(*) from check_result where check_name = 'manifest_matches_document' "
        "and subject = 'department' and not passed"
    ).fetchone()
    assert mismatched == (0,)


def test_the_warehouse_of_every_kind_keeps_its_references(every_kind_loaded):
    failed = [
        c
        for c in validate_warehouse(every_kind_loaded["db"], con=every_kind_loaded["con"])
        if c.severity == "error" and not c.passed
    ]
    assert failed == []
