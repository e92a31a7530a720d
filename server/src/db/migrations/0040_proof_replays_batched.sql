-- Spending a proof id at the cost of one index insert (R-SESS-4, R-WORK-2; RFC 9449 §11.1; issue 18's
-- goal, issue 31's "proof-id store"). Until now every spend (0011) also deleted up to four expired rows
-- found through a b-tree on usable_until, locking them FOR UPDATE SKIP LOCKED: under a steady stream of
-- requests every spend walked the same run of dead and locked entries at the index's low end and wrote
-- a second index entry. Measured on this machine, that was 3-4 ms of server time per spend at steady
-- state against under 1 ms for the insert alone.
--
-- Replay protection is unchanged: it is the primary key on replay_key, written in the request's own
-- transaction (a concurrent replay waits on the row and is refused when the first commits). Expired
-- rows are now removed in batches by ward_proof_prune, run by every server on a timer
-- (modules/proof, startReplayPruning) and idempotent across servers (SKIP LOCKED). It removes a row
-- only when it is past its window by the database's clock and a grace of five minutes, so that a
-- server whose clock runs ahead never removes a proof id that another server would still accept.
-- The expiry index becomes a BRIN (rows arrive in usable_until order): a page range summary, no
-- per-row index write on the spend.

DROP INDEX proof_replays_expiry;
CREATE INDEX proof_replays_expiry ON proof_replays USING brin (usable_until) WITH (pages_per_range = 8);

CREATE OR REPLACE FUNCTION ward_proof_use(p_key bytea, p_usable_until timestamptz, p_now timestamptz)
  RETURNS boolean
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  WITH spent AS (
    INSERT INTO public.proof_replays AS r (replay_key, usable_until) VALUES (p_key, p_usable_until)
    ON CONFLICT (replay_key) DO UPDATE SET usable_until = EXCLUDED.usable_until WHERE r.usable_until < p_now
    RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM spent)
$$;

-- Removes up to p_limit proof ids past their window (by the database clock, five minutes' grace);
-- returns how many. Rows another transaction holds are skipped, so servers pruning at once never wait.
CREATE FUNCTION ward_proof_prune(p_limit integer)
  RETURNS integer
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  WITH gone AS (
    DELETE FROM public.proof_replays r
     WHERE r.ctid IN (SELECT x.ctid FROM public.proof_replays x
                       WHERE x.usable_until < now() - interval '5 minutes'
                       LIMIT greatest(p_limit, 0) FOR UPDATE SKIP LOCKED)
    RETURNING 1)
  SELECT count(*)::integer FROM gone
$$;

REVOKE ALL ON FUNCTION ward_proof_prune(integer) FROM PUBLIC;
