-- Delivery authentication per endpoint (SPEC §13): OAuth 2.0 client credentials and a client certificate (mutual
-- TLS). Nullable columns only: safe for a rolling update (an older instance ignores them: it sends without the
-- bearer token and without the client certificate, and such receivers refuse its attempts until it is replaced).
--
-- auth: the OAuth 2.0 client credentials settings without the secret, as JSON
--   {"type": "oauth2_client_credentials", "token_url", "client_id", "scope", "client_authentication"}.
-- auth_secret_ciphertext, auth_secret_key_id: the client secret, sealed like the signing secret (AES-GCM, the
--   endpoint's id as associated data).
-- tls_client_certificate: the client certificate (PEM, the chain after it if given).
-- tls_client_key_ciphertext, tls_client_key_key_id: its private key (PKCS#8 PEM), sealed like the signing secret.
-- tls_client_certificate_not_after: the certificate's expiry, read by the metric and its alert.
alter table webhook_endpoint
    add column auth jsonb,
    add column auth_secret_ciphertext bytea,
    add column auth_secret_key_id text,
    add column tls_client_certificate text,
    add column tls_client_key_ciphertext bytea,
    add column tls_client_key_key_id text,
    add column tls_client_certificate_not_after timestamptz;
