import type { CallQueueReply, CallReply, CaseNoteListReply, MeReply, PatientReply, RecordingReply, TranscriptReply } from '@ward/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api.ts';
import { useGet } from '../data.ts';
import { Guarded, headersOf } from '../guarded.tsx';
import { Link } from '../router.tsx';
import { describeError, useStatus } from '../status.tsx';
import { AiDrafts } from './ai-drafts.tsx';
import { RecordingPlayer } from './recording-player.tsx';
import { queueKey } from './call-queue.tsx';

const FIELD_NAMES: Array<[keyof PatientReply, string]> = [
  ['givenName', 'Given name'], ['familyName', 'Family name'], ['mrn', 'MRN'], ['memberNumber', 'Member number'], ['phone', 'Phone'], ['email', 'E-mail'],
  ['dateOfBirth', 'Date of birth'], ['addressLine', 'Address'], ['city', 'City'], ['zip', 'ZIP'], ['ssn', 'SSN'],
];

function PatientFields({ p, revealed }: { p: PatientReply; revealed?: PatientReply }) {
  return (
    <dl className="patient">
      {FIELD_NAMES.map(([f, label]) => {
        const shown = revealed && f in revealed ? revealed[f] : p[f];
        const masked = shown === undefined && (p.masked.includes(f as string) || (revealed?.masked.includes(f as string) ?? false));
        if (shown === undefined && !masked) return null;
        return (
          <div key={f as string}>
            <dt>{label}</dt>
            <dd data-field={f as string} className={masked ? 'masked' : undefined}>{masked ? 'masked' : (shown as string | null) ?? '—'}</dd>
          </div>
        );
      })}
    </dl>
  );
}

/** R-UX-1, R-DATA-3: the screen pop of one call: the patient masked by default, Reveal under the policy's obligations. */
export function ScreenPop({ me, callId }: { me: MeReply; callId: string }) {
  const managed = me.device?.posture === 'managed';
  // The call from the queue already loaded (no request: the screen pop's speed), else GET /v1/calls/:id.
  const client = useQueryClient();
  const one = useQuery({
    queryKey: ['call', callId],
    queryFn: () => api<CallReply>('GET', `/v1/calls/${callId}`, undefined, { stepUp: false, headers: { 'ward-purpose': 'TREAT' } }),
    initialData: () => client.getQueryData<CallQueueReply>(queueKey)?.calls.find((c) => c.id === callId),
    enabled: managed,
  });
  const call = one.data;
  const patientId = call?.patientId ?? null;
  const patient = useGet<PatientReply>(['patient', patientId], patientId ? `/v1/patients/${patientId}` : null, { 'ward-purpose': 'TREAT' });
  const [revealed, setRevealed] = useState<PatientReply>();
  useEffect(() => {
    if (!patient.data) return;
    // R-UX-1 quality goal: the first screen pop under 1 s (measured from the queue's link).
    if (performance.getEntriesByName('screen-pop-start').length) performance.measure('screen-pop', 'screen-pop-start');
  }, [patient.data]);

  if (!managed) return <h1>Screen pop</h1>;
  if (one.error) return <p className="notice denied" data-code={describeError(one.error).code}>{describeError(one.error).text} <Link href="/agent">Back to the queue</Link></p>;
  if (!call) return <p>Loading the call…</p>;
  return (
    <div className="screen-pop">
      <h1>Screen pop <span className="muted">call {call.id.slice(0, 8)}, {new Date(call.startedAt).toLocaleString()}</span></h1>
      <section aria-labelledby="caller-title" className="card">
        <h2 id="caller-title">Caller</h2>
        {!patientId && <p>The caller is not matched to a patient.</p>}
        {patient.error && <p className="notice denied" data-code={describeError(patient.error).code}>{describeError(patient.error).text}</p>}
        {patient.data && (
          <div data-ready="patient">
            <PatientFields p={patient.data} revealed={revealed} />
            {!revealed && (
              <Guarded label="Reveal" id="reveal" run={async (ask) => setRevealed(await api<PatientReply>('GET', `/v1/patients/${patientId}/sensitive`, undefined, { stepUp: false, headers: headersOf(ask) }))} />
            )}
          </div>
        )}
      </section>
      {/* The caller first (the screen pop's point); the rest asks the server once the caller is shown. */}
      {(patient.data || !patientId) && (
        <>
          <Transcript callId={call.id} />
          <section aria-labelledby="recording-title" className="card">
            <h2 id="recording-title">Recording</h2>
            {call.recordingId ? <RecordingSection id={call.recordingId} /> : <p>No recording for this call.</p>}
          </section>
          {patientId && <CaseNotes patientId={patientId} callId={call.id} />}
          <AiDrafts callId={call.id} patientId={patientId} />
        </>
      )}
    </div>
  );
}

const SPEAKERS: Record<string, string> = { agent: 'Agent', caller: 'Caller', ai_agent: 'AI agent' };

function Utterances({ t }: { t: TranscriptReply }) {
  return (
    <ol className="transcript" data-view={t.view} tabIndex={0} aria-label={`Transcript, ${t.view}`}>
      {t.utterances.map((u) => <li key={u.seq}><span className="speaker">{SPEAKERS[u.speaker] ?? u.speaker}</span> {u.text}</li>)}
    </ol>
  );
}

/** The transcript redacted by default; "Full transcript" for those the policy allows (transcript.read, step-up). */
function Transcript({ callId }: { callId: string }) {
  const redacted = useGet<TranscriptReply>(['transcript', callId], `/v1/calls/${callId}/transcript`, { 'ward-purpose': 'TREAT' });
  const [full, setFull] = useState<TranscriptReply>();
  return (
    <section aria-labelledby="transcript-title" className="card">
      <h2 id="transcript-title">Transcript <span className="muted">{full ? 'full' : 'redacted'}</span></h2>
      {redacted.error && <p className="notice denied">{describeError(redacted.error).text}</p>}
      {!full && <Guarded label="Full transcript" id="full-transcript" purpose="TREAT" run={async (ask) => setFull(await api<TranscriptReply>('GET', `/v1/calls/${callId}/transcript/full`, undefined, { stepUp: false, headers: headersOf(ask) }))} />}
      {full ? <Utterances t={full} /> : redacted.data && <Utterances t={redacted.data} />}
    </section>
  );
}

function RecordingSection({ id }: { id: string }) {
  const [meta, setMeta] = useState<RecordingReply>();
  if (meta) return <RecordingPlayer meta={meta} />;
  return <Guarded label="Load recording" id="recording" purpose="TREAT" run={async (ask) => setMeta(await api<RecordingReply>('GET', `/v1/recordings/${id}`, undefined, { stepUp: false, headers: headersOf(ask) }))} />;
}

/** Case notes, masked like the patient view; a new note is written through caseNote.write. */
function CaseNotes({ patientId, callId }: { patientId: string; callId: string }) {
  const notes = useGet<CaseNoteListReply>(['case-notes', patientId], `/v1/patients/${patientId}/case-notes`, { 'ward-purpose': 'TREAT' });
  const client = useQueryClient();
  const status = useStatus();
  const [body, setBody] = useState('');
  const add = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api('POST', `/v1/patients/${patientId}/case-notes`, { body, callId }, { headers: { 'ward-purpose': 'TREAT' } });
      setBody('');
      await client.invalidateQueries({ queryKey: ['case-notes', patientId] });
      status.say('Case note saved.');
    } catch (err) {
      status.fail(err);
    }
  };
  return (
    <section aria-labelledby="notes-title" className="card">
      <h2 id="notes-title">Case notes <span className="muted">{notes.data?.view}</span></h2>
      {notes.error && <p className="notice denied">{describeError(notes.error).text}</p>}
      <ul className="notes" tabIndex={0} aria-label="Case notes">
        {notes.data?.notes.map((n) => <li key={n.id}><time dateTime={n.createdAt}>{n.createdAt.slice(0, 16).replace('T', ' ')}</time> {n.body}</li>)}
      </ul>
      <form onSubmit={(e) => void add(e)}>
        <label htmlFor="new-note">New case note</label>
        <textarea id="new-note" required maxLength={20000} value={body} onChange={(e) => setBody(e.target.value)} />
        <button type="submit">Save note</button>
      </form>
    </section>
  );
}
