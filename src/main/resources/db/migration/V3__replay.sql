-- Bulk replays: a background job per request, its progress committed with the deliveries it creates, so that it
-- survives restarts and never replays a delivery twice.
create table replay (
    id           text primary key,
    seq          bigserial not null unique,
    owner        text not null,
    endpoint_id  text not null references webhook_endpoint (id) on delete cascade,
    status_filter text,
    since        timestamptz,
    until        timestamptz,
    events       text[],
    dry_run      boolean not null,
    state        text not null,
    total        integer not null,
    processed    integer not null default 0,
    max_seq      bigint not null,
    cursor_seq   bigint not null default 0,
    created_at   timestamptz not null,
    started_at   timestamptz,
    completed_at timestamptz
);
create index replay_active on replay (created_at) where state in ('pending', 'running');
create index delivery_redelivery_of on delivery (redelivery_of) where redelivery_of is not null;
