-- Three of the audit table's value checks as domains instead of table CHECK constraints (R-AUDIT-2,
-- R-OPS-1; issue 31; docs/audit.md "Eighth pass").
--
-- A table's CHECK constraints are stored as node text (pg_constraint.conbin) that PostgreSQL reads back
-- and plans again at the start of every statement that inserts into the table, before any row
-- (stringToNode, then expression planning): measured by callgrind, ~110,000 instructions a statement
-- for actor_kind, decision and phi_scope, whatever its rows. A domain's constraints are read and
-- planned once per connection (the type cache) and only evaluated for each value. Every audit
-- statement inserts: the writer's batches (0112) and every audit.append.
--
-- The rule is unchanged: the three columns take the same values, refused with the same SQLSTATE
-- (23514, check_violation; the constraint's name is now the domain's). Nothing is rewritten or
-- rebuilt: each column first becomes a domain with no constraint (binary coercible from text: the
-- table and its indexes are kept as they are), the domain's check is added NOT VALID (enforced on
-- every value written from then on; the rows already there are not scanned again, and the table's
-- own checks, dropped in the same transaction, held for every one of them), then the table's checks
-- are dropped. The one policy that names one of the columns (tenant_append, on actor_kind) is dropped
-- for the change and created again as it was. outcome keeps its table check: it is named in the
-- predicate of audit_events_actor_unsuccessful, which a change of its type would rebuild by reading
-- the whole table under an exclusive lock (every audited access would wait for it).
-- Clients see text: a domain column is described by its base type.

CREATE DOMAIN ward_audit_actor_kind AS text;
CREATE DOMAIN ward_audit_decision AS text;
CREATE DOMAIN ward_audit_phi_scope AS text;

DO $$
DECLARE
  p record;
BEGIN
  SELECT policyname, permissive, roles, cmd, qual, with_check INTO STRICT p
    FROM pg_policies WHERE schemaname = 'public' AND tablename = 'audit_events' AND policyname = 'tenant_append';
  IF p.cmd <> 'INSERT' OR p.qual IS NOT NULL OR p.permissive <> 'PERMISSIVE' OR p.roles <> ARRAY['public']::name[] THEN
    RAISE EXCEPTION 'tenant_append is not the policy this migration was written for';
  END IF;
  DROP POLICY tenant_append ON audit_events;
  ALTER TABLE audit_events
    ALTER COLUMN actor_kind TYPE ward_audit_actor_kind, ALTER COLUMN decision TYPE ward_audit_decision,
    ALTER COLUMN phi_scope TYPE ward_audit_phi_scope;
  EXECUTE format('CREATE POLICY tenant_append ON audit_events FOR INSERT WITH CHECK (%s)', p.with_check);
END
$$;

ALTER DOMAIN ward_audit_actor_kind ADD CONSTRAINT ward_audit_actor_kind_check
  CHECK (VALUE IN ('human', 'ai_agent', 'service', 'ai_agent_for_human', 'system')) NOT VALID;
ALTER DOMAIN ward_audit_decision ADD CONSTRAINT ward_audit_decision_check CHECK (VALUE IN ('allow', 'deny')) NOT VALID;
ALTER DOMAIN ward_audit_phi_scope ADD CONSTRAINT ward_audit_phi_scope_check
  CHECK (VALUE IN ('Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental')) NOT VALID;

ALTER TABLE audit_events
  DROP CONSTRAINT audit_events_actor_kind_check, DROP CONSTRAINT audit_events_decision_check,
  DROP CONSTRAINT audit_events_phi_scope_check;
