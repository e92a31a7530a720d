-- R-AUTHZ-7, R-OPS-1 (issues 12 and 31): the scope verified with one SHA-256 and fewer function calls.
-- Profiled with callgrind on PostgreSQL 15 (docs/threat-model.md, "One hash, and what the view costs
-- without any MAC"), backend instructions per bench:db scoped point read: unscoped 72,700, the pre-MAC
-- policy 152,300, 0099 245,700. Built up on this migration's shape: the view reading the setting
-- unverified 165,300; with 0099's HMAC 221,900 (+56,600: two sha256() calls, each an OpenSSL EVP
-- set-up, and thirteen function calls, each built, ACL-checked and run at every executor start); with
-- the expiry 237,700 (+15,900); with one hash instead of HMAC (this migration) 226,800.
--
-- ward.scope keeps its layout (scope-key.ts):
--   <MAC: 64 hex digits> \n <tenant> \n <PHI keys 'tenant/scope', comma-separated> \n <'tenant/kind:actor'> \n <expiry>
-- The MAC is now one SHA-256, not HMAC:
--   sha256( inner_key || 'ward-scope-v3' || <the value's bytes after the MAC> || int8send(pid) )
-- where inner_key is the key's padded block XOR 0x36 (HMAC's inner block, already in ward_scope_keys).
-- Why that is a sound MAC here: the only weakness of a hash over a secret prefix is length extension
-- (from sha256(K || M) one can compute sha256(K || M || padding || X) without K). Every message this
-- view hashes is the key block, the domain, text (PostgreSQL text holds no zero byte) and eight pid
-- bytes whose first four are zero (a pid is a positive int4). An extended message would carry SHA-256's
-- padding (0x80, zeros, the 64-bit length) and the original pid's zero bytes before its last eight
-- bytes, that is inside the text: no value that can be set makes it. More formally, no message is a
-- prefix of another (the first zero byte after the domain ends the text), and SHA-256's iteration
-- keyed by its chaining value after the key block is a pseudorandom function on prefix-free inputs
-- (Bellare, Canetti, Krawczyk 1996, the cascade), under the same assumption on the compression function
-- that HMAC's proof makes of its inner key block. HMAC's outer hash exists for inputs that are not
-- prefix-free; these are.
--
-- The rest of the expression, call by call: starts_with() compares the MAC's 64 hex digits (one call
-- instead of substring, encode into a bytea and =); right(v, -64) counts only the first 64 characters
-- (substr(v, 65) counts all of them; 0099 read the whole value as bytea instead, twice);
-- CURRENT_TIMESTAMP is no function call; current_setting() without COALESCE (a NULL compares to
-- nothing and the CASE gives false). The expiry rule (0022's: expiry > now and <= now + 40 s, read
-- only once the MAC verifies) and the columns are unchanged, so every policy and getter stays as it is.
-- A value MAC'd the 0099 way (HMAC over 'ward-scope-v2') verifies nothing now.

SET LOCAL ROLE ward_definer;

CREATE OR REPLACE VIEW ward_scope_verified WITH (security_barrier) AS
SELECT CASE WHEN s.verified THEN split_part(s.v, E'\n', 2)::uuid END AS tenant,
       CASE WHEN s.asked <> '' THEN public.ward_scope_phi_keys()
            WHEN s.verified THEN string_to_array(split_part(s.v, E'\n', 3), ',')
       END AS phi_keys,
       CASE WHEN s.verified THEN split_part(s.v, E'\n', 4) END AS tenant_actor,
       CASE WHEN s.verified THEN string_to_array(split_part(s.v, E'\n', 3), ',') END AS scope_keys
  FROM (SELECT m.v, m.asked,
               -- CASE, not AND: the expiry is cast only after the MAC (over an expiry of digits) verifies.
               CASE WHEN starts_with(m.v, encode(sha256(k.inner_key || '\x776172642d73636f70652d7633'::bytea /* 'ward-scope-v3' */
                                                        || convert_to(right(m.v, -64), 'UTF8') || int8send(pg_backend_pid())), 'hex'))
                    THEN width_bucket(date_part('epoch', CURRENT_TIMESTAMP) - split_part(m.v, E'\n', 5)::float8, -40, 0, 1) = 1
                    ELSE false END AS verified
          FROM public.ward_scope_keys k,
               (SELECT current_setting('ward.scope', true) AS v, current_setting('ward.elevated_scopes', true) AS asked) m) s;

SET LOCAL ROLE ward_owner;
