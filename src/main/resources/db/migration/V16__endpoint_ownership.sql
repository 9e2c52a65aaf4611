-- Each endpoint is sent to by one live instance at a time, cluster-wide (docs/architecture.md, "Who sends to an
-- endpoint"), so that its concurrency cap, its circuit breaker (and later its rate limit and ordering) hold across
-- all instances together, not per instance.
--
-- * Endpoints fall in 64 buckets by a hash of their id, computed by PostgreSQL once, at insert (no code of the
--   service computes it, so nothing can disagree about it).
-- * endpoint_bucket says which instance owns each bucket; an instance takes free buckets up to its fair share of the
--   live instances, gives back what it holds beyond, and the reaper frees the buckets of a dead instance with its
--   claims. An owner checks its own lease (its last heartbeat) before every attempt.
-- * The queue is read per endpoint now: the owner claims each of its endpoints' due rows up to that endpoint's room,
--   so a blocked endpoint's backlog is never walked by anyone else's claim.
-- * The breaker's state is kept with the endpoint, written only when it opens or closes, so that it survives a move
--   of the endpoint to another instance and every instance's ops views read the same state.

alter table webhook_endpoint add column bucket smallint generated always as ((hashtext(id) & 63)::smallint) stored;
create index webhook_endpoint_bucket on webhook_endpoint (bucket) where status = 'enabled' and active;

alter table webhook_endpoint add column breaker_open_until timestamptz;
alter table webhook_endpoint add column breaker_delay_ms integer;

create table endpoint_bucket (
    bucket       smallint primary key,
    owner        text,
    owned_since  timestamptz
);
insert into endpoint_bucket (bucket) select generate_series(0, 63);

drop index delivery_queue;
create index delivery_queue on delivery (endpoint_id, next_attempt_at) where next_attempt_at is not null;
