-- find_patient is no date-of-birth oracle (R-AI-6, R-AUTHN-1): a voice agent's failed look-ups of the
-- call's patient are counted per call, as verify_caller's failures are, and the fifth locks the call
-- (`locked_at`, the lock verify_caller sets): from then on neither tool answers on it and a person
-- takes the call. Before, a caller whose number the voice platform took for a patient's could have the
-- agent try dates of birth until one matched, and learn it with the patient's initials.
ALTER TABLE call_verifications ADD COLUMN lookup_failures integer NOT NULL DEFAULT 0 CHECK (lookup_failures >= 0);
