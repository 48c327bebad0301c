"""`jixiao compare` on one warehouse holding two frameworks: Guangdong's 履职效能/管理效率
reports and MoF 2020 部门整体 forms. Totals and score rates side by side, each row
naming its framework; deeper levels within one framework unless asked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
import yaml

from jixiao.cli import main
from jixiao.compare import CompareError, compare
from jixiao.extract.document import extract_document
from jixiao.fetch import Fetched
from jixiao.load.warehouse import connect, load_dimensions, load_reports
from jixiao.manifest import load_manifest
from jixiao.normalize.report import normalize_document
from jixiao.validate.verdict import judge

FIXTURES = Path(__file__).parent / "fixtures"
HUANGPU_HTML = FIXTURES / "formats" / "huangpu-2022.html"
PRINTED_PLACE = "广州市黄埔区"
MOF = FIXTURES / "frameworks" / "mof-dept"
POTOU = Path(__file__).parents[1] / "data" / "raw" / "samples" / "potou-2022.pdf"

# (id, district code, department, document): two Guangdong reports, two MoF forms (2022)
REPORTS = [
    ("huangpu", "440112", "政务服务数据管理局", HUANGPU_HTML),
    ("liwan", "440103", "政务服务数据管理局", None),  # the 黄埔 form printed as 荔湾's
    ("liling", "430281", "教育局", MOF / "liling-2022-dept-xlsx.xlsx"),
    ("liuyang", "430181", "卫生健康局", MOF / "liuyang-2022-dept-writer.pdf"),
    ("potou", "440804", "政务服务数据管理局", POTOU),  # a narrative stating its total only
]


@pytest.fixture(scope="module")
def two_frameworks(tmp_path_factory) -> str:
    """A warehouse file of five valid 2022 reports: two frameworks and a total only."""
    tmp = tmp_path_factory.mktemp("frameworks")
    liwan = tmp / "liwan.html"
    liwan.write_text(
        HUANGPU_HTML.read_text(encoding="utf-8").replace(PRINTED_PLACE, "广州市荔湾区"),
        encoding="utf-8",
    )
    entries = [
        {
            "id": source_id,
            "district_code": code,
            "year": 2022,
            "department": department,
            "path": str(path or liwan),
        }
        for source_id, code, department, path in REPORTS
    ]
    manifest = tmp / "m.yaml"
    manifest.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    sources, errors = load_manifest(manifest)
    assert errors == []
    reports = []
    for source in sources:
        data = source.path.read_bytes()
        fetched = Fetched(source.id, source.path, hashlib.sha256(data).hexdigest(), len(data))
        reports.append(judge(normalize_document(source, fetched, extract_document(source.path))))
    assert [(r.source.id, r.status) for r in reports] == [(i, "valid") for i, *_ in REPORTS]
    db = tmp / "w.duckdb"
    con = connect(db)
    load_dimensions(con)
    load_reports(con, reports)
    con.close()
    return str(db)


@pytest.fixture
def con(two_frameworks):
    c = duckdb.connect(two_frameworks, read_only=True)
    yield c
    c.close()


def _rows(result) -> dict[str, tuple]:
    t = result.table[result.table["district"] != "坡头区"]
    return {
        d: (fw, round(total, 2), round(rate, 4))
        for d, fw, total, rate in zip(
            t["district"], t["framework_code"], t["total"], t["score_rate"], strict=True
        )
    }


def test_totals_and_score_rates_side_by_side_each_naming_its_framework(con):
    result = compare(con, 2022)
    assert _rows(result) == {
        "黄埔区": ("guangdong", 94.2, 0.942),
        "荔湾区": ("guangdong", 94.2, 0.942),
        "醴陵市": ("mof-dept", 99.24, 0.9924),
        "浏阳市": ("mof-dept", 95.78, 0.9578),
    }
    potou = result.table.set_index("district").loc["坡头区"]
    assert (potou["framework_code"], potou["total"]) == ("printed", 96)
    assert potou["score_rate"] != potou["score_rate"]  # NaN: no 分值 printed, no rate
    assert result.columns == []  # the level-1 indicators differ: totals only
    assert "2 frameworks" in result.note and "--framework" in result.note
    assert list(result.table["rank"]) == sorted(result.table["rank"])
    shown = result.display()
    assert "指标体系" in shown.columns
    assert set(shown["指标体系"]) == {"guangdong", "mof-dept", "printed"}


def test_a_report_of_its_total_only_sits_beside_any_framework(con):
    result = compare(con, 2022, province="广东")  # guangdong, and 坡头's total
    assert result.note is None
    assert [c.name for c in result.columns] == ["履职效能", "管理效率"]
    t = result.table.set_index("district")
    assert (
        t.loc["坡头区", "total"] == 96
        and t.loc["坡头区", "履职效能"] != t.loc["坡头区", "履职效能"]
    )
    assert t.loc["黄埔区", "履职效能"] == pytest.approx(46.38)


def test_a_level_below_the_total_needs_one_framework(con):
    for kwargs in ({"level": 1}, {"indicator": "履职效能"}):
        with pytest.raises(CompareError) as e:
            compare(con, 2022, **kwargs)
        message = str(e.value)
        assert "frameworks of 2022: " in message
        assert "guangdong (广东省" in message and "mof-dept (部门整体支出绩效自评表" in message
        assert "2 reports" in message and "--framework CODE" in message
        assert "printed (按原表" in message  # the total-only report is listed too


def test_within_one_framework_its_own_indicators(con):
    mof = compare(con, 2022, framework="mof-dept")
    assert set(mof.table["district"]) == {"醴陵市", "浏阳市"}
    assert [c.name for c in mof.columns] == ["预算执行率", "产出指标", "效益指标", "满意度指标"]
    assert mof.note is None
    gd = compare(con, 2022, framework="guangdong", indicator="管理效能")  # an alias
    assert set(gd.table["district"]) == {"黄埔区", "荔湾区"} and gd.ranked_by == "管理效率"


def test_a_framework_no_report_uses_names_the_ones_there_are(con):
    with pytest.raises(CompareError, match=r"no report of 2022 uses framework 'mof-project'; "
                       r"frameworks of 2022: .*guangdong.*mof-dept"):  # fmt: skip
        compare(con, 2022, framework="mof-project")


def test_across_frameworks_when_asked(con):
    result = compare(con, 2022, level=1, across_frameworks=True)
    names = {c.name for c in result.columns}
    assert {"履职效能", "管理效率", "产出指标", "满意度指标"} <= names
    t = result.table.set_index("district")
    assert t.loc["黄埔区", "产出指标"] != t.loc["黄埔区", "产出指标"]  # NaN: not its framework
    assert t.loc["醴陵市", "产出指标"] == pytest.approx(
        _level1("liling-2022-dept-xlsx", "产出指标")
    )


def _level1(name: str, l1: str) -> float:
    rows = [r.split(",") for r in (MOF / f"{name}.csv").read_text(encoding="utf-8").splitlines()]
    return sum(float(r[5]) for r in rows[1:] if r[1] == l1)


def test_the_command_line_names_frameworks_and_lists_them_on_error(two_frameworks, capsys):
    assert main(["--db", two_frameworks, "compare", "--year", "2022"]) == 0
    captured = capsys.readouterr()
    assert "指标体系" in captured.out and "mof-dept" in captured.out
    assert "use 2 frameworks: totals and score rates only" in captured.err
    assert main(["--db", two_frameworks, "compare", "--year", "2022", "--level", "1"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("jixiao compare: level 1 compares within one framework")
    assert "guangdong" in err and "mof-dept" in err
    argv = ["--db", two_frameworks, "compare", "--year", "2022", "--framework", "guangdong"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "; framework" in out and "广东省部门整体支出绩效自评表" in out  # the title wraps
    assert "履职效能" in out and "醴陵市" not in out
