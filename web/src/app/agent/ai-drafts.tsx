import { Fragment, useState } from 'react';
import { api } from '../../api.ts';
import { Guarded, headersOf } from '../guarded.tsx';

/**
 * The draft of `POST /v1/ai/tasks` (server/src/http/routes/ai.ts, TaskCreated), the fields shown here.
 * Its schema lives with the AI routes on the server, not yet in @ward/contracts.
 */
interface AiTask {
  id: string;
  state: 'ready' | 'fallback';
  draft: { id: string; template: string; templateVersion: number; vendor: string; model: string; view: string; body: string };
}

const TEMPLATES: Array<[string, string]> = [['call-summary', 'AI call summary'], ['suggested-reply', 'Suggested reply']];

/** Surrogates (`[PATIENT_1]`, `[PHONE_1]`) stand for PHI the model never saw: marked as restricted. */
function Marked({ text }: { text: string }) {
  const parts = text.split(/(\[[A-Z_]+(?:_\d+)?\])/g);
  return <>{parts.map((p, i) => (i % 2 === 1 ? <mark key={i} className="restricted" title="Restricted: PHI replaced before the model">{p}</mark> : <Fragment key={i}>{p}</Fragment>))}</>;
}

function Draft({ callId, template, title }: { callId: string; template: string; title: string }) {
  const [task, setTask] = useState<AiTask>();
  return (
    <div className="draft">
      <h3>{title}</h3>
      {!task && (
        <Guarded label={`Draft ${title.toLowerCase()}`} id={`ai-${template}`} purpose="TREAT"
          run={async (ask) => setTask(await api<AiTask>('POST', '/v1/ai/tasks', { template, target: { type: 'call', id: callId } }, { stepUp: false, headers: headersOf(ask) }))} />
      )}
      {task && (
        <>
          <p className="draft-body" data-draft={task.draft.id} data-state={task.state}><Marked text={task.draft.body} /></p>
          <p className="muted">{task.draft.template} v{task.draft.templateVersion}, {task.draft.vendor}/{task.draft.model}, {task.draft.view}{task.state === 'fallback' ? ', manual fallback' : ''}</p>
          <p className="notice" data-state="review-unavailable">
            Read-only: confirming, editing or rejecting a draft (R-AI-5) needs the review API, which this server does not offer yet. Nothing is used until a person reviews it.
          </p>
        </>
      )}
    </div>
  );
}

/** R-AI-5: AI drafts for the call, for a person to review before use. */
export function AiDrafts({ callId }: { callId: string }) {
  return (
    <section aria-labelledby="ai-title" className="card">
      <h2 id="ai-title">AI drafts</h2>
      {TEMPLATES.map(([t, title]) => <Draft key={t} callId={callId} template={t} title={title} />)}
    </section>
  );
}
