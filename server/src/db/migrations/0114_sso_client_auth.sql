-- How Ward authenticates at a tenant's IdP token endpoint (R-AUTHN-2; OpenID Connect Core §9, RFC 7523):
-- client_secret_basic (every provider configured before this, the default), client_secret_post,
-- client_secret_jwt, or private_key_jwt. For private_key_jwt Ward makes a key pair for the tenant: the
-- private JWK is wrapped by the tenant's key-encryption key (R-DATA-1) and kept in secret_kek_id /
-- secret_wrapped where a client secret would be; client_public_jwk is its public half, which Ward
-- publishes (docs/sso.md). One exists exactly when the method is private_key_jwt, and never with a
-- private member (d, p, q, dp, dq, qi; k of a symmetric key): what is stored in the clear is public.
ALTER TABLE sso_providers ADD COLUMN client_auth text NOT NULL DEFAULT 'client_secret_basic'
  CHECK (client_auth IN ('client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'));
ALTER TABLE sso_providers ADD COLUMN client_public_jwk jsonb
  CHECK (client_public_jwk IS NULL OR (jsonb_typeof(client_public_jwk) = 'object' AND length(client_public_jwk::text) <= 4096
    AND NOT client_public_jwk ?| ARRAY['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']));
ALTER TABLE sso_providers ADD CONSTRAINT sso_providers_client_key
  CHECK ((client_auth = 'private_key_jwt') = (client_public_jwk IS NOT NULL));
