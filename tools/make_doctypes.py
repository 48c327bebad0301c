"""Build look-alike documents for the document-type classifier (``tests/fixtures/doctypes/``).

Run from anywhere::

    .venv/bin/python tools/make_doctypes.py

Each is drawn with reportlab (non-embedded CJK font STSong-Light, no LibreOffice
needed) from the literals below, and uses the words a self-evaluation uses:

* ``juesuan-2023-perf.pdf`` (final_accounts): a 部门决算 whose 预算绩效管理情况
  section states "绩效自评…平均得分 99.43 分" and lists project self-evaluation
  results in a table with a 自评得分 column;
* ``budget-2024-targets.pdf`` (budget): a 部门预算 with 项目支出绩效目标表 pages
  (一级/二级/三级指标 and 指标值, no 分值/得分);
* ``target-2024-dept.pdf`` (target_table): a 部门整体支出绩效目标申报表;
* ``thirdparty-2023.pdf`` (third_party_evaluation): a 第三方绩效评价报告 by an
  accounting firm, with an indicator table carrying 分值 and 得分;
* ``project-2023-selfeval.pdf`` (project_self_eval_table): a 项目支出绩效自评表
  (the Ministry of Finance form), a positive.

The expected type of each is its file's entry in ``EXPECTED`` (also read by
``tests/test_doctypes.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "doctypes"
FONT = "STSong-Light"
EXPECTED = {
    "juesuan-2023-perf.pdf": "final_accounts",
    "budget-2024-targets.pdf": "budget",
    "target-2024-dept.pdf": "target_table",
    "thirdparty-2023.pdf": "third_party_evaluation",
    "project-2023-selfeval.pdf": "project_self_eval_table",
}


class Writer:
    """A4 pages: a title, paragraphs (wrapped by characters) and ruled tables."""

    def __init__(self, path: Path, title: str):
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        self.c = Canvas(str(path), pagesize=A4)
        self.c.setTitle(title)
        self.w, self.h = A4
        self.y = self.h - 60
        self.heading(title, size=16, centre=True)

    def new_page(self) -> None:
        self.c.showPage()
        self.y = self.h - 60

    def need(self, height: float) -> None:
        if self.y - height < 60:
            self.new_page()

    def heading(self, text: str, size: float = 12, centre: bool = False) -> None:
        self.need(size * 2)
        self.c.setFont(FONT, size)
        if centre:
            self.c.drawCentredString(self.w / 2, self.y, text)
        else:
            self.c.drawString(60, self.y, text)
        self.y -= size * 2

    def para(self, text: str, size: float = 10.5) -> None:
        per_line = int((self.w - 120) / size)
        for start in range(0, len(text), per_line):
            self.need(size * 1.8)
            self.c.setFont(FONT, size)
            indent = 2 * size if start == 0 else 0
            self.c.drawString(60 + indent, self.y, text[start : start + per_line])
            self.y -= size * 1.8
        self.y -= 4

    def table(self, rows: list[list[str]], widths: list[float], size: float = 8) -> None:
        height = size * 2.4
        x0 = (self.w - sum(widths)) / 2
        for row in rows:
            self.need(height)
            x = x0
            for text, w in zip(row, widths, strict=True):
                self.c.rect(x, self.y - height, w, height)
                self.c.setFont(FONT, size)
                self.c.drawCentredString(x + w / 2, self.y - height / 2 - size / 3, text)
                x += w
            self.y -= height
        self.y -= 12

    def save(self) -> None:
        self.c.save()


def juesuan(path: Path) -> None:
    w = Writer(path, "广州市某区卫生健康局2023年度部门决算")
    w.heading("第一部分 部门概况")
    w.para("一、主要职能。负责全区卫生健康事业发展规划、医疗卫生服务体系建设和公共卫生管理。")
    w.heading("第二部分 2023年度部门决算表")
    w.heading("一、收入支出决算总表")
    w.table(
        [["收入", "决算数", "支出", "决算数"],
         ["一般公共预算财政拨款收入", "35,124.08", "卫生健康支出", "33,870.51"],
         ["政府性基金预算财政拨款收入", "0.00", "社会保障和就业支出", "1,110.63"],
         ["本年收入合计", "35,124.08", "本年支出合计", "34,981.14"],
         ["年初结转和结余", "412.30", "年末结转和结余", "555.24"]],
        [130, 80, 130, 80],
    )  # fmt: skip
    w.heading("二、财政拨款收入支出决算总表")
    w.table(
        [["项目", "年初预算数", "调整预算数", "决算数"],
         ["基本支出", "9,812.40", "9,950.22", "9,944.10"],
         ["项目支出", "24,006.00", "25,173.86", "25,037.04"]],
        [120, 90, 90, 90],
    )  # fmt: skip
    w.heading("三、一般公共预算财政拨款“三公”经费支出决算表")
    w.table(
        [["因公出国（境）费", "公务用车购置及运行费", "公务接待费", "合计"],
         ["0.00", "18.40", "2.16", "20.56"]],
        [100, 120, 90, 80],
    )  # fmt: skip
    w.new_page()
    w.heading("第三部分 2023年度部门决算情况说明")
    w.heading("十、预算绩效管理情况说明")
    w.para(
        "根据预算绩效管理要求，本部门组织对2023年度一般公共预算项目支出全面开展绩效自评，"
        "共涉及一级项目12个，资金24,006.00万元，占一般公共预算项目支出总额的100%。"
        "组织对“基层医疗卫生机构能力提升”等3个项目开展了部门评价。"
    )
    w.para(
        "从绩效自评情况看，项目绩效自评平均得分99.43分，自评等级均为优。"
        "部门整体支出绩效自评得分96.5分。"
    )
    w.heading("部门评价项目绩效自评结果")
    w.table(
        [["项目名称", "年度预算数", "执行数", "自评得分", "自评等级"],
         ["基层医疗卫生机构能力提升", "3,200.00", "3,188.60", "99.5", "优"],
         ["公共卫生服务补助", "5,600.00", "5,600.00", "100", "优"],
         ["卫生健康信息化建设", "1,150.00", "1,096.20", "98.8", "优"]],
        [150, 70, 70, 60, 60],
    )  # fmt: skip
    w.heading("十一、其他重要事项的情况说明")
    w.para("（一）机关运行经费支出情况：2023年度本部门机关运行经费支出612.35万元。")
    w.save()


def budget(path: Path) -> None:
    w = Writer(path, "广州市某区教育局2024年部门预算")
    w.heading("第一部分 部门概况")
    w.para("一、部门职责。贯彻执行国家教育方针政策，统筹管理全区各级各类教育。")
    w.heading("第二部分 2024年部门预算表")
    w.heading("一、收支预算总表")
    w.table(
        [["收入项目", "预算数", "支出项目", "预算数"],
         ["一般公共预算拨款", "128,540.00", "教育支出", "121,300.00"],
         ["收入总计", "128,540.00", "支出总计", "128,540.00"]],
        [120, 80, 120, 80],
    )  # fmt: skip
    w.heading("二、收入预算总表")
    w.table([["项目", "合计", "一般公共预算"], ["教育局", "128,540.00", "128,540.00"]],
            [140, 100, 100])  # fmt: skip
    w.heading("三、支出预算总表")
    w.table([["项目", "合计", "基本支出", "项目支出"],
             ["教育局", "128,540.00", "86,200.00", "42,340.00"]], [120, 90, 90, 90])  # fmt: skip
    for project in ("学前教育生均补助", "中小学校舍维修改造"):
        w.new_page()
        w.heading("项目支出绩效目标表", centre=True)
        w.table(
            [["项目名称", project, "主管部门", "某区教育局"],
             ["项目资金（万元）", "年度资金总额", "2,400.00", ""],
             ["年度绩效目标", "保障学前教育运转，提高普惠性幼儿园覆盖率", "", ""]],
            [100, 160, 80, 100],
        )  # fmt: skip
        w.table(
            [["一级指标", "二级指标", "三级指标", "指标值"],
             ["产出指标", "数量指标", "补助幼儿人数", "≥12000人"],
             ["产出指标", "质量指标", "普惠性幼儿园覆盖率", "≥85%"],
             ["效益指标", "社会效益指标", "入园难问题缓解程度", "逐步缓解"],
             ["满意度指标", "服务对象满意度指标", "家长满意度", "≥90%"]],
            [80, 110, 150, 100],
        )  # fmt: skip
    w.save()


def target(path: Path) -> None:
    w = Writer(path, "2024年度部门整体支出绩效目标申报表")
    w.table(
        [["部门名称", "广州市某区政务服务数据管理局", "", ""],
         ["年度预算申请（万元）", "资金总额", "8,456.20", ""],
         ["年度总体目标", "提升政务服务效能，推进数字政府建设", "", ""]],
        [110, 170, 80, 80],
    )  # fmt: skip
    w.table(
        [["一级指标", "二级指标", "三级指标", "指标值"],
         ["产出指标", "数量指标", "政务服务事项网上可办率", "≥99%"],
         ["产出指标", "时效指标", "即办件占比", "≥60%"],
         ["效益指标", "社会效益指标", "一网通办使用人次", "≥120万"],
         ["满意度指标", "服务对象满意度指标", "企业群众满意度", "≥95%"]],
        [80, 110, 150, 100],
    )  # fmt: skip
    w.save()


def thirdparty(path: Path) -> None:
    w = Writer(path, "广州市某区2023年度城市道路维护项目绩效评价报告")
    w.para("受广州市某区财政局委托，某某会计师事务所（特殊普通合伙）作为第三方评价机构，"
           "于2024年4月至6月对某区城市道路维护项目开展了重点绩效评价。")  # fmt: skip
    w.heading("一、项目基本情况")
    w.para("项目年初预算4,500.00万元，全年预算4,680.00万元，全年执行4,512.36万元，执行率96.42%。")
    w.heading("二、评价工作开展情况")
    w.para("评价组采用成本效益分析法、比较法和公众评判法，设计了决策、过程、产出、效益四类指标。")
    w.heading("三、评价结论")
    w.para("经评价，该项目综合得分86.5分，评价等级为良。")
    w.table(
        [["一级指标", "二级指标", "三级指标", "分值", "得分"],
         ["决策", "项目立项", "立项依据充分性", "5", "5"],
         ["过程", "资金管理", "资金使用合规性", "10", "8"],
         ["产出", "产出数量", "道路维护完成率", "30", "27.5"],
         ["效益", "项目效益", "道路完好率", "45", "38"],
         ["满意度", "满意度", "公众满意度", "10", "8"],
         ["总分", "", "", "100", "86.5"]],
        [70, 80, 140, 50, 50],
    )  # fmt: skip
    w.heading("四、主要问题及原因分析")
    w.para("部分路段维护响应时间偏长，巡查记录不完整。")
    w.save()


def project(path: Path) -> None:
    w = Writer(path, "项目支出绩效自评表（2023年度）")
    w.table(
        [["项目名称", "社区卫生服务中心设备购置", "", "", ""],
         ["主管部门", "某区卫生健康局", "实施单位", "某区卫生健康局", ""],
         ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "执行率"],
         ["年度资金总额", "600.00", "620.00", "611.40", "98.61%"]],
        [100, 100, 100, 100, 60],
    )  # fmt: skip
    w.table(
        [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
         ["产出指标", "数量指标", "购置设备数量", "40台", "40台", "20", "20"],
         ["产出指标", "质量指标", "设备验收合格率", "100%", "100%", "20", "20"],
         ["产出指标", "时效指标", "按期完成率", "100%", "95%", "10", "9"],
         ["效益指标", "社会效益指标", "服务人次增长率", "≥10%", "12%", "30", "30"],
         ["满意度指标", "服务对象满意度指标", "患者满意度", "≥90%", "93%", "10", "10"],
         ["总分", "", "", "", "", "90", "89"]],
        [62, 78, 90, 60, 60, 40, 40],
    )  # fmt: skip
    w.save()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    builders = {
        "juesuan-2023-perf.pdf": juesuan,
        "budget-2024-targets.pdf": budget,
        "target-2024-dept.pdf": target,
        "thirdparty-2023.pdf": thirdparty,
        "project-2023-selfeval.pdf": project,
    }
    for name, build in builders.items():
        build(OUT / name)
        print(f"{name}: {(OUT / name).stat().st_size} bytes, expected {EXPECTED[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
