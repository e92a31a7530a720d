import { useState } from 'react';
import { ApiError, stepUp } from '../../api.ts';
import { queryClient } from '../data.ts';
import { describeError } from '../status.tsx';

/**
 * Small pieces the admin console's settings screens share (R-UX-1): the line that says what happened
 * (a refusal carries its stable code), the attempt that sets it and refreshes what changed, a failed
 * read that offers the passkey step-up when that is all the server asked for (R-SESS-3), and the
 * masked form of an internal id.
 */
export type Line = { text: string; code?: string };

export function Said({ line }: { line: Line }) {
  if (!line.text) return null;
  return <p className={line.code ? 'notice denied' : 'notice ok'} role="status" data-code={line.code}>{line.text}</p>;
}

export async function attempt(set: (l: Line) => void, run: () => Promise<string>, refresh: string[]): Promise<void> {
  set({ text: '' });
  try {
    const text = await run();
    set({ text });
    await Promise.all(refresh.map((k) => queryClient.invalidateQueries({ queryKey: [k] })));
  } catch (e) {
    set(describeError(e));
  }
}

/** A read that failed: its reason, and a Verify button when a recent passkey verification is all it needs. */
export function Failed({ error, queryKey }: { error: unknown; queryKey: string }) {
  const [line, setLine] = useState<Line>({ text: '' });
  const d = describeError(error);
  const curable = error instanceof ApiError && error.code === 'STEP_UP_REQUIRED';
  return (
    <div>
      <p className="notice denied" data-code={d.code}>{d.text}</p>
      {curable && (
        <button type="button" onClick={() => void attempt(setLine, async () => { await stepUp(); return 'Verified.'; }, [queryKey])}>Verify with your passkey</button>
      )}
      <Said line={line} />
    </div>
  );
}

/** An internal id shown by its last four characters (`…1a2b`): enough to tell two apart, nothing to look up. */
/**
 * Whether the signed-in member may manage this member's account (disable, enable, end sessions,
 * recovery): an Owner's account only by an Owner, as the server decides (`sod-owner-manages-owners`,
 * R-AUTHZ-5); the console offers no button the server would refuse.
 */
export const managesAccountOf = (me: { roles: readonly string[] }, m: { roles: readonly string[] }): boolean =>
  !m.roles.includes('Owner') || me.roles.includes('Owner');

export const shortId = (id: string): string => `…${id.replace(/-/g, '').slice(-4).toLowerCase()}`;

export const day = (iso: string): string => iso.slice(0, 10);
export const minute = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
