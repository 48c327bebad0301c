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
