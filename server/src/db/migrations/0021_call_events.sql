-- Signed call events from the voice platform (R-WORK-4): a call records the workload that reported it
-- and the AI agent workload handling it (the MCP server authorizes an agent's tool calls on the call
-- it handles). The composite foreign keys keep both in the call's own tenant: a call can never name
-- another tenant's workload. A deleted workload leaves the call without one.
ALTER TABLE calls ADD COLUMN handled_by_workload uuid;
ALTER TABLE calls ADD COLUMN reported_by_workload uuid;
ALTER TABLE calls ADD CONSTRAINT calls_handled_by_workload
  FOREIGN KEY (tenant_id, handled_by_workload) REFERENCES workloads (tenant_id, id) ON DELETE SET NULL (handled_by_workload);
ALTER TABLE calls ADD CONSTRAINT calls_reported_by_workload
  FOREIGN KEY (tenant_id, reported_by_workload) REFERENCES workloads (tenant_id, id) ON DELETE SET NULL (reported_by_workload);
CREATE INDEX calls_handled_by_workload ON calls (tenant_id, handled_by_workload) WHERE handled_by_workload IS NOT NULL;
