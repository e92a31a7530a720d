import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import type { AiReviewResult as ReviewResult, AiTaskCreated as AiTask } from '@ward/contracts';
import { api } from '../../api.ts';
import { Guarded, headersOf, type Ask } from '../guarded.tsx';
import { useStatus } from '../status.tsx';

const TEMPLATES: Array<[string, string]> = [['call-summary', 'AI call summary'], ['suggested-reply', 'Suggested reply'], ['case-note-draft', 'Case note']];

/** R-AI-4's restricted categories (server/src/modules/ai/restricted.ts), as people read them. */
const categoryName = (c: string) => c.replace(/-/g, ' ');

/** Surrogates (`[PATIENT_1]`, `[PHONE_1]`) stand for PHI the model never saw: marked as pseudonymised. */
function Marked({ text }: { text: string }) {
  const parts = text.split(/(\[[A-Z_]+(?:_\d+)?\])/g);
  return <>{parts.map((p, i) => (i % 2 === 1 ? <mark key={i} className="surrogate" title="PHI replaced before the model">{p}</mark> : <Fragment key={i}>{p}</Fragment>))}</>;
}

const REVIEWED: Record<ReviewResult['status'], string> = { confirmed: 'Confirmed', edited: 'Edited', rejected: 'Rejected' };

/**
 * R-AI-5: the human review gate. A draft is used only once a person confirms it, edits it, or
 * rejects it (`POST /v1/ai/drafts/:id/review`); a case-note draft confirmed or edited becomes a case
 * note, and one holding a restricted category (R-AI-4) needs caseNote.writeRestricted and a step-up,
 * asked for here like any other decision.
 */
function Review({ task, patientId, title }: { task: AiTask; patientId: string | null; title: string }) {
  const client = useQueryClient();
  const status = useStatus();
  const [result, setResult] = useState<ReviewResult>();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(task.draft.body);
  const id = `review-${task.draft.template}`;
  const review = (decision: 'confirm' | 'edit' | 'reject') => async (ask: Ask) => {
    const r = await api<ReviewResult>('POST', `/v1/ai/drafts/${task.draft.id}/review`, decision === 'edit' ? { decision, body: text } : { decision }, { stepUp: false, headers: headersOf(ask) });
    setResult(r);
    if (r.caseNoteId && patientId) await client.invalidateQueries({ queryKey: ['case-notes', patientId] });
    status.say(`${title}: ${REVIEWED[r.status].toLowerCase()}${r.caseNoteId ? ', saved as a case note' : ''}.`);
  };
  if (result) {
    return (
      <p className={result.status === 'rejected' ? 'notice' : 'notice ok'} data-review={result.status}>
        {REVIEWED[result.status]} by you{result.editChars ? ` (${result.editChars} characters changed)` : ''}.
        {result.caseNoteId ? ' Saved as a case note.' : result.status === 'rejected' ? ' It will not be used.' : ' Ready to use.'}
      </p>
    );
  }
  if (task.draft.status !== 'pending') return <p className="notice" data-review={task.draft.status}>Already reviewed: {task.draft.status}.</p>;
  return (
    <div className="review" role="group" aria-label={`Review: ${title}`}>
      {editing ? (
        <>
          <label htmlFor={`${id}-text`}>Edited text</label>
          <textarea id={`${id}-text`} required maxLength={20000} value={text} onChange={(e) => setText(e.target.value)} />
          <div className="actions">
            <Guarded label="Save edit" id={`${id}-edit`} purpose="TREAT" run={review('edit')} />
            <button type="button" className="quiet" onClick={() => setEditing(false)}>Cancel edit</button>
          </div>
        </>
      ) : (
        <div className="actions">
          <Guarded label="Confirm" id={`${id}-confirm`} purpose="TREAT" run={review('confirm')} />
          <button type="button" onClick={() => setEditing(true)}>Edit</button>
          <Guarded label="Reject" id={`${id}-reject`} purpose="TREAT" run={review('reject')} />
        </div>
      )}
    </div>
  );
}

function Draft({ callId, patientId, template, title }: { callId: string; patientId: string | null; template: string; title: string }) {
  const [task, setTask] = useState<AiTask>();
  const restricted = task?.draft.restrictedCategories ?? [];
  return (
    <div className="draft" data-template={template}>
      <h3>{title}</h3>
      {!task && (
        <Guarded label={`Draft ${title.toLowerCase()}`} id={`ai-${template}`} purpose="TREAT"
          run={async (ask) => setTask(await api<AiTask>('POST', '/v1/ai/tasks', { template, target: { type: 'call', id: callId } }, { stepUp: false, headers: headersOf(ask) }))} />
      )}
      {task && (
        <>
          <p className="draft-body" data-draft={task.draft.id} data-state={task.state}><Marked text={task.draft.body} /></p>
          {restricted.length > 0 && (
            <p className="notice restricted" data-restricted={restricted.join(',')}>
              Restricted categories: {restricted.map(categoryName).join(', ')}.{template === 'case-note-draft' ? " Writing it to the case needs a manager's permission and a passkey step-up." : ''}
            </p>
          )}
          <p className="muted">{task.draft.template} v{task.draft.templateVersion}, {task.draft.vendor}/{task.draft.model}, {task.draft.view}{task.state === 'fallback' ? ', manual fallback' : ''}. Nothing is used until a person reviews it.</p>
          <Review task={task} patientId={patientId} title={title} />
        </>
      )}
    </div>
  );
}

/** R-AI-5: AI drafts for the call, for a person to review before use. */
export function AiDrafts({ callId, patientId }: { callId: string; patientId: string | null }) {
  return (
    <section aria-labelledby="ai-title" className="card">
      <h2 id="ai-title">AI drafts</h2>
      {TEMPLATES.map(([t, title]) => <Draft key={t} callId={callId} patientId={patientId} template={t} title={title} />)}
    </section>
  );
}
