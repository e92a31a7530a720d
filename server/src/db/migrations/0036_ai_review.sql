-- R-AI-4, R-AI-5: the human review gate of AI drafts and what the output scan found.
--   status                 every draft is `pending` until a person confirms, edits or rejects it
--                          (POST /v1/ai/drafts/:id/review); only `confirmed` or `edited` may be used.
--   restricted_categories  the restricted categories the output scan found (diagnosis, treatment,
--                          behavioral-health, substance-use): writing such a draft into a case note
--                          needs caseNote.writeRestricted and a step-up.
--   review                 PHI-free facts of the review: decision, edit size in characters, edit ratio.
--   case_note_id           the case note a confirmed or edited case-note draft became.
-- case_notes.ai_draft_id names the draft a note came from; the trigger refuses a note from a draft
-- that is not a reviewed case-note draft of the same tenant and call, whatever the application does.
ALTER TABLE ai_drafts DROP CONSTRAINT ai_drafts_status_check;
UPDATE ai_drafts SET status = 'pending' WHERE status = 'draft';
ALTER TABLE ai_drafts ALTER COLUMN status SET DEFAULT 'pending';
ALTER TABLE ai_drafts ADD CONSTRAINT ai_drafts_status_check CHECK (status IN ('pending', 'confirmed', 'edited', 'rejected'));
ALTER TABLE ai_drafts
  ADD COLUMN restricted_categories text[] NOT NULL DEFAULT '{}',
  ADD COLUMN review jsonb,
  ADD COLUMN case_note_id uuid;
CREATE INDEX ai_drafts_template_status ON ai_drafts (tenant_id, template_id, status);

ALTER TABLE case_notes ADD COLUMN ai_draft_id uuid;

CREATE FUNCTION ward_case_note_from_reviewed_draft() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.ai_draft_id IS NULL THEN
    RETURN NEW;
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM ai_drafts d
     WHERE d.tenant_id = NEW.tenant_id AND d.id = NEW.ai_draft_id AND d.kind = 'case_note'
       AND d.status IN ('confirmed', 'edited') AND d.call_id IS NOT DISTINCT FROM NEW.call_id
  ) THEN
    RAISE EXCEPTION 'a case note comes only from a reviewed case-note draft' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER case_notes_from_reviewed_draft BEFORE INSERT OR UPDATE OF ai_draft_id ON case_notes
  FOR EACH ROW EXECUTE FUNCTION ward_case_note_from_reviewed_draft();
