-- dim_district: county-level divisions (行政区划代码), from the reference table.
create table if not exists dim_district (
    district_code varchar primary key,  -- 6-digit 行政区划代码, e.g. 440112
    province varchar not null,          -- 广东省
    city varchar not null,              -- 广州市
    district varchar not null           -- 黄埔区
);
