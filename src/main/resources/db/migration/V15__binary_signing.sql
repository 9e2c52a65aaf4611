-- The signing headers of a delivery's last attempt as bytes (outbox.LastAttempt): the timestamp, the HMACs and the
-- user agent in about 100 bytes instead of about 160 as text, written by every successful attempt. Adding a nullable
-- column rewrites nothing; rows written before keep their text in last_request_signing (read as before) until the
-- retention purge removes them.
alter table delivery add column last_request_signed bytea;
