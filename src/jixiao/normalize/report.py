"""A document's printed facts → a ``ReportRecord`` with canonical codes.

Transformations:

1. the framework: the known one whose names the printed names match
   (``reference/frameworks/``), else ``printed`` with a warning;
2. scores: table and prose facts coded in it and merged (``normalize.scores``);
3. the grade: as printed (a word such as 优秀 or 合格 mapped to 优/良/中/差 by
   ``reference/grades.yaml``), else derived from the total's band; a report
   that states only its grade keeps it and gets no total (never a number);
4. metadata: what the document says (district, year, department) compared
   with the manifest, which is authoritative (a disagreement is a warning);
   a department the dictionary lacks is loaded as printed, with a warning;
5. budgets: amounts in yuan, with the unit fixes the prose's arithmetic proves
   (``normalize.budgets``), the project forms' too.

The facts given are not changed: the record holds new ones.
"""

from __future__ import annotations

from dataclasses import replace

from jixiao.errors import DocumentError
from jixiao.fetch import Fetched
from jixiao.formats import sniff
from jixiao.manifest import Source
from jixiao.model import CheckResult, DocumentFacts, Project, ReportRecord
from jixiao.normalize.budgets import in_yuan, normalize_budgets
from jixiao.normalize.scores import grade_for, normalize_scores
from jixiao.reference import department_for, grade_of_word
from jixiao.reference.framework import PRINTED, Framework, match_framework
from jixiao.version import EXTRACTOR_VERSION


def normalize_document(source: Source, fetched: Fetched, facts: DocumentFacts) -> ReportRecord:
    """Code, merge and derive a document's facts; status is set by validation."""
    table = [f for f in facts.scores if f.origin == "table"]
    prose = [f for f in facts.scores if f.origin != "table"]
    framework, framework_checks = report_framework(facts)
    scores, checks = normalize_scores(table, prose, framework.code)
    budgets, budget_checks = normalize_budgets(facts.budgets, facts.prose_budgets)
    projects, project_checks = unique_project_names(facts.projects)
    checks = framework_checks + checks + budget_checks + project_checks
    for k, project in enumerate(projects):
        projects[k], project_checks = normalize_project(project)
        checks += project_checks
    total = next((f for f in scores if f.level == 0 and f.score is not None), None)
    grade, grade_derived = grade_of_word(facts.grade_printed), False
    if grade is None and total is not None:
        grade, grade_derived = grade_for(total.score), True
    return ReportRecord(
        report_id=fetched.sha256,
        source=source,
        raw_path=str(fetched.path),
        status="valid",
        extractor_version=EXTRACTOR_VERSION,
        n_pages=facts.n_pages,
        doc_kind=facts.doc_kind,
        title=facts.title,
        department_name=facts.department_name,
        grade=grade,
        grade_is_derived=grade_derived,
        framework_code=framework.code,
        scores=scores,
        projects=projects,
        budgets=budgets,
        checks=facts.checks + checks + metadata_checks(source, facts) + department_checks(source),
        tables=facts.tables,
        source_format=facts.source_format,
        doc_type=facts.doc_type,
        doc_type_reason=facts.doc_type_reason,
    )


def report_framework(facts: DocumentFacts) -> tuple[Framework, list[CheckResult]]:
    """The framework of a document's scores, and the warning when it is none we know.

    The printed names below the total decide (:func:`match_framework`); a
    项目支出绩效自评表 only matches project frameworks. Names that match no known
    framework load as printed (``framework_as_printed``, warning); a document
    that names nothing below its total is ``printed`` too, without a warning:
    there is no tree to compare.
    """
    names = [f.printed_name for f in facts.scores if f.level != 0 and f.printed_name]
    scope = "项目" if facts.doc_type == "project_self_eval_table" else None
    if not facts.scores and facts.projects:  # only project forms: the report is theirs
        names = [f.printed_name for p in facts.projects for f in p.scores if f.printed_name]
        scope = "项目"
    fw = match_framework(names, scope, table_shape(facts))
    if fw.code != PRINTED or not names:
        return fw, []
    shown = "、".join(dict.fromkeys(names[:6]))
    return fw, [
        CheckResult(
            "framework_as_printed",
            "framework",
            "warning",
            False,
            observed=shown,
            expected="the names of a framework in reference/frameworks/",
            detail=f"the score table's names ({shown} …) match no known framework; "
            "loaded as printed (codes printed:<path>, hierarchy as the table prints it)",
        )
    ]


def table_shape(facts: DocumentFacts) -> str | None:
    """``flat`` when the score table names its indicators in one column (重庆's lists:
    every table fact below the total is level 1), ``tree`` when it prints deeper levels,
    None without a table."""
    levels = {f.level for f in facts.scores if f.origin == "table" and f.level != 0}
    if not levels:
        return None
    return "flat" if levels == {1} else "tree"


def unique_project_names(projects: list[Project]) -> tuple[list[Project], list[CheckResult]]:
    """A project name printed on two forms of one document: the later form is renamed
    ``<name>（2）`` (the warehouse key is report and project) and a warning says so.
    Returns the projects (a renamed one a new record) and the warnings."""
    seen: dict[str, int] = {}
    checks = []
    out = []
    for project in projects:
        n = seen[project.name] = seen.get(project.name, 0) + 1
        if n == 1:
            out.append(project)
            continue
        printed = project.name
        project = replace(project, name=f"{printed}（{n}）")
        out.append(project)
        checks.append(
            CheckResult(
                "project_name_repeated",
                project.name,
                "warning",
                False,
                observed=f"{printed} on {n} forms",
                expected="one form per project name",
                detail=f"page {project.source_page}: a second form of {printed!r}; "
                f"loaded as {project.name!r}",
            )
        )
    return out, checks


def normalize_project(project: Project) -> tuple[Project, list[CheckResult]]:
    """One 项目支出绩效自评表 with its scores coded in its framework (a project one),
    its amounts in yuan and its grade; a new record, and its checks.

    Its checks name the project in their subject; they are returned for the
    report (``check_result`` has no project column).
    """
    names = [f.printed_name for f in project.scores if f.level != 0 and f.printed_name]
    fw = match_framework(names, "项目")
    scores, checks = normalize_scores(project.scores, [], fw.code)
    project = replace(
        project, scores=scores, framework_code=fw.code, budgets=in_yuan(project.budgets)
    )
    total = project.total
    project.grade = project.grade_printed
    if project.grade is None and total is not None and total.score is not None:
        project.grade = grade_for(total.score)
    if fw.code == PRINTED:
        checks.append(
            CheckResult(
                "framework_as_printed",
                "framework",
                "warning",
                False,
                observed="、".join(dict.fromkeys(names[:6])),
                expected="the names of a project framework in reference/frameworks/",
                detail="the project table's names match no known project framework; "
                "loaded as printed",
            )
        )
    named = [replace(c, subject=f"{project.name}: {c.subject}") for c in [*project.checks, *checks]]
    return project, named


def unparsed_report(source: Source, fetched: Fetched, error: DocumentError) -> ReportRecord:
    """The record of a document whose bytes exist but could not become facts.

    A document of another type (``not_a_self_evaluation_report``) keeps its
    type and the classifier's reason, from the message ``<doc_type>: <reason>``.
    """
    kind = "scanned" if error.error_class == "scanned_not_parsed" else None
    doc_type = doc_type_reason = None
    if error.names_doc_type:
        doc_type, _, doc_type_reason = str(error).partition(": ")
    try:
        source_format = sniff(fetched.path)
    except OSError:
        source_format = None
    return ReportRecord(
        report_id=fetched.sha256,
        source=source,
        raw_path=str(fetched.path),
        status="unparsed",
        status_reason=f"{error.error_class}: {error}",
        extractor_version=EXTRACTOR_VERSION,
        doc_kind=kind,
        source_format=source_format,
        doc_type=doc_type,
        doc_type_reason=doc_type_reason,
        checks=[
            CheckResult(
                "document_readable",
                "document",
                "error",
                False,
                observed=error.error_class,
                expected="a readable self-evaluation report",
                detail=str(error),
            ),
            *department_checks(source),
        ],
    )


def metadata_checks(source: Source, facts: DocumentFacts) -> list[CheckResult]:
    """Manifest (authoritative) vs what the document prints: warnings only."""
    checks = []

    def compare(subject: str, printed: object, expected: object, same: bool) -> None:
        if printed is None:
            return
        checks.append(
            CheckResult(
                "manifest_matches_document",
                subject,
                "warning",
                same,
                observed=str(printed),
                expected=str(expected),
                detail=None if same else f"the document says {printed}, the manifest {expected}",
            )
        )

    d = source.district
    compare("district", facts.district_printed, d.district, facts.district_printed == d.district)
    compare("year", facts.year_printed, source.year, facts.year_printed == source.year)
    if facts.department_name:
        kind = department_for(facts.department_name)
        same = kind.code == source.department_code or (
            not source.department_known and kind.kind.endswith(source.department_kind)
        )
        compare("department", facts.department_name, source.department_kind, same)
    return checks


def department_checks(source: Source) -> list[CheckResult]:
    """``department_kind_known`` (warning) for a department the dictionary lacks.

    A warning, never an error: the report is as good as any other, only its
    department cannot be compared with other districts' of the same kind
    until ``reference/departments.yaml`` lists the name.
    """
    if source.department_known:
        return []
    return [
        CheckResult(
            "department_kind_known",
            "department",
            "warning",
            False,
            observed=source.department,
            expected="a kind, alias or former name in reference/departments.yaml",
            detail=f"{source.department} is not in the department dictionary: loaded as "
            f"printed (department_code {source.department_code}); add it to "
            "src/jixiao/reference/departments.yaml to compare it with its kind",
        )
    ]
