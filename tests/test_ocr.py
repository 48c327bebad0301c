"""OCR of scanned reports: the real engine on the real scans, against printed truth.

The 番禺区 2024 sample is seed 000 as a 7-page image-only PDF; the 黄埔区 2022
scan (tests/fixtures/scans/, made by tools/make_scans.py) is the 自评表 sample
rendered at 150 dpi, skewed about 0.5°, blurred and speckled. OCR results are
cached by page hash (data/cache/ocr/), so only a cold run pays the engine.
"""

from __future__ import annotations

import csv
import importlib.metadata
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from jixiao.extract import ocr, reading_order, scanned
from jixiao.extract.document import extract_document
from jixiao.extract.ocr import OcrBox, OcrPage
from jixiao.extract.pdf import PdfText
from jixiao.extract.ruled_grid import clean_number
from jixiao.model import TextLine
from jixiao.normalize.budgets import in_yuan
from jixiao.normalize.scores import normalize_scores
from jixiao.paths import RAW

FIXTURES = Path(__file__).parent / "fixtures"
PANYU_SCAN = RAW / "samples" / "panyu-2024-scan.pdf"
HUANGPU_SCAN = FIXTURES / "scans" / "huangpu-2022-scan.pdf"


@pytest.fixture(scope="module")
def panyu():
    return extract_document(PANYU_SCAN)


@pytest.fixture(scope="module")
def huangpu():
    return extract_document(HUANGPU_SCAN)


# ---------------------------------------------------------------- 番禺区 2024 (prose)


def test_panyu_scan_yields_its_scores_with_page_and_confidence(panyu):
    assert panyu.doc_kind == "scanned"
    assert panyu.n_pages == 7
    by_name = {f.printed_name: f for f in panyu.scores}
    for name, level, score in (("总分", 0, 94), ("履职效能", 1, 49), ("管理效率", 1, 45)):
        fact = by_name[name]
        assert (fact.level, fact.score) == (level, Decimal(score)), fact
        assert fact.source_page == 2
        assert fact.ocr_confidence is not None and fact.ocr_confidence > 0.9, fact
    assert panyu.grade_printed == "优"
    assert panyu.year_printed == 2024
    assert panyu.district_printed == "番禺区"
    assert "政务服务和数据管理局" in (panyu.department_name or "")
    assert panyu.title == "部门整体支出绩效自评表说明"
    assert not [c for c in panyu.checks if c.check_name == "ocr_low_confidence"]


def test_reading_order_joins_a_paragraph_broken_over_a_page():
    pages = scanned.read_scanned_pages(PANYU_SCAN, [1, 2]).pages
    text = reading_order.paragraphs(pages)
    joined = next(p for p in text if "增光添彩" in p)
    assert joined.startswith("2.年度整体支出绩效目标完成情况")
    assert joined.endswith("持续位居全市各区前列。")
    # page numbers in the bottom margin ("— 2 —" read as "一2-") are furniture
    assert not any(line.text.strip("一-—2 ") == "" for line in pages[1].lines)


# ---------------------------------------------------------------- 黄埔区 2022 (scanned table)


def expected_rows() -> list[dict]:
    with open(FIXTURES / "tables" / "huangpu-2022.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))[:-1]


def test_scanned_huangpu_table_rows_are_right_or_flagged(huangpu):
    assert huangpu.doc_kind == "scanned"
    facts, _checks = normalize_scores([f for f in huangpu.scores if f.origin == "table"], [])
    level3 = sorted((f for f in facts if f.level == 3), key=lambda f: f.row_index)
    rows = expected_rows()
    assert len(level3) == len(rows) == 26
    flagged = {
        c.subject
        for c in huangpu.checks
        if c.check_name.startswith("ocr_") and not c.passed and c.severity == "warning"
    }
    exact = 0
    for fact, row in zip(level3, rows, strict=True):
        assert fact.ocr_confidence is not None
        right = (
            (fact.printed_name or "") == row["三级指标"]
            and fact.weight == Decimal(row["分值"])
            and fact.score == Decimal(row["得分"])
        )
        exact += right
        if not right:  # every wrong row is caught by a failing check that names it
            name = fact.printed_name or f"row {fact.row_index + 1}"
            assert any(name in subject for subject in flagged), (fact, flagged)
    assert exact >= 24, exact
    total = next(f for f in huangpu.scores if f.level == 0)
    assert (total.weight, total.score) == (Decimal(100), Decimal("94.2"))
    assert huangpu.grade_printed == "优"


def test_a_low_confidence_figure_is_kept_and_flagged(huangpu):
    threshold = ocr.settings()["low_confidence"]
    low = [
        f for f in huangpu.scores if f.ocr_confidence is not None and f.ocr_confidence < threshold
    ]
    assert low, "the scan has faint single digits: some figures must be flagged"
    subjects = {c.subject for c in huangpu.checks if c.check_name == "ocr_low_confidence"}
    for fact in low:
        assert fact.score is not None or fact.weight is not None  # kept, not dropped
        assert any((fact.printed_name or "") in s for s in subjects), fact


def test_scanned_budget_block_is_read_with_confidence(huangpu):
    budget = {(b.item, b.measure): b for b in in_yuan(huangpu.budgets)}
    assert budget[("部门预算", "budget")].amount_yuan == Decimal("118877300")
    assert budget[("基本支出", "budget")].amount_yuan == Decimal("33080600")
    assert budget[("项目支出", "budget")].amount_yuan == Decimal("85796800")
    assert all(b.ocr_confidence is not None for b in budget.values())


# ---------------------------------------------------------------- pages fed turned


@pytest.mark.parametrize("quarters", [0, 1, 2, 3])
@pytest.mark.parametrize(("path", "page"), [(HUANGPU_SCAN, 2), (PANYU_SCAN, 3)])
def test_orientation_undoes_every_quarter_turn(path, page, quarters):
    image, dpi = ocr.render_page(path, page)
    turned = np.ascontiguousarray(np.rot90(image, quarters))
    assert ocr.find_orientation(turned, dpi) == (360 - 90 * quarters) % 360


TURNED_SCANS = {
    # fixture → the turn (degrees counter-clockwise) that sets each page upright
    "huangpu-2022-scan-upside-down.pdf": (0, 180),
    "huangpu-2022-scan-sideways.pdf": (90, 270),
}


@pytest.mark.parametrize("name", sorted(TURNED_SCANS))
def test_a_table_fed_turned_is_read_upright_row_by_row(name):
    doc = extract_document(FIXTURES / "scans" / name)
    turns = TURNED_SCANS[name]
    assert [t["page"] for t in doc.tables] == [1, 2]
    for table, turn in zip(doc.tables, turns, strict=True):  # the turn is in the lineage
        location = table["source_location"]
        assert (location is None) if turn == 0 else (f"turned {turn}°" in location), location
    facts, _checks = normalize_scores([f for f in doc.scores if f.origin == "table"], [])
    level3 = sorted((f for f in facts if f.level == 3), key=lambda f: f.row_index)
    rows = expected_rows()
    assert len(level3) == len(rows) == 26
    for fact, row in zip(level3, rows, strict=True):  # every row right
        assert (fact.printed_name or "") == row["三级指标"], fact
        assert (fact.weight, fact.score) == (Decimal(row["分值"]), Decimal(row["得分"])), fact
    assert not [c for c in doc.checks if c.severity == "error" and not c.passed]
    total = next(f for f in doc.scores if f.level == 0)
    assert (total.weight, total.score) == (Decimal(100), Decimal("94.2"))
    assert doc.grade_printed == "优"


def test_a_score_read_above_its_weight_is_read_again_enlarged():
    """The upside-down page's tiny "1.5" score comes out "15" from the page pass."""
    doc = extract_document(FIXTURES / "scans" / "huangpu-2022-scan-upside-down.pdf")
    fixes = [c for c in doc.checks if c.check_name == "ocr_number_corrected"]
    assert any(
        "higher resolution (score above weight)" in c.detail and c.expected == "1.5" for c in fixes
    ), fixes


def test_a_smudged_score_cell_is_an_error_naming_it():
    doc = extract_document(FIXTURES / "scans" / "huangpu-2022-scan-smudged.pdf")
    errors = [c for c in doc.checks if c.severity == "error" and not c.passed]
    # each hole is named once, by the table reader (the row); its detail says what OCR
    # tried and names the indicator
    assert sorted((c.check_name, c.subject) for c in errors) == [
        ("table_number_unreadable", "page 2 row 15 score"),
        ("table_number_unreadable", "page 2 row 16 score"),
    ]
    details = sorted(c.detail for c in errors)
    assert "采购活动合规性: read by OCR on the page, on its own and enlarged" in details[0]
    assert "采购合同签订时效性: read by OCR on the page, on its own and enlarged" in details[1]
    facts, _checks = normalize_scores([f for f in doc.scores if f.origin == "table"], [])
    level3 = sorted((f for f in facts if f.level == 3), key=lambda f: f.row_index)
    smudged = {"采购活动合规性", "采购合同签订时效性"}
    for fact, row in zip(level3, expected_rows(), strict=True):
        assert (fact.printed_name or "") == row["三级指标"], fact
        expected_score = None if row["三级指标"] in smudged else Decimal(row["得分"])
        assert (fact.weight, fact.score) == (Decimal(row["分值"]), expected_score), fact
    total = next(f for f in doc.scores if f.level == 0)
    assert total.score == Decimal("94.2")  # still printed: the holes make it invalid anyway


# ---------------------------------------------------------------- mixed documents


def test_a_page_whose_text_is_only_a_scanner_stamp_goes_to_ocr():
    typed = "2022年度部门整体支出绩效自评报告：一、部门基本情况，二、绩效目标完成情况"
    lines = [
        TextLine(1, typed),
        TextLine(2, "Scanned with CamScanner"),  # 21 characters: more than MIN_TEXT_CHARS
        TextLine(2, "— 2 —"),
        TextLine(3, "扫描全能王 创建"),
        TextLine(4, typed),
        TextLine(5, "由 扫描全能王 扫描"),
        TextLine(5, "部门整体支出绩效自评表（续）：采购管理、资产管理、人员管理"),
    ]
    chars = [len("".join(t.text.split())) for t in lines]
    per_page = [chars[0], chars[1] + chars[2], chars[3], chars[4], chars[5] + chars[6]]
    pdf = PdfText(5, lines, per_page, pages_with_images=[2, 3, 4, 5])
    # 1: text, no image · 2, 3: only a stamp · 4: typed with a logo · 5: text beside a stamp
    assert ocr.image_only_pages(pdf) == [2, 3]


def test_a_table_continuing_from_a_text_page_onto_a_scanned_page_is_one_table():
    """Page 1 keeps its text layer (Camelot); page 2 is a scan fed upside down (OCR)."""
    doc = extract_document(FIXTURES / "scans" / "huangpu-2022-mixed.pdf")
    assert [(t["page"], t["flavor"], t["role"]) for t in doc.tables] == [
        (1, "lattice", "score_table"),
        (2, "ocr_lattice", "score_table"),
    ]
    assert "turned 180°" in doc.tables[1]["source_location"]
    facts, _checks = normalize_scores([f for f in doc.scores if f.origin == "table"], [])
    level3 = sorted((f for f in facts if f.level == 3), key=lambda f: f.row_index)
    rows = expected_rows()
    assert len(level3) == len(rows) == 26
    for fact, row in zip(level3, rows, strict=True):
        assert (fact.printed_name or "") == row["三级指标"], fact
        assert (fact.weight, fact.score) == (Decimal(row["分值"]), Decimal(row["得分"])), fact
    assert {f.source_page for f in level3} == {1, 2}
    assert all(f.ocr_confidence is None for f in level3 if f.source_page == 1)  # text layer
    assert all(f.ocr_confidence is not None for f in level3 if f.source_page == 2)
    assert not [c for c in doc.checks if c.severity == "error" and not c.passed]
    total = next(f for f in doc.scores if f.level == 0)
    assert (total.weight, total.score) == (Decimal(100), Decimal("94.2"))


# ---------------------------------------------------------------- cache


def test_ocr_cache_hit_returns_the_same_boxes(tmp_path):
    cold = ocr.ocr_pages(PANYU_SCAN, [7], cache_dir=tmp_path, progress=None)[0]
    warm = ocr.ocr_pages(PANYU_SCAN, [7], cache_dir=tmp_path, progress=None)[0]
    assert not cold.cached and warm.cached
    assert warm.boxes == cold.boxes and warm.skew_deg == cold.skew_deg
    assert list(tmp_path.glob("*/*.json"))
    assert any("三是进一步完善绩效指标的适用性" in b.text for b in warm.boxes)


# ---------------------------------------------------------------- small pieces


@pytest.mark.parametrize(
    ("printed", "expected"),
    [("O.5", "0.5"), ("1 .5", "1.5"), ("9．88", "9.88"), ("l0", "10"), (".17.5", "17.5"),
     ("17.5", None), ("合同备案时效性", None), ("2022年", None), ("I", None),
     ("11.887.73", "11,887.73"), ("1.234.567.89", "1,234,567.89"), ("12.5.3", None),
     (",887.73", None)],
)  # fmt: skip
def test_clean_number_undoes_ocr_noise_inside_numbers(printed, expected):
    assert clean_number(printed) == expected


def test_clean_number_reads_a_lone_confusable_in_a_number_cell():
    assert clean_number("I", expect_number=True) == "1"
    assert clean_number("m", expect_number=True) is None


def test_checkbox_grade_finds_the_box_the_tick_was_lost_from():
    text = "评价等级 优90分≤得分≤100分；口良80分≤得分<90分；口中60分≤得分<80分；口差得分60分"
    assert scanned.checkbox_grade(text) == "优"
    assert scanned.checkbox_grade("口优90分；口良80分；口中60分；口差 得分<60分") is None


def _page(boxes: list[tuple[str, int, int, int, int]]) -> OcrPage:
    return OcrPage(
        page=1, width=1200, height=1700, dpi=150.0, skew_deg=0.0,
        boxes=[OcrBox(t, 0.99, x0, y0, x1, y1) for t, x0, y0, x1, y1 in boxes],
    )  # fmt: skip


def test_two_columns_are_read_left_column_first():
    boxes = [("标题横跨两栏的一行文字", 200, 100, 1000, 140)]
    for i in range(6):
        y = 200 + 50 * i
        boxes.append((f"右{i}", 640, y, 1100, y + 30))  # OCR order interleaves columns
        boxes.append((f"左{i}", 100, y, 560, y + 30))
    boxes.append(("— 3 —", 560, 1600, 640, 1630))  # page number: furniture
    page = reading_order.read_page(_page(boxes))
    assert page.columns == 2
    assert [line.text for line in page.lines] == (
        ["标题横跨两栏的一行文字"] + [f"左{i}" for i in range(6)] + [f"右{i}" for i in range(6)]
    )


def test_boxes_on_one_baseline_form_one_line_left_to_right():
    page = _page([("得分", 400, 102, 480, 128), ("部门整体绩效", 100, 100, 380, 130)])
    lines = reading_order.read_page(page).lines
    assert [line.text for line in lines] == ["部门整体绩效 得分"]
    assert lines[0].box_at(0).text == "部门整体绩效" and lines[0].box_at(7).text == "得分"


# ---------------------------------------------------------------- environment


def test_ocr_runs_on_the_headless_opencv_build():
    """rapidocr-onnxruntime asks for opencv-python (GUI); Camelot's headless build serves both."""
    import camelot  # noqa: F401
    import cv2  # noqa: F401
    import rapidocr_onnxruntime

    assert importlib.metadata.version("opencv-python-headless")
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.version("opencv-python")
    models = Path(rapidocr_onnxruntime.__file__).parent / "models"
    assert {p.suffix for p in models.iterdir()} == {".onnx"}  # shipped in the wheel


def _block(total: str, basic: str, project: str) -> list:
    from jixiao.model import BudgetFact

    def fact(item: str, label: str, printed: str) -> BudgetFact:
        wan = Decimal(printed.replace(",", ""))
        return BudgetFact(item, "budget", None, None, f"{label}（万元）: {printed}", "万元", 1,
                          origin="table", printed_amount=wan)  # fmt: skip

    return [fact("部门预算", "总预算", total), fact("基本支出", "基本支出", basic),
            fact("项目支出", "项目支出", project)]  # fmt: skip


def test_a_scanned_budget_block_that_does_not_add_up_is_an_error():
    """A stamp's ring cut 11,887.73 to 1 (seen in the scan corpus): on a text page the sum
    is a warning naming the figure; read by OCR it makes the report not valid."""
    from jixiao.extract.scanned import unreconciled_budget_checks
    from jixiao.extract.tables.budget import reconcile_budget

    cut = reconcile_budget(_block("1.00", "3,308.06", "8,579.68"))
    assert [(c.check_name, c.severity, c.passed) for c in cut] == [
        ("budget_block_sum", "warning", False)
    ]
    [error] = unreconciled_budget_checks(cut)
    assert (error.check_name, error.severity, error.passed) == (
        "ocr_budget_unreconciled",
        "error",
        False,
    )
    assert error.subject == "部门预算" and "read by OCR" in error.detail
    assert "11,887.74" in error.expected  # 3,308.06 + 8,579.68, in the printed unit
    # seed 001's block adds up to one unit of its last digit (rounding): no error
    assert unreconciled_budget_checks(reconcile_budget(_block("11,887.73", "3,308.06",
                                                               "8,579.68"))) == []  # fmt: skip
