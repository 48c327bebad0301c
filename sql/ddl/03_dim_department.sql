-- dim_department: department kinds, canonical Chinese name.
create table if not exists dim_department (
    department_code varchar primary key,  -- stable code, e.g. zwfw-data
    department_kind varchar not null      -- canonical name, e.g. 政务服务数据管理局
);
