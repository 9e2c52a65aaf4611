-- Standard Webhooks' asymmetric signatures (v1a, Ed25519) per endpoint (SPEC §13). Nullable columns only: safe for
-- a rolling update (an older instance ignores them and signs with HMAC only).
--
-- signature_schemes: the schemes of webhook-signature, "v1", "v1a" or "v1,v1a" (null: v1, HMAC only).
-- signing_key_ciphertext, signing_key_key_id: the Ed25519 secret key (whsk_…), sealed like the signing secret
--   (AES-GCM, the endpoint's id as associated data); kept when v1a is turned off, so that turning it on again keeps
--   the public key that receivers have.
-- public_key: its public key as shown (whpk_…).
alter table webhook_endpoint
    add column signature_schemes text,
    add column signing_key_ciphertext bytea,
    add column signing_key_key_id text,
    add column public_key text;
