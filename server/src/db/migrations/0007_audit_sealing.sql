-- Sealing the audit trail (R-AUDIT-3; docs/audit.md). The application inserts events with seq NULL
-- (0003); one sealer, holding the lease 'audit-sealer', assigns each tenant's gap-free seq in commit
-- order, writes the event's RFC 9162 leaf hash and its chain hash beside it, stores the tree's inner
-- nodes and a signed tree head per batch. The sealer runs as the owner (systemDb); ward_app may only
-- read what the sealer wrote, and may no longer supply seq, hashes or timestamps when it inserts.

ALTER TABLE audit_events
  ADD COLUMN leaf_hash  bytea CHECK (octet_length(leaf_hash) = 32),
  ADD COLUMN chain_hash bytea CHECK (octet_length(chain_hash) = 32),
  ADD COLUMN sealed_at  timestamptz,
  ADD CONSTRAINT audit_events_seq_positive CHECK (seq >= 1),
  -- A row is sealed all at once or not at all.
  ADD CONSTRAINT audit_events_sealed_whole CHECK (
    (seq IS NULL AND leaf_hash IS NULL AND chain_hash IS NULL AND sealed_at IS NULL)
    OR (seq IS NOT NULL AND leaf_hash IS NOT NULL AND chain_hash IS NOT NULL AND sealed_at IS NOT NULL));

-- R-AUDIT-3: an inserted event is unsealed and stamped by the database clock; only the sealer sets
-- seq and the hashes, so the application cannot forge a sealed-looking row or backdate one.
REVOKE INSERT ON audit_events FROM ward_app;
GRANT INSERT (tenant_id, actor_kind, actor_id, on_behalf_of, session_id, device_id, source_ip, action, target_type,
              target_id, phi_scope, decision, policy_ids, reasons, purpose, justification_enc, outcome, metadata)
  ON audit_events TO ward_app;

-- The inner nodes (level >= 1) of each tenant's Merkle tree: node (level, node_index) is the root of
-- the perfect subtree of 2^level leaves starting at leaf node_index * 2^level. Level 0 (the leaves)
-- is audit_events.leaf_hash at seq = node_index + 1, not copied here. A node never changes.
CREATE TABLE audit_tree_nodes (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  level      smallint NOT NULL CHECK (level BETWEEN 1 AND 63),
  node_index bigint NOT NULL CHECK (node_index >= 0),
  hash       bytea NOT NULL CHECK (octet_length(hash) = 32),
  PRIMARY KEY (tenant_id, level, node_index)
);

-- Signed tree heads, as signed (base64url text and the signed timestamp text, never re-formatted).
-- Each is also published outside the database (a directory, an HTTP witness); published_at records
-- that, so a head signed just before a crash is published after it.
CREATE TABLE audit_tree_heads (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  tree_size    bigint NOT NULL CHECK (tree_size >= 0),
  root_hash    text NOT NULL,
  signed_at    text NOT NULL,
  key_id       text NOT NULL,
  signature    text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  published_at timestamptz,
  PRIMARY KEY (tenant_id, tree_size)
);
CREATE INDEX audit_tree_heads_unpublished ON audit_tree_heads (tenant_id, tree_size) WHERE published_at IS NULL;

ALTER TABLE audit_tree_nodes ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_tree_nodes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_tree_nodes
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid);
ALTER TABLE audit_tree_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_tree_heads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_tree_heads
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid);

-- Read-only for the application (proofs and heads served by the API); the sealer writes as owner.
GRANT SELECT ON audit_tree_nodes, audit_tree_heads TO ward_app;

-- Leases for jobs that must run once across servers (here the audit sealer). The same table as the
-- retention job's (0006): created here only when that migration has not made it. Not tenant data:
-- only the owner connection uses it; RLS is enabled with no policy, so any other role sees nothing.
CREATE TABLE IF NOT EXISTS leases (
  name       text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
  holder     text NOT NULL,
  expires_at timestamptz NOT NULL
);
ALTER TABLE leases ENABLE ROW LEVEL SECURITY;
