-- API keys: owner-scoped, stored as the SHA-256 of the key; the key itself is shown once.
create table api_key (
    id          text primary key,
    seq         bigserial not null unique,
    owner       text not null,
    name        text,
    key_hash    bytea not null unique,
    key_prefix  text not null,
    scopes      text[] not null,
    plan        text not null,
    rate_limit  integer not null,
    created_at  timestamptz not null,
    last_used_at timestamptz
);
create index api_key_owner on api_key (owner, seq);

-- Fixed one-minute windows per key; shared by every instance. Unlogged: losing it in a crash only resets counts.
create unlogged table rate_limit_window (
    key_id       text not null,
    window_start timestamptz not null,
    count        integer not null,
    primary key (key_id, window_start)
);

-- Webhook endpoints (subscriptions). Signing secrets are AES-GCM encrypted; the key id says which key.
create table webhook_endpoint (
    id                   text primary key,
    seq                  bigserial not null unique,
    owner                text not null,
    url                  text not null,
    events               text[] not null,
    repos                text[],
    description          text,
    active               boolean not null,
    status               text not null,
    disabled_reason      text,
    secret_ciphertext    bytea not null,
    secret_key_id        text not null,
    previous_secret_ciphertext bytea,
    previous_secret_key_id     text,
    previous_secret_expires_at timestamptz,
    failing_since        timestamptz,
    created_at           timestamptz not null,
    updated_at           timestamptz not null,
    version              bigint not null default 0
);
create index webhook_endpoint_owner on webhook_endpoint (owner, seq);
create index webhook_endpoint_enabled on webhook_endpoint (owner) where status = 'enabled' and active;
