-- The ownership check per endpoint (SPEC §13): on create and on a URL change, an endpoint that asks for it must echo a
-- signed challenge before it gets events. Nullable columns and a partial index only: safe for a rolling update. While
-- the check is pending or failed the endpoint is also disabled (disabled_reason 'unverified'), which is what keeps an
-- instance of an older version, which knows nothing of these columns, from sending to it.
--
-- ownership_state: pending, verified or failed; null: no check asked for (verify_ownership false).
-- ownership_since: when the endpoint last went pending (created, URL changed, check asked for again): once verified,
--   the events received since then are recovered for it.
-- ownership_checked_at, ownership_error: when the last check ended, and why it failed (null when it passed).
-- ownership_lease_until: a check in flight holds the endpoint until then; past it (its instance died) another
--   instance checks again.
alter table webhook_endpoint
    add column ownership_state text,
    add column ownership_since timestamptz,
    add column ownership_checked_at timestamptz,
    add column ownership_error text,
    add column ownership_lease_until timestamptz;

create index webhook_endpoint_ownership_due on webhook_endpoint (ownership_lease_until)
    where ownership_state = 'pending';
