-- dim_district: county-level divisions (行政区划代码), from the reference table.
create table if not exists dim_district (
    district_code varchar primary key,  -- 6-digit 行政区划代码, e.g. 440112
    province varchar not null,          -- 广东省
    city varchar not null,              -- 广州市
    district varchar not null           -- 黄埔区
);

comment on table dim_district is 'County-level divisions (区/县) by 行政区划代码, from the reference table shipped with jixiao: one row per district code.';
comment on column dim_district.district_code is '6-digit 行政区划代码 of the district, e.g. 440112 (key)';
comment on column dim_district.province is 'Province (省), e.g. 广东省';
comment on column dim_district.city is 'Prefecture-level city (市), e.g. 广州市';
comment on column dim_district.district is 'District or county (区/县), e.g. 黄埔区';
