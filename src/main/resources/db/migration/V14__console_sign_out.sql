-- Console sessions ended by signing out, by the random nonce sealed in their cookie: a copy of the cookie no longer
-- signs in, on any instance. A row matters only until the session would have expired anyway (expires_at); each
-- sign-out deletes the rows past it, so the table holds at most the sign-outs of one session timeout.
create table console_sign_out (
    nonce      text primary key,
    expires_at timestamptz not null
);
create index console_sign_out_expires on console_sign_out (expires_at);
