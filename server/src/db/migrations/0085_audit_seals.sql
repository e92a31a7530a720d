-- Audit rows are written once (R-AUDIT-2, R-AUDIT-3; issue 31; docs/audit.md "Sealing in the
-- database"). Until now the sealer sealed an event by UPDATE audit_events SET seq, leaf_hash,
-- chain_hash, sealed_at: seq is indexed, so no update was HOT and every event was written twice, with
-- all its index entries. The seal now goes to its own append-only table, audit_seals, one row per
-- sealed event; audit_events rows never change after their insert.
--
-- Finding the unsealed events without an index that changes: every event records the transaction
-- that inserted it (xact, the default pg_current_xact_id(), not grantable to ward_app). The sealer
-- takes a tenant's events in (xact, occurred_at, id) order after its last sealed one, and only those
-- with xact below its snapshot's xmin (every such transaction has ended, committed or aborted): no
-- transaction can commit a row below that bound later, so a row is never skipped, and seqs are never
-- assigned below one already sealed. Events sealed before this migration keep xact 0 (a constant
-- default, no table rewrite); events committed but not sealed yet take this migration's xact, so
-- they come after every sealed one.
--
-- audit_seals has no foreign keys: a per-row check would lock the tenant or event row (FOR KEY SHARE)
-- for every seal, writing to audit_events again. The sealer (owner) is its only writer; the
-- verifier joins seals to events and recomputes every leaf, so a seal naming the wrong event fails.

CREATE TABLE audit_seals (
  tenant_id  uuid NOT NULL,
  seq        bigint NOT NULL CHECK (seq >= 1),
  event_id   uuid NOT NULL UNIQUE,
  leaf_hash  bytea NOT NULL CHECK (octet_length(leaf_hash) = 32),
  chain_hash bytea NOT NULL CHECK (octet_length(chain_hash) = 32),
  sealed_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);

INSERT INTO audit_seals (tenant_id, seq, event_id, leaf_hash, chain_hash, sealed_at)
  SELECT tenant_id, seq, id, leaf_hash, chain_hash, sealed_at FROM audit_events WHERE seq IS NOT NULL;

ALTER TABLE audit_events ADD COLUMN xact xid8 NOT NULL DEFAULT '0';
UPDATE audit_events SET xact = pg_current_xact_id() WHERE seq IS NULL;
ALTER TABLE audit_events ALTER COLUMN xact SET DEFAULT pg_current_xact_id();

DROP INDEX audit_events_unsealed;
DROP INDEX audit_events_tenant_seq;
ALTER TABLE audit_events
  DROP CONSTRAINT audit_events_sealed_whole,
  DROP CONSTRAINT audit_events_seq_positive,
  DROP COLUMN seq,
  DROP COLUMN leaf_hash,
  DROP COLUMN chain_hash,
  DROP COLUMN sealed_at;
-- The sealer's keyset: written once, with the row.
CREATE INDEX audit_events_seal_order ON audit_events (tenant_id, xact, occurred_at, id);

-- R-AUDIT-3: ward_app reads the seals of its verified tenant and writes none (like audit_tree_nodes).
ALTER TABLE audit_seals ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_seals FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_seals USING (tenant_id = (SELECT ward_scope_tenant()));
GRANT SELECT ON audit_seals TO ward_app;
