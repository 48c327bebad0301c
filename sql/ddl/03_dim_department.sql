-- dim_department: department kinds, canonical Chinese name.
create table if not exists dim_department (
    department_code varchar primary key,  -- stable code, e.g. zwfw-data
    department_kind varchar not null      -- canonical name, e.g. 政务服务数据管理局
);

comment on table dim_department is 'Department kinds (部门), canonical names from the department dictionary (reference/departments.yaml).';
comment on column dim_department.department_code is 'Stable code of the department kind, e.g. zwfw-data (key); printed:<name> for a department the dictionary lacks, loaded as printed';
comment on column dim_department.department_kind is 'Canonical Chinese name of the department kind, e.g. 政务服务数据管理局 (街道办事处 for every XX街道办事处); the printed name for a printed: code';
