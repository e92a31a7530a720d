-- R-MON-2: `ward audit trace --member` finds what an AI agent did on a member's behalf (R-WORK-3) as
-- fast as what the member did (audit_events_actor, 0003), on a million events.
CREATE INDEX audit_events_on_behalf_of ON audit_events (tenant_id, on_behalf_of, occurred_at) WHERE on_behalf_of IS NOT NULL;
