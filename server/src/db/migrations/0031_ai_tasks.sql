-- R-AI-1, R-AI-7, R-DATA-5: an AI task and its draft are one row of ai_drafts (the task id is the
-- draft id). The row records the guard intent it answers, its state (`ready`, or `fallback` when the
-- gateway failed closed and the body is the template's manual-workflow guidance), PHI-free facts of
-- the outcome (vendor, input classes, pseudonym counts, tokens, latency), and the pseudonym map
-- (surrogate -> original) encrypted under the tenant's data key. Retention of ai_drafts covers the
-- map: deleting the draft deletes it, de-identifying the draft drops it (server/src/modules/retention).
ALTER TABLE ai_drafts DROP CONSTRAINT ai_drafts_kind_check;
ALTER TABLE ai_drafts ADD CONSTRAINT ai_drafts_kind_check CHECK (kind IN ('summary', 'message', 'case_note', 'category'));
ALTER TABLE ai_drafts
  ADD COLUMN intent_id uuid,
  ADD COLUMN state text NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'fallback')),
  ADD COLUMN facts jsonb NOT NULL DEFAULT '{}'::jsonb,
  ADD COLUMN pseudonym_map_enc bytea;
