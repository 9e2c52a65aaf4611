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
