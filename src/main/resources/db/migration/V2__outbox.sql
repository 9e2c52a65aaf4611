-- Events as the producer wrote them (the exact record bytes), one row per event id: a repeated id is a no-op.
create table event (
    id               text primary key,
    seq              bigserial not null unique,
    type             text not null,
    owner            text not null,
    repo             text,
    payload          bytea not null,
    occurred_at      timestamptz not null,
    received_at      timestamptz not null,
    appended_at      timestamptz,
    source_topic     text,
    source_partition integer,
    source_offset    bigint
);
create index event_owner on event (owner, seq);
create index event_received on event (received_at);

-- The outbox: one delivery per (event, endpoint). next_attempt_at is both the due time and the lease of a
-- claimed row (moved forward before sending, so a crashed instance's rows come back by themselves).
create table delivery (
    id               text primary key,
    seq              bigserial not null unique,
    event_id         text not null references event (id) on delete cascade,
    endpoint_id      text not null references webhook_endpoint (id) on delete cascade,
    owner            text not null,
    event_type       text not null,
    status           text not null,
    attempts         integer not null default 0,
    next_attempt_at  timestamptz,
    last_attempt_at  timestamptz,
    last_status      integer,
    last_error       text,
    created_at       timestamptz not null,
    completed_at     timestamptz,
    redelivery_of    text,
    replay_id        text
);
create index delivery_due on delivery (next_attempt_at) where status = 'pending';
create index delivery_endpoint on delivery (endpoint_id, seq);
create index delivery_endpoint_pending on delivery (endpoint_id) where status = 'pending';
create index delivery_event on delivery (event_id);
create index delivery_completed on delivery (completed_at) where status = 'delivered';

-- Every attempt, as sent and as answered (never the secret).
create table delivery_attempt (
    id               bigserial primary key,
    delivery_id      text not null references delivery (id) on delete cascade,
    attempt          integer not null,
    started_at       timestamptz not null,
    duration_ms      integer not null,
    request_headers  jsonb not null,
    response_status  integer,
    response_headers jsonb,
    response_body    text,
    error_class      text,
    error_message    text
);
create index delivery_attempt_delivery on delivery_attempt (delivery_id, attempt);
