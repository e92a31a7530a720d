-- One index entry fewer for every audit event written (R-AUDIT-2, R-AUDIT-3; issue 31). The
-- UNIQUE (tenant_id, seq) of 0003 also indexed the NULL seq of every unsealed row, so each access's
-- INSERT wrote an entry nobody reads (NULLs are never equal, so it enforced nothing for them). A
-- partial unique index over sealed rows enforces the same uniqueness for every seq the sealer
-- assigns, and every query by seq (`seq = …`, `seq > …`, `seq IS NOT NULL`) implies its predicate.
CREATE UNIQUE INDEX audit_events_tenant_seq ON audit_events (tenant_id, seq) WHERE seq IS NOT NULL;
ALTER TABLE audit_events DROP CONSTRAINT audit_events_tenant_id_seq_key;
