-- Spent proof-of-possession ids (RFC 9449 §11.1; R-SESS-4, R-WORK-2), shared by every Ward server
-- on this database, so that a proof replayed at a second server is refused as at the first. A row
-- lives as long as its proof could still be accepted; there is no ceiling on how many live at once.
-- Reached only through ward_proof_use (SECURITY DEFINER): ward_app holds no privilege on the table,
-- and the function runs in the request's own transaction where there is one (no commit of its own).
CREATE TABLE proof_replays (
  replay_key bytea PRIMARY KEY CHECK (length(replay_key) = 32), -- SHA-256(thumbprint ":" jti)
  usable_until timestamptz NOT NULL
);
CREATE INDEX proof_replays_expiry ON proof_replays (usable_until);
ALTER TABLE proof_replays ENABLE ROW LEVEL SECURITY;
ALTER TABLE proof_replays FORCE ROW LEVEL SECURITY;

-- True when the id was unspent (and is now spent). A concurrent use of the same id waits for the
-- first transaction: if it commits, this one gets false; if it rolls back, this one spends it.
-- Each call also removes a few expired rows, skipping rows another transaction holds, so that the
-- table stays the size of the window's traffic without a sweeper and without making callers wait.
CREATE FUNCTION ward_proof_use(p_key bytea, p_usable_until timestamptz, p_now timestamptz)
  RETURNS boolean
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  DELETE FROM public.proof_replays r
   WHERE r.ctid IN (SELECT x.ctid FROM public.proof_replays x WHERE x.usable_until < p_now
                     ORDER BY x.usable_until LIMIT 4 FOR UPDATE SKIP LOCKED);
  WITH spent AS (
    INSERT INTO public.proof_replays AS r (replay_key, usable_until) VALUES (p_key, p_usable_until)
    ON CONFLICT (replay_key) DO UPDATE SET usable_until = EXCLUDED.usable_until WHERE r.usable_until < p_now
    RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM spent)
$$;

REVOKE ALL ON FUNCTION ward_proof_use(bytea, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_proof_use(bytea, timestamptz, timestamptz) TO ward_app;
