-- Detections over the sealed audit trail (R-MON-1), containment records (R-GOV-5: time to contain)
-- and the SIEM stream's cursor (R-AUDIT-4). The detector runs as the migration owner (systemDb)
-- inside the audit sealer's lease; the application reads detections of its tenant and triages them
-- (state and note), nothing else.
CREATE TABLE detections (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  rule_id           text NOT NULL CHECK (rule_id ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  severity          text NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  principal_kind    text,
  principal_id      text,
  session_id        uuid,
  device_id         uuid,
  -- The triggering events, by seq (at most 1,000 kept; `event_count` counts them all).
  event_seqs        bigint[] NOT NULL CHECK (cardinality(event_seqs) BETWEEN 1 AND 1000),
  event_count       integer NOT NULL DEFAULT 1 CHECK (event_count >= 1),
  trigger_seq       bigint NOT NULL,
  first_occurred_at timestamptz NOT NULL,
  last_occurred_at  timestamptz NOT NULL,
  -- PHI-free: the rule's title and counts, never event contents.
  summary           text NOT NULL CHECK (length(summary) <= 300),
  state             text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'closed')),
  note              text CHECK (length(note) <= 2000),
  acknowledged_by   text,
  acknowledged_at   timestamptz,
  closed_by         text,
  closed_at         timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (state <> 'closed' OR (closed_at IS NOT NULL AND note IS NOT NULL)),
  UNIQUE (tenant_id, rule_id, trigger_seq),
  UNIQUE (tenant_id, id)
);
CREATE INDEX detections_tenant ON detections (tenant_id, created_at DESC);
CREATE INDEX detections_open_principal ON detections (tenant_id, principal_id) WHERE state <> 'closed';

ALTER TABLE detections ENABLE ROW LEVEL SECURITY;
ALTER TABLE detections FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON detections
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));
GRANT SELECT ON detections TO ward_app;
GRANT UPDATE (state, note, acknowledged_by, acknowledged_at, closed_by, closed_at) ON detections TO ward_app;

-- The last seq each tenant's detector has evaluated: detection resumes there after a restart.
CREATE TABLE detection_cursors (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  last_seq  bigint NOT NULL CHECK (last_seq >= 0)
);
ALTER TABLE detection_cursors ENABLE ROW LEVEL SECURITY;
ALTER TABLE detection_cursors FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON detection_cursors
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));

-- Containment (R-GOV-5): a session revoked (`ward session revoke … --detection <id>`), linked to the
-- detection that prompted it, so that detection → containment time is known.
CREATE TABLE containments (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  detection_id uuid,
  kind         text NOT NULL CHECK (kind IN ('session_revoke')),
  subject_id   text NOT NULL,
  actor_id     text NOT NULL,
  contained_at timestamptz NOT NULL,
  FOREIGN KEY (tenant_id, detection_id) REFERENCES detections (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX containments_detection ON containments (tenant_id, detection_id) WHERE detection_id IS NOT NULL;
ALTER TABLE containments ENABLE ROW LEVEL SECURITY;
ALTER TABLE containments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON containments
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));
GRANT SELECT ON containments TO ward_app;

-- The SIEM stream (R-AUDIT-4): per sink and tenant, the last seq delivered.
CREATE TABLE siem_cursors (
  sink      text NOT NULL CHECK (length(sink) BETWEEN 1 AND 200),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  last_seq  bigint NOT NULL CHECK (last_seq >= 0),
  PRIMARY KEY (sink, tenant_id)
);
ALTER TABLE siem_cursors ENABLE ROW LEVEL SECURITY;
ALTER TABLE siem_cursors FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON siem_cursors
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));

-- R-MON-2: a device's investigation (everything done from it) by index, like a session's.
CREATE INDEX audit_events_device ON audit_events (tenant_id, device_id, occurred_at) WHERE device_id IS NOT NULL;
