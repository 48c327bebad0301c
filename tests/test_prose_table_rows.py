"""Table rows are not prose: the score-table pages of a narrative report.

Minimal reproduction from the scale corpus (bench/corpus.py, N=300,
s00140-140225-2020): the narrative states its scores on page 5, the attached
自评表 runs on pages 10–12. Its rows, read as text, say "预算执行 4 财务管理合规性 2
考察… 得满分 2", which the prose reader took for "预算执行 scored 2" (the table says
4): prose_matches_table_score failed on 299 of 410 narratives of the 1,000 corpus.
"""

from decimal import Decimal

from jixiao.extract.prose import extract_prose, prose_lines
from jixiao.model import ScoreFact, TextLine

NARRATIVE = [
    (5, 100.0, "经综合评价，本部门2020年度部门整体支出绩效自评得分为96分，其中履职效能得分47分，"),
    (5, 120.0, "管理效率得分49分，评价等级为优。"),
    (9, 189.0, "附件：2020年度部门整体支出绩效自评表"),
]
TABLE_PAGE = [
    (10, 28.0, "2020年度大同市浑源县政务服务数据管理局部门整体支出绩效自评表"),
    (10, 64.0, "自评得"),
    (10, 70.0, "一级指标 分值 二级指标 分值 三级指标 分值 指标解释 评分标准 扣分原因"),
    (10, 248.0, "结转结余率 2 考察结转结余率情况，按评分标 结转结余率符合要求的得满分，每 2"),
    (10, 259.0, "准计分。 发现一处问题扣0.5分，扣完为止。"),
    (10, 272.0, "预算执行 4 财务管理合规性 2 考察财务管理合规性情况，按评 "
                "财务管理合规性符合要求的得满分 2"),
    (10, 287.0, "分标准计分。 ，每发现一处问题扣0.5分，扣完为"),
    (10, 345.0, "信息公开 4"),
    (10, 354.0, "绩效信息公开情况 2 考察绩效信息公开情况情况，按 绩效信息公开情况符合要求的得满 2"),
    (10, 365.0, "管理效率 50 评分标准计分。 分，每发现一处问题扣0.5分，扣完"),
]  # fmt: skip


def lines(rows) -> list[TextLine]:
    return [TextLine(page=p, text=t, y=y) for p, y, t in rows]


def table_row(name: str, level: int, weight: int, score, page: int = 10) -> ScoreFact:
    return ScoreFact(
        printed_name=name,
        level=level,
        weight=Decimal(weight),
        score=None if score is None else Decimal(score),
        source_page=page,
        printed_text=name,
        origin="table",
    )


TABLE_ROWS = [
    table_row("预算执行", 2, 4, None),
    table_row("结转结余率", 3, 2, 2),
    table_row("财务管理合规性", 3, 2, 2),
    table_row("总分", 0, 100, 96, page=12),
]


def scores(facts) -> dict[str, Decimal | None]:
    return {f.printed_name: f.score for f in facts.scores}


def test_the_table_pages_give_no_prose_scores():
    facts = extract_prose(lines(NARRATIVE + TABLE_PAGE), TABLE_ROWS)
    assert scores(facts) == {"总分": Decimal(96), "履职效能": Decimal(47), "管理效率": Decimal(49)}
    assert {f.source_page for f in facts.scores} == {5}


def test_the_bug_without_the_table_rows():
    """Without the table region, only the row-shaped lines are left out."""
    kept = prose_lines(lines(TABLE_PAGE))
    dropped = {line.text[:8] for line in lines(TABLE_PAGE)} - {line.text[:8] for line in kept}
    assert dropped == {"结转结余率 2 ", "预算执行 4 财", "绩效信息公开情况"}
    assert "预算执行" not in scores(extract_prose(lines(NARRATIVE + TABLE_PAGE)))


def test_text_above_the_table_on_its_page_stays_prose():
    page = [(10, 20.0, "本部门整体支出绩效自评得分为96分。"), *TABLE_PAGE]
    kept = prose_lines(lines(page), TABLE_ROWS)
    assert [line.text for line in kept] == [page[0][2], TABLE_PAGE[0][2], TABLE_PAGE[1][2]]
    assert scores(extract_prose(lines(page), TABLE_ROWS)) == {"总分": Decimal(96)}


def test_prose_with_spaced_numbers_is_not_a_row():
    prose = [
        (3, 50.0, "2022 年度部门整体支出绩效自评得分 96 分，预算数 1 180.85 万元，"),
        (3, 70.0, "其中履职效能得分 47 分，管理效率得分 49 分。"),
    ]
    assert prose_lines(lines(prose)) == lines(prose)
