-- R-WORK-2: the keys that sign workload access tokens, and the secret DPoP nonces are made from,
-- shared by every Ward server on this database (DESIGN.md: state N servers share lives in
-- PostgreSQL). Each private key is sealed (AES-256-GCM) under a data key that the KMS wraps with the
-- platform's key-encryption key: the database alone holds nothing usable (R-DATA-1). Reached only
-- through the SECURITY DEFINER functions below; ward_app holds no privilege on the table.
CREATE TABLE token_signing_keys (
  kid          text PRIMARY KEY CHECK (length(kid) BETWEEN 16 AND 64),
  purpose      text NOT NULL CHECK (purpose IN ('signing', 'nonce')),
  created_at   timestamptz NOT NULL,
  retired_at   timestamptz,
  kek_id       text NOT NULL,
  wrapped_key  bytea NOT NULL,
  sealed       bytea NOT NULL
);
-- At most one live nonce secret and one active signing key.
CREATE UNIQUE INDEX token_signing_keys_one_active ON token_signing_keys (purpose) WHERE retired_at IS NULL;
ALTER TABLE token_signing_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE token_signing_keys FORCE ROW LEVEL SECURITY;

-- The live keys: the active ones and those retired less than p_keep_seconds ago.
CREATE FUNCTION ward_token_keys_read(p_now timestamptz, p_keep_seconds integer)
  RETURNS TABLE (kid text, purpose text, created_at timestamptz, retired_at timestamptz, kek_id text, wrapped_key bytea, sealed bytea)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT k.kid, k.purpose, k.created_at, k.retired_at, k.kek_id, k.wrapped_key, k.sealed FROM public.token_signing_keys k
   WHERE k.retired_at IS NULL OR k.retired_at > p_now - make_interval(secs => p_keep_seconds)
   ORDER BY k.created_at DESC
$$;

-- A first key of its purpose, when there is none yet (two servers starting at once: one wins).
-- With p_rotate_before, a signing key rotation instead: the active key, if it was created before
-- p_rotate_before, is retired and the new one takes its place; keys retired longer ago than
-- p_keep_seconds are removed. Returns whether the key was stored.
CREATE FUNCTION ward_token_key_put(p_kid text, p_purpose text, p_now timestamptz, p_kek_id text, p_wrapped bytea, p_sealed bytea,
                                   p_rotate_before timestamptz, p_keep_seconds integer)
  RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  LOCK TABLE public.token_signing_keys IN SHARE ROW EXCLUSIVE MODE;
  IF p_rotate_before IS NOT NULL AND p_purpose = 'signing' THEN
    UPDATE public.token_signing_keys k SET retired_at = p_now
     WHERE k.purpose = 'signing' AND k.retired_at IS NULL AND k.created_at < p_rotate_before;
    DELETE FROM public.token_signing_keys k WHERE k.retired_at < p_now - make_interval(secs => p_keep_seconds);
  END IF;
  IF EXISTS (SELECT 1 FROM public.token_signing_keys k WHERE k.purpose = p_purpose AND k.retired_at IS NULL) THEN
    RETURN false;
  END IF;
  INSERT INTO public.token_signing_keys (kid, purpose, created_at, kek_id, wrapped_key, sealed)
  VALUES (p_kid, p_purpose, p_now, p_kek_id, p_wrapped, p_sealed);
  RETURN true;
END
$$;

REVOKE ALL ON FUNCTION ward_token_keys_read(timestamptz, integer), ward_token_key_put(text, text, timestamptz, text, bytea, bytea, timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_token_keys_read(timestamptz, integer), ward_token_key_put(text, text, timestamptz, text, bytea, bytea, timestamptz, integer) TO ward_app;
