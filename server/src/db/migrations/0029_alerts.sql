-- The alerts outbox (R-MON-1, R-WORK-4): other modules write an alert in their own transaction; the
-- leased delivery job (modules/alerts/job-delivery.ts, as the migration owner's systemDb) sends it
-- signed (RFC 9421), retries with back-off, and records the outcome: delivery status per alert, and a
-- dead-letter record when it gave up. Alerts carry PHI-free facts only (R-DATA-4).
CREATE TABLE alerts (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind            text NOT NULL CHECK (kind ~ '^[a-z][A-Za-z0-9._-]{0,63}$'),
  severity        text NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  facts           jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(facts) = 'object'),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead_letter')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status     integer,
  last_error      text CHECK (length(last_error) <= 64),
  delivered_at    timestamptz,
  dead_at         timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
CREATE INDEX alerts_due ON alerts (next_attempt_at, created_at) WHERE status = 'pending';
CREATE INDEX alerts_tenant ON alerts (tenant_id, created_at DESC);

CREATE TABLE alert_dead_letters (
  alert_id    uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  attempts    integer NOT NULL,
  last_status integer,
  last_error  text,
  dead_at     timestamptz NOT NULL,
  FOREIGN KEY (tenant_id, alert_id) REFERENCES alerts (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE alerts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON alerts
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));
ALTER TABLE alert_dead_letters ENABLE ROW LEVEL SECURITY;
ALTER TABLE alert_dead_letters FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON alert_dead_letters
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));

-- The application writes alerts and reads their status; only the delivery job changes them.
GRANT SELECT, INSERT ON alerts TO ward_app;
GRANT SELECT ON alert_dead_letters TO ward_app;
