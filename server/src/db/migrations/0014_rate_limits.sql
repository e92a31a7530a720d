-- Rate limits shared by every Ward server on this database (R-MON-1, R-AUTHN-1): a fixed window per
-- key (a source address, a member, a principal), counted in PostgreSQL so that N servers allow the
-- limit once, not N times. Keys are stored as SHA-256 hashes (an address is personal data). Reached
-- only through ward_rate_limit_hit (SECURITY DEFINER); ward_app holds no privilege on the table.
CREATE TABLE rate_limits (
  key_hash       bytea PRIMARY KEY CHECK (length(key_hash) = 32),
  window_ends_at timestamptz NOT NULL,
  hits           integer NOT NULL CHECK (hits > 0)
);
CREATE INDEX rate_limits_expiry ON rate_limits (window_ends_at);
ALTER TABLE rate_limits ENABLE ROW LEVEL SECURITY;
ALTER TABLE rate_limits FORCE ROW LEVEL SECURITY;

-- Counts one hit and returns the count in the current window (a new window starts at the first hit
-- after the last one ended). Each call also removes a few ended windows, skipping rows another
-- transaction holds, so the table stays the size of the keys active in the last window.
CREATE FUNCTION ward_rate_limit_hit(p_key bytea, p_window_seconds integer, p_now timestamptz)
  RETURNS integer
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  DELETE FROM public.rate_limits r
   WHERE r.ctid IN (SELECT x.ctid FROM public.rate_limits x WHERE x.window_ends_at < p_now AND x.key_hash <> p_key
                     ORDER BY x.window_ends_at LIMIT 4 FOR UPDATE SKIP LOCKED);
  INSERT INTO public.rate_limits AS r (key_hash, window_ends_at, hits)
  VALUES (p_key, p_now + make_interval(secs => GREATEST(p_window_seconds, 1)), 1)
  ON CONFLICT (key_hash) DO UPDATE SET
    hits = CASE WHEN r.window_ends_at <= p_now THEN 1 ELSE r.hits + 1 END,
    window_ends_at = CASE WHEN r.window_ends_at <= p_now THEN EXCLUDED.window_ends_at ELSE r.window_ends_at END
  RETURNING r.hits
$$;

REVOKE ALL ON FUNCTION ward_rate_limit_hit(bytea, integer, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_rate_limit_hit(bytea, integer, timestamptz) TO ward_app;
