-- v_scores: the scores analysts compare by default: valid reports only.
create or replace view v_scores as
select * from v_scores_all where status = 'valid';

comment on view v_scores is 'The scores analysts compare by default: v_scores_all restricted to valid reports.';
-- Its other columns take their comments from v_scores_all (load/warehouse.inherit_view_comments).
comment on column v_scores.status is 'Always valid here';
