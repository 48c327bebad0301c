-- fact_project: each 项目支出绩效自评表 inside or attached to a report; its indicator
-- rows are in fact_project_indicator.
create table if not exists fact_project (
    report_id varchar not null,
    project_name varchar not null,      -- as printed in the form's 项目名称 row
    district_code varchar not null,
    year integer not null,
    department_code varchar not null,
    framework_code varchar,             -- mof-project · … · printed
    initial_budget_yuan decimal(18, 2), -- 年度资金总额: 年初预算数
    budget_yuan decimal(18, 2),         -- 年度资金总额: 全年预算数
    actual_yuan decimal(18, 2),         -- 年度资金总额: 全年执行数
    execution_rate decimal(9, 6),       -- 年度资金总额: 执行率 as printed (fraction)
    total_weight decimal(9, 3),         -- 总分 分值
    total_score decimal(9, 3),          -- 总分 得分
    grade varchar,                      -- 优/良/中/差, as printed or derived from the total
    source_page integer,
    primary key (report_id, project_name)
);

comment on table fact_project is 'Each 项目支出绩效自评表 inside or attached to a report: its 年度资金总额 budget and execution, 总分 and grade; its indicator rows in fact_project_indicator.';
comment on column fact_project.report_id is 'The report the form was read from → dim_report';
comment on column fact_project.project_name is 'The project''s name as printed in the form''s 项目名称 row';
comment on column fact_project.district_code is '行政区划代码 of the report''s district → dim_district';
comment on column fact_project.year is 'Fiscal year evaluated → dim_year';
comment on column fact_project.department_code is 'Department kind of the report → dim_department';
comment on column fact_project.framework_code is 'The framework the form''s indicators matched → dim_framework (mof-project, or printed)';
comment on column fact_project.initial_budget_yuan is '年度资金总额 年初预算数, in yuan';
comment on column fact_project.budget_yuan is '年度资金总额 全年预算数 (what execution is measured against), in yuan';
comment on column fact_project.actual_yuan is '年度资金总额 全年执行数, in yuan';
comment on column fact_project.execution_rate is '年度资金总额 执行率 as printed, as a fraction (0.9836 = 98.36%)';
comment on column fact_project.total_weight is '总分 分值 (points available) as printed';
comment on column fact_project.total_score is '总分 得分 as printed, or summed from the rows when the form prints none';
comment on column fact_project.grade is 'Grade 优/良/中/差, as printed or derived from the total';
comment on column fact_project.source_page is 'Page (1-based) where the form starts';
