-- An audit row no longer checks its tenant row on insert (R-AUDIT-1, R-AUDIT-2, R-OPS-1; issue 31;
-- docs/audit.md "Fifth pass").
--
-- audit_events.tenant_id REFERENCES tenants (0003) made PostgreSQL run, for every audit row inserted,
-- a query of its own (SELECT 1 FROM tenants … FOR KEY SHARE, through SPI) and lock the tenant's row:
-- every access's record, and every row of the audit writer's batches, locked the same row of its
-- tenant, so concurrent writers shared it through a MultiXact. Measured on PostgreSQL 15 in the
-- writer's batch (copies of the table with and without the key, batches of 10, backend CPU): about
-- 10 us of a row's 110.
--
-- What the key guaranteed, and what guarantees it now:
--   * an event names a tenant that exists: an event is inserted only by ward_app in a scoped
--     transaction (the policy tenant_append, 0019: the tenant of a scope the server made for a tenant it
--     read from this table) or by the batch functions (0073, 0102, 0105: the tenant of an event the key's
--     holder vouched for, in the same way); the audit trail never names a tenant ward_app made up.
--   * a tenant with audit events cannot be deleted, nor its id changed (the trail would lose its
--     owner): the triggers below refuse it, as the key did (23503). Only the owner may delete tenants.
-- The one difference: a tenant deleted while an event of it is being inserted and not yet committed
-- is not held back by that event (the key would have waited for it). Tenants are not deleted while
-- they serve requests; audit_seals (0085) has no foreign key either, for the same reason.

ALTER TABLE audit_events DROP CONSTRAINT audit_events_tenant_id_fkey;

CREATE FUNCTION ward_tenant_keeps_audit_trail() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- audit_events_time (tenant_id, occurred_at): one index probe. The owner bypasses row-level security.
  IF EXISTS (SELECT 1 FROM public.audit_events e WHERE e.tenant_id = OLD.id) THEN
    RAISE EXCEPTION 'the tenant has audit events: it cannot be deleted or renumbered' USING ERRCODE = '23503';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
REVOKE ALL ON FUNCTION ward_tenant_keeps_audit_trail() FROM PUBLIC;

CREATE TRIGGER tenants_keep_audit_trail_delete BEFORE DELETE ON tenants
  FOR EACH ROW EXECUTE FUNCTION ward_tenant_keeps_audit_trail();
CREATE TRIGGER tenants_keep_audit_trail_renumber BEFORE UPDATE OF id ON tenants
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION ward_tenant_keeps_audit_trail();
