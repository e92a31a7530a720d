-- The audit writer's superseded insert paths are dropped (R-AUDIT-2, R-AUTHZ-7; issue 31; docs/audit.md
-- "Why the batch cannot be abused").
--
-- Since 0105 a grouped read's record is vouched for by the server with the scope key and inserted only
-- by ward_audit_append_vouched_v3; both engines' transactions vouch, and nothing in the server calls
-- the older paths any more:
--   * ward_audit_append_vouched (0102): one MAC a line over the event and the read's recomputed scope
--     MAC; superseded by 0105 (a server of the release before 0105 would still call it: it is one
--     release behind now);
--   * ward_audit_event_issue (0073) and ward_audit_event_mac (0098): the MAC of an event issued by the
--     database inside a transaction whose scope MAC verifies, for an engine whose transaction could
--     not vouch; with ward_audit_append_batch (0073, 0093), which inserted those events, and
--     ward_audit_record_mac (0073), their shared MAC.
-- Left executable, the database's issue was the one way a statement injected into a scoped
-- transaction had to get a record MAC'd (of its own tenant and actor, which its insert policy already
-- lets it write). Dropped, every audit row ward_app writes goes through the insert policy of its
-- verified scope (tenant_append) or through a voucher only the key's holders can make.
-- ward_audit_record (the type) stays: 0105's function reads each line into it.

SET LOCAL ROLE ward_definer;

DROP FUNCTION ward_audit_append_vouched(text);
DROP FUNCTION ward_audit_append_batch(jsonb);
DROP FUNCTION ward_audit_event_issue(jsonb);
DROP FUNCTION ward_audit_event_mac(jsonb);
DROP FUNCTION ward_audit_record_mac(ward_audit_record, integer, bigint, bytea, bytea);

SET LOCAL ROLE ward_owner;
