-- The outbox rebuilt for half the cost per delivery (docs/architecture.md, "The outbox"):
--
-- * A fresh delivery is inserted claimed by the instance that will send it (claim = its token) with
--   next_attempt_at NULL, so it is in no queue index. Its success then changes no indexed column, and PostgreSQL
--   updates the row in place (a HOT update: no new index entries, no dead index entries to vacuum).
-- * next_attempt_at NOT NULL means "in the queue": due rows waiting for any instance (claim NULL) and rows that a
--   poller claimed with a lease (claim set, next_attempt_at = end of the lease). Only those rows are indexed.
-- * No index and no index predicate mentions status: changing it never forces a new index entry.
-- * The application guarantees the references (deliveries of a deleted endpoint are deleted with it; events are
--   purged only when no delivery is left), so no foreign-key check runs on the hot path.

alter table delivery add column claim text;
alter table delivery add column last_duration_ms integer;
alter table delivery add column last_response_headers jsonb;
alter table delivery add column last_response_body text;
-- the parts of the last request that cannot be derived from the row: timestamp, signatures, user agent
alter table delivery add column last_request_signing text;

alter table delivery drop constraint delivery_event_id_fkey;
alter table delivery drop constraint delivery_endpoint_id_fkey;
alter table delivery drop constraint delivery_seq_key;
alter table delivery_attempt drop constraint delivery_attempt_delivery_id_fkey;

drop index delivery_due;
drop index delivery_endpoint_pending;
drop index delivery_completed;
-- status in a predicate would stop in-place updates; the purge reads created_at ranges instead
drop index delivery_settled;

update delivery set next_attempt_at = null where status <> 'pending' and next_attempt_at is not null;
-- completed rows are never queued again; a placeholder claim keeps the rule "claim NULL = waiting for anyone".
update delivery set claim = '-' where status <> 'pending';

create index delivery_queue on delivery (next_attempt_at) where next_attempt_at is not null;
create index delivery_created on delivery using brin (created_at);

-- Room on each page for the in-place update that records the attempt: a row about doubles when its attempt is
-- recorded (status, times, the answer, the signing line), so a page is filled to 45 % by inserts and the rest is
-- taken by the same rows' updates (measured: 80 % left room for about one update in five to stay in place).
alter table delivery set (fillfactor = 45, autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.02);

-- Events: received_at only serves the purge, which reads ranges of it.
drop index event_received;
create index event_received on event using brin (received_at);

-- Instances that hold claims. An instance renews alive_until every few seconds; one that stops renewing is dead,
-- and any other instance gives its claims back to the queue (oldest_fresh bounds the rows to look at).
create table outbox_instance (
    id            text primary key,
    started_at    timestamptz not null,
    alive_until   timestamptz not null,
    oldest_fresh  timestamptz
);
