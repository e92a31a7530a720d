import { startAuthentication } from '@simplewebauthn/browser';
import type { ErrorCode, ProblemDetails, StepUpReply } from '@ward/contracts';
import { clockOffsetSeconds, deviceProof, learnServerTime } from './device-key.ts';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: ErrorCode, message: string) {
    super(message);
  }
}

export interface CallOptions {
  /** Run the passkey step-up and retry once when the decision asks for it (default: yes). */
  stepUp?: boolean;
  /** Extra request headers: Ward-Purpose, Ward-Justification, Range. */
  headers?: Record<string, string>;
}

async function once(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Response> {
  const headers: Record<string, string> = { ...extra, dpop: await deviceProof(method, path) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  return res;
}

async function errorOf(res: Response): Promise<ApiError> {
  try {
    // RFC 9457 problem details with Ward's stable code (docs/errors.md).
    const b = (await res.json()) as Partial<ProblemDetails>;
    return new ApiError(res.status, b.code ?? 'INTERNAL', b.detail ?? b.title ?? 'Something went wrong.');
  } catch {
    return new ApiError(res.status, 'INTERNAL', 'Something went wrong.');
  }
}

/**
 * One API call with the device proof. A proof refused because our clock is off is retried once with
 * the server's time; STEP_UP_REQUIRED runs the re-verification ceremony and retries once (R-SESS-3).
 */
export async function api<T>(method: string, path: string, body?: unknown, opts: CallOptions = { stepUp: true }): Promise<T> {
  const res = await apiResponse(method, path, body, opts);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** The same call, answering the Response itself (the recording player reads byte ranges). */
export async function apiResponse(method: string, path: string, body?: unknown, opts: CallOptions = { stepUp: true }): Promise<Response> {
  const signedWith = clockOffsetSeconds();
  let res = await once(method, path, body, opts.headers);
  learnServerTime(res.headers.get('ward-server-time'));
  // Retried when the proof was signed with a clock the server's time has since corrected (by this
  // answer or a concurrent one).
  if (res.status === 401 && Math.abs(clockOffsetSeconds() - signedWith) > 20) {
    const err = await errorOf(res.clone());
    if (err.code === 'DEVICE_PROOF_INVALID') res = await once(method, path, body, opts.headers);
  }
  if (res.status === 403 && opts.stepUp !== false) {
    const err = await errorOf(res.clone());
    // R-AUTHN-2: MFA_REQUIRED (an SSO session with one factor) is lifted by the same passkey ceremony.
    if (err.code === 'STEP_UP_REQUIRED' || err.code === 'MFA_REQUIRED') {
      await stepUp();
      res = await once(method, path, body, opts.headers);
    }
  }
  if (!res.ok) throw await errorOf(res);
  return res;
}

/** R-SESS-3: the re-verification ceremony: a passkey assertion with user verification on this session. */
export async function stepUp(): Promise<void> {
  const optionsJSON = await api<Parameters<typeof startAuthentication>[0]['optionsJSON']>('POST', '/v1/auth/step-up/options', {}, { stepUp: false });
  const response = await startAuthentication({ optionsJSON });
  await api<StepUpReply>('POST', '/v1/auth/step-up/verify', { response }, { stepUp: false });
}
