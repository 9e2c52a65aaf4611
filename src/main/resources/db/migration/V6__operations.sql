-- Operator keys (scopes ops:read, ops:replay) belong to no owner: they see every owner's resources.
alter table api_key alter column owner drop not null;

-- Every action taken with an operator key: written as 'started' before the action runs, then given its result,
-- so that no action goes unrecorded even when the instance dies in between.
create table audit_entry (
    id          text primary key,
    seq         bigserial not null unique,
    key_id      text not null,
    action      text not null,
    target      text,
    method      text not null,
    path        text not null,
    result      text not null,
    status      integer,
    at          timestamptz not null,
    finished_at timestamptz
);
create index audit_entry_key on audit_entry (key_id, seq);

-- The dead-letter topic, indexed by a consumer of its own: the API pages from here, and redrive publishes the
-- stored bytes back to the source topic. One row per DLQ record (topic, partition, offset): re-reading is a no-op.
create table dead_letter (
    id               text primary key,
    seq              bigserial not null unique,
    dlq_topic        text not null,
    dlq_partition    integer not null,
    dlq_offset       bigint not null,
    reason           text not null,
    message          text,
    source_topic     text,
    source_partition integer,
    source_offset    bigint,
    failed_at        timestamptz,
    indexed_at       timestamptz not null,
    record_key       bytea,
    record_value     bytea,
    value_size       integer not null,
    headers          jsonb not null,
    state            text not null,
    state_changed_at timestamptz,
    state_changed_by text,
    unique (dlq_topic, dlq_partition, dlq_offset)
);
create index dead_letter_new on dead_letter (seq) where state = 'new';

-- Replays: cancellable, and grouped when one bulk request starts them over several endpoints of an owner.
alter table replay add column batch_id text;
alter table replay add column cancelled_at timestamptz;
create index replay_owner on replay (owner, seq);
create index replay_batch on replay (batch_id) where batch_id is not null;
