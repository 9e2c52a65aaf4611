-- A failed delivery that is redelivered or replayed becomes 'replayed', linked to its copy (replayed_by), in the
-- transaction that inserts the copy: lists of failures, later replays and enable-with-replay skip it, so nothing
-- recovered is sent twice.
alter table delivery add column replayed_by text;

-- The retention purge also removes failed and replayed deliveries once the retention has passed since they failed.
create index delivery_settled on delivery (completed_at) where status in ('failed', 'replayed');
