-- 42 CFR Part 2 consents through the API, and exports of recordings (R-AUTHZ-3, R-AUDIT-1; 42 CFR 2.31; docs/disclosures.md):
-- the application records and revokes consents in the guard's transaction, as `consent.manage` on
-- the patient, under the row-level security of 0028 (the verified tenant and a granted PHI scope).
-- It may insert a consent and set its revocation, nothing else: no other column changes, no row is
-- deleted, and a revocation is final (the trigger refuses to change or clear it).
GRANT INSERT ON part2_consents TO ward_app;
GRANT UPDATE (revoked_at, revoked_by) ON part2_consents TO ward_app;

CREATE FUNCTION ward_part2_consent_revocation_final() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF OLD.revoked_at IS NOT NULL THEN
    RAISE EXCEPTION 'a revoked Part 2 consent stays revoked' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.id <> OLD.id OR NEW.tenant_id <> OLD.tenant_id OR NEW.patient_id <> OLD.patient_id OR NEW.purpose <> OLD.purpose
     OR NEW.recipient_enc <> OLD.recipient_enc OR NEW.recorded_at <> OLD.recorded_at OR NEW.recorded_by <> OLD.recorded_by THEN
    RAISE EXCEPTION 'a Part 2 consent is changed only by its revocation' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER part2_consents_revocation_final BEFORE UPDATE ON part2_consents
  FOR EACH ROW EXECUTE FUNCTION ward_part2_consent_revocation_final();

-- A call's recording is exported too (as Patient and Transcript in 0028): a disclosure like the others.
ALTER TABLE exports DROP CONSTRAINT exports_target_type_check;
ALTER TABLE exports ADD CONSTRAINT exports_target_type_check CHECK (target_type IN ('Patient', 'Transcript', 'Recording'));
