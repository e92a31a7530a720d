-- A 42 CFR Part 2 disclosure to an AI model vendor is in the patient's accounting of disclosures
-- (R-AUDIT-1, R-AUTHZ-4, R-AI-1; 45 CFR 164.528, 42 CFR 2.31; docs/disclosures.md, docs/ai.md): an AI
-- task that sends a SUD-Part2 patient's data, with substance-use content unlocked by the patient's
-- consent, to a vendor outside Ward inserts one `disclosures` row in the decision's transaction, before
-- anything leaves. The row names the task (`ai_task_id`, the draft's id; no foreign key: the draft is
-- deleted by its retention rule while the accounting is kept six years) instead of an export.
ALTER TABLE disclosures ADD COLUMN ai_task_id uuid;
ALTER TABLE disclosures ADD CONSTRAINT disclosures_export_or_ai_task CHECK (export_id IS NULL OR ai_task_id IS NULL);
CREATE UNIQUE INDEX disclosures_ai_task ON disclosures (tenant_id, ai_task_id) WHERE ai_task_id IS NOT NULL;
