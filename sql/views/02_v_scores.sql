-- v_scores: the scores analysts compare by default: valid reports only.
create or replace view v_scores as
select * from v_scores_all where status = 'valid'
