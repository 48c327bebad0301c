-- v_projects: the 项目支出绩效自评表 of valid reports, one row per project, with where and
-- whose it is, its budget in 万元 too, and its 预算执行率 score.
create or replace view v_projects as
with projects as (
    select * from fact_project
),

reports as (
    select report_id, source_id, status, title from dim_report where status = 'valid'
),

execution as (
    select report_id, project_name, weight as execution_weight, score as execution_score
    from fact_project_indicator
    where indicator_code = 'mof-project:1'
),

final as (
    select
        p.report_id,
        r.source_id,
        d.province,
        d.city,
        d.district,
        p.district_code,
        p.year,
        k.department_kind,
        p.project_name,
        p.framework_code,
        p.initial_budget_yuan,
        p.budget_yuan,
        p.actual_yuan,
        p.budget_yuan / 10000 as budget_wan_yuan,
        p.actual_yuan / 10000 as actual_wan_yuan,
        p.execution_rate,
        e.execution_weight,
        e.execution_score,
        p.total_weight,
        p.total_score,
        p.total_score / nullif(p.total_weight, 0) as score_rate,
        p.grade,
        p.source_page,
        r.title
    from projects as p
    inner join reports as r using (report_id)
    inner join dim_district as d using (district_code)
    left join dim_department as k using (department_code)
    left join execution as e using (report_id, project_name)
)

select * from final;

comment on view v_projects is 'Each 项目支出绩效自评表 of a valid report: district, department, project, 年度资金总额 budget and execution, 预算执行率 score, 总分 and grade.';
comment on column v_projects.report_id is 'The report the form was read from (sha256) → dim_report';
comment on column v_projects.source_id is 'Manifest entry id of the report';
comment on column v_projects.province is 'Province (省)';
comment on column v_projects.city is 'Prefecture-level city (市)';
comment on column v_projects.district is 'District or county (区/县)';
comment on column v_projects.district_code is '6-digit 行政区划代码';
comment on column v_projects.year is 'Fiscal year evaluated (评价年度)';
comment on column v_projects.department_kind is 'Canonical department kind of the report';
comment on column v_projects.project_name is 'The project''s name as printed';
comment on column v_projects.framework_code is 'The framework of the form''s indicators → dim_framework';
comment on column v_projects.initial_budget_yuan is '年度资金总额 年初预算数, in yuan';
comment on column v_projects.budget_yuan is '年度资金总额 全年预算数, in yuan';
comment on column v_projects.actual_yuan is '年度资金总额 全年执行数, in yuan';
comment on column v_projects.budget_wan_yuan is '全年预算数 in 万元 (for reading)';
comment on column v_projects.actual_wan_yuan is '全年执行数 in 万元 (for reading)';
comment on column v_projects.execution_rate is '执行率 as printed, as a fraction';
comment on column v_projects.execution_weight is '分值 of the budget-execution block (预算执行率)';
comment on column v_projects.execution_score is '得分 of the budget-execution block';
comment on column v_projects.total_weight is '总分 分值';
comment on column v_projects.total_score is '总分 得分';
comment on column v_projects.score_rate is 'total_score / total_weight';
comment on column v_projects.grade is 'Grade 优/良/中/差, as printed or derived from the total';
comment on column v_projects.source_page is 'Page (1-based) where the form starts';
comment on column v_projects.title is 'Title of the report';
