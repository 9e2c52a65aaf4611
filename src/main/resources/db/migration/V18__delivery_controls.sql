-- Per-endpoint delivery controls (SPEC §12), set by the endpoint's owner and enforced by the instance that owns the
-- endpoint (docs/architecture.md). Nullable columns only: safe for a rolling update (an older instance ignores them).
--
-- max_concurrency: attempts in flight at once, cluster-wide (null: the operator's default,
--   webhooks.delivery.max-in-flight-per-endpoint, 8).
-- rate_limit: deliveries a second at most, cluster-wide (null: none).
-- headers: the customer's static request headers, [{"name", "value"} or {"name", "sealed", "key_id"}]; a secret
--   value is sealed like the signing secret (AES-GCM, the endpoint's id as associated data).
-- filter: {"repo": [...], "match": [{"pointer", "equals": [...]}]}: the conditions an event must meet.
alter table webhook_endpoint
    add column max_concurrency smallint check (max_concurrency between 1 and 64),
    add column rate_limit integer check (rate_limit between 1 and 10000),
    add column headers jsonb,
    add column filter jsonb;

-- ordering: null (none), or the key whose deliveries go one at a time in the order of their events: owner, repo,
--   event (the type), or a JSON Pointer into the event (/data/deployment_id).
alter table webhook_endpoint add column ordering text;

-- A delivery of an ordered endpoint carries its key's value and is never fresh: it is queued (next_attempt_at set)
-- from its insert until it is delivered or fails for good, so that "an earlier delivery of the same key is still
-- pending" is a lookup in this index. The index holds only such rows; its columns never change and its predicate
-- reads next_attempt_at, already indexed by delivery_queue, so the delivery path's in-place (HOT) updates stay so.
alter table delivery add column order_key text;
create index delivery_ordered on delivery (endpoint_id, order_key, seq)
    where next_attempt_at is not null and order_key is not null;
