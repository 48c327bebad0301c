-- dim_indicator: the indicator dictionary, plus indicators printed in reports
-- that map to nothing (is_canonical = false, kept with their printed name).
create table if not exists dim_indicator (
    indicator_code varchar primary key,  -- hierarchical: 0, 2, 2.5, 2.5.5
    name varchar not null,               -- canonical name (printed name when unmapped)
    level integer not null,              -- 0 = 总分, 1, 2, 3
    parent_code varchar,                 -- null for 总分
    path varchar not null,               -- 管理效率/采购管理/合同备案时效性
    standard_weight decimal(9, 3),       -- the framework's 分值 (informative)
    is_canonical boolean not null        -- false for unmapped printed names
);

comment on table dim_indicator is 'The indicator dictionary (reference/indicators.yaml) plus indicators printed in reports that map to nothing (is_canonical = false).';
comment on column dim_indicator.indicator_code is 'Hierarchical code: 0 = 总分, 2 = 管理效率, 2.5 = 采购管理, 2.5.5 = … (key)';
comment on column dim_indicator.name is 'Canonical indicator name; the printed name when unmapped';
comment on column dim_indicator.level is 'Depth in the tree: 0 = 总分, 1, 2, 3';
comment on column dim_indicator.parent_code is 'indicator_code of the parent; NULL for 总分';
comment on column dim_indicator.path is 'Names from level 1 down, e.g. 管理效率/采购管理/合同备案时效性';
comment on column dim_indicator.standard_weight is 'The framework''s 分值 for this indicator (informative: reports print their own weight)';
comment on column dim_indicator.is_canonical is 'false for a printed name that maps to nothing in the dictionary';
