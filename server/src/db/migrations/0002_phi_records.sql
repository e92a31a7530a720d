-- PHI records: patients, calls, recordings, transcripts and utterances, AI drafts, case notes
-- (R-AUTHZ-7). Every row carries its tenant and a NOT NULL phi_scope; row-level security filters on
-- both. A call whose caller is not yet identified carries the tenant's most restrictive default
-- scope. A patient's scope follows to everything about the patient: the composite foreign keys
-- (tenant_id, id, phi_scope) with ON UPDATE CASCADE keep the scope of calls, recordings,
-- transcripts, utterances, drafts and notes equal to their parent's, and make a row that points
-- into another tenant or scope impossible to write.

CREATE TABLE patients (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  phi_scope       text NOT NULL CHECK (phi_scope IN ('Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental')),
  mrn             text NOT NULL,
  member_number   text,
  given_name      text NOT NULL,
  family_name     text NOT NULL,
  date_of_birth   date NOT NULL,
  sex             text CHECK (sex IN ('F', 'M', 'X')),
  phone           text,
  email           text,
  address_line    text,
  city            text,
  state           text,
  zip             text,
  ssn             text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id, phi_scope),
  UNIQUE (tenant_id, mrn)
);

CREATE TABLE calls (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  phi_scope      text NOT NULL CHECK (phi_scope IN ('Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental')),
  patient_id     uuid,
  direction      text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  from_number    text,
  handled_by     text NOT NULL DEFAULT 'agent' CHECK (handled_by IN ('agent', 'ai_agent')),
  started_at     timestamptz NOT NULL,
  ended_at       timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id, phi_scope),
  FOREIGN KEY (tenant_id, patient_id, phi_scope) REFERENCES patients (tenant_id, id, phi_scope)
    ON UPDATE CASCADE ON DELETE RESTRICT
);
CREATE INDEX calls_patient ON calls (tenant_id, patient_id, started_at DESC);
CREATE INDEX calls_started ON calls (tenant_id, started_at DESC);

CREATE TABLE recordings (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL,
  phi_scope   text NOT NULL,
  call_id     uuid NOT NULL,
  format      text NOT NULL DEFAULT 'audio/wav',
  duration_ms integer NOT NULL CHECK (duration_ms >= 0),
  byte_length bigint,
  audio       bytea,
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, call_id, phi_scope) REFERENCES calls (tenant_id, id, phi_scope)
    ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX recordings_call ON recordings (tenant_id, call_id);

CREATE TABLE transcripts (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL,
  phi_scope  text NOT NULL,
  call_id    uuid NOT NULL UNIQUE,
  language   text NOT NULL DEFAULT 'en-US',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id, phi_scope),
  FOREIGN KEY (tenant_id, call_id, phi_scope) REFERENCES calls (tenant_id, id, phi_scope)
    ON UPDATE CASCADE ON DELETE CASCADE
);

CREATE TABLE utterances (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid NOT NULL,
  phi_scope     text NOT NULL,
  transcript_id uuid NOT NULL,
  seq           integer NOT NULL CHECK (seq >= 0),
  speaker       text NOT NULL CHECK (speaker IN ('agent', 'caller', 'ai_agent')),
  start_ms      integer NOT NULL CHECK (start_ms >= 0),
  end_ms        integer NOT NULL CHECK (end_ms >= start_ms),
  text          text NOT NULL,
  UNIQUE (transcript_id, seq),
  FOREIGN KEY (tenant_id, transcript_id, phi_scope) REFERENCES transcripts (tenant_id, id, phi_scope)
    ON UPDATE CASCADE ON DELETE CASCADE
);

CREATE TABLE ai_drafts (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL,
  phi_scope        text NOT NULL,
  call_id          uuid NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('summary', 'message', 'case_note')),
  template_id      text NOT NULL,
  template_version integer NOT NULL,
  model            text NOT NULL,
  vendor           text NOT NULL,
  body             text NOT NULL,
  status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'confirmed', 'edited', 'rejected')),
  created_by       text NOT NULL,
  reviewed_by      uuid,
  reviewed_at      timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, call_id, phi_scope) REFERENCES calls (tenant_id, id, phi_scope)
    ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX ai_drafts_call ON ai_drafts (tenant_id, call_id);

CREATE TABLE case_notes (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL,
  phi_scope  text NOT NULL,
  patient_id uuid NOT NULL,
  call_id    uuid,
  author_id  uuid NOT NULL,
  body       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, patient_id, phi_scope) REFERENCES patients (tenant_id, id, phi_scope)
    ON UPDATE CASCADE ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, author_id) REFERENCES members (tenant_id, id)
);
CREATE INDEX case_notes_patient ON case_notes (tenant_id, patient_id, created_at DESC);

-- One policy per PHI table: the tenant, and a PHI scope among those granted to the transaction.
ALTER TABLE patients ENABLE ROW LEVEL SECURITY;
ALTER TABLE patients FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_and_scope ON patients
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid
         AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ',')))
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid
         AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ',')));

ALTER TABLE calls ENABLE ROW LEVEL SECURITY;
ALTER TABLE calls FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_and_scope ON calls
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid
         AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ',')))
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid
         AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ',')));

ALTER TABLE recordings ENABLE ROW LEVEL SECURITY;
ALTER TABLE recordings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_and_scope ON recordings
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid
         AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ',')))
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid
         AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ',')));

ALTER TABLE transcripts ENABLE ROW LEVEL SECURITY;
ALTER TABLE transcripts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_and_scope ON transcripts
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid
         AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ',')))
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid
         AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ',')));

ALTER TABLE utterances ENABLE ROW LEVEL SECURITY;
ALTER TABLE utterances FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_and_scope ON utterances
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid
         AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ',')))
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid
         AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ',')));

ALTER TABLE ai_drafts ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_drafts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_and_scope ON ai_drafts
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid
         AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ',')))
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid
         AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ',')));

ALTER TABLE case_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_notes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_and_scope ON case_notes
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid
         AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ',')))
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid
         AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ',')));

GRANT SELECT, INSERT, UPDATE, DELETE ON patients, calls, recordings, transcripts, utterances,
  ai_drafts, case_notes TO ward_app;
