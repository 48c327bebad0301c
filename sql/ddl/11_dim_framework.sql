-- dim_framework: the indicator frameworks jixiao knows (reference/frameworks/*.yaml),
-- plus `printed` for tables that match none.
create table if not exists dim_framework (
    framework_code varchar primary key,  -- guangdong · mof-dept · mof-project · … · printed
    name varchar not null,
    scope varchar not null,              -- 部门整体 · 项目
    region varchar,                      -- where it is used
    definition varchar                   -- the document that defines it, when known
);

comment on table dim_framework is 'The indicator frameworks jixiao knows (reference/frameworks/<code>.yaml): Guangdong''s 履职效能/管理效率 tree, the MoF 2020 部门整体 and 项目 forms …; printed = a hierarchy as printed that matches no known framework.';
comment on column dim_framework.framework_code is 'Framework code (key): the file name in reference/frameworks/, or printed';
comment on column dim_framework.name is 'The framework''s name';
comment on column dim_framework.scope is 'What it evaluates: 部门整体 (a department as a whole) · 项目 (one project)';
comment on column dim_framework.region is 'Where it is used (province, city, or 全国 for the MoF forms); NULL for printed';
comment on column dim_framework.definition is 'The document that defines it, when known; NULL otherwise';

-- the framework of each indicator and report (warehouses created before frameworks get them too)
alter table dim_indicator add column if not exists framework_code varchar;
alter table dim_report add column if not exists framework_code varchar;
comment on column dim_indicator.framework_code is 'The framework the indicator belongs to → dim_framework; NULL for 0 (总分), shared by every framework';
comment on column dim_report.framework_code is 'The framework its score table matched → dim_framework (printed when none); NULL when nothing was read';
