import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, stepUp } from '../api.ts';
import { describeError } from './status.tsx';

/**
 * One PHI request whose decision may ask for more (DESIGN.md step 3): the purpose and a
 * justification (JUSTIFICATION_REQUIRED, R-AUTHZ-4), a recent passkey verification
 * (STEP_UP_REQUIRED, R-SESS-3), or nothing more (FORBIDDEN: not allowed). Each is a state the person
 * sees; the justification stays in memory only (never in the address, storage or history).
 */
export type Ask = { purpose?: string; justification?: string };
type State =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'justify' }
  | { kind: 'step-up' }
  | { kind: 'denied'; text: string; code: string }
  | { kind: 'done' };

export const PURPOSES: Array<[string, string]> = [
  ['TREAT', 'Treatment'], ['ETREAT', 'Emergency treatment'], ['HPAYMT', 'Payment'], ['HOPERAT', 'Health care operations'], ['PATRQT', "Patient's request"],
];

export function headersOf(ask: Ask): Record<string, string> {
  const h: Record<string, string> = {};
  if (ask.purpose) h['ward-purpose'] = ask.purpose;
  if (ask.justification) h['ward-justification'] = ask.justification;
  return h;
}

export function Guarded(props: { label: string; id: string; run: (ask: Ask) => Promise<void>; purpose?: string; children?: ReactNode }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [ask, setAsk] = useState<Ask>({ purpose: props.purpose });
  const attempt = async (a: Ask) => {
    setState({ kind: 'busy' });
    try {
      await props.run(a);
      setState({ kind: 'done' });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'JUSTIFICATION_REQUIRED') return setState({ kind: 'justify' });
      if (e instanceof ApiError && (e.code === 'STEP_UP_REQUIRED' || e.code === 'MFA_REQUIRED')) return setState({ kind: 'step-up' });
      const { text, code } = describeError(e);
      setState({ kind: 'denied', text: e instanceof ApiError && e.status === 403 ? `Not allowed: ${text}` : text, code });
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void attempt(ask);
  };
  if (state.kind === 'done') return <>{props.children}</>;
  return (
    <div className="guarded" data-state={state.kind}>
      {(state.kind === 'idle' || state.kind === 'busy') && (
        <button type="button" disabled={state.kind === 'busy'} onClick={() => void attempt(ask)}>{props.label}</button>
      )}
      {state.kind === 'justify' && (
        <form onSubmit={submit} aria-label={`Why you need: ${props.label}`}>
          <p className="notice">The policy asks for a purpose and a justification (recorded in the audit trail).</p>
          <label htmlFor={`${props.id}-purpose`}>Purpose of use</label>
          <select id={`${props.id}-purpose`} autoFocus value={ask.purpose ?? 'TREAT'} onChange={(e) => setAsk({ ...ask, purpose: e.target.value })}>
            {PURPOSES.map(([v, name]) => <option key={v} value={v}>{name}</option>)}
          </select>
          <label htmlFor={`${props.id}-justification`}>Justification (at least three words)</label>
          <textarea id={`${props.id}-justification`} required minLength={10} maxLength={500} value={ask.justification ?? ''}
            onChange={(e) => setAsk({ ...ask, purpose: ask.purpose ?? 'TREAT', justification: e.target.value })} />
          <button type="submit">Continue</button>
        </form>
      )}
      {state.kind === 'step-up' && (
        <p className="notice">
          Needs step-up: confirm it's you with your passkey.{' '}
          <button type="button" autoFocus onClick={() => void stepUp().then(() => attempt(ask), (e) => setState({ kind: 'denied', ...describeError(e) }))}>Verify with passkey</button>
        </p>
      )}
      {state.kind === 'denied' && (
        <p className="notice denied" role="alert" data-code={state.code}>{state.text} <button type="button" onClick={() => setState({ kind: 'idle' })}>Try again</button></p>
      )}
    </div>
  );
}
