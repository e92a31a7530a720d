import { startAuthentication } from '@simplewebauthn/browser';
import type { ErrorCode, ProblemDetails, StepUpReply } from '@ward/contracts';
import { deviceProof, learnServerTime } from './device-key.ts';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: ErrorCode, message: string) {
    super(message);
  }
}

async function once(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { dpop: await deviceProof(method, path) };
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
export async function api<T>(method: string, path: string, body?: unknown, opts: { stepUp?: boolean } = { stepUp: true }): Promise<T> {
  let res = await once(method, path, body);
  if (learnServerTime(res.headers.get('ward-server-time')) && res.status === 401) {
    const err = await errorOf(res.clone());
    if (err.code === 'DEVICE_PROOF_INVALID') res = await once(method, path, body);
  }
  if (res.status === 403 && opts.stepUp !== false) {
    const err = await errorOf(res.clone());
    // R-AUTHN-2: MFA_REQUIRED (an SSO session with one factor) is lifted by the same passkey ceremony.
    if (err.code === 'STEP_UP_REQUIRED' || err.code === 'MFA_REQUIRED') {
      await stepUp();
      res = await once(method, path, body);
    }
  }
  if (!res.ok) throw await errorOf(res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** R-SESS-3: the re-verification ceremony: a passkey assertion with user verification on this session. */
export async function stepUp(): Promise<void> {
  const optionsJSON = await api<Parameters<typeof startAuthentication>[0]['optionsJSON']>('POST', '/v1/auth/step-up/options', {}, { stepUp: false });
  const response = await startAuthentication({ optionsJSON });
  await api<StepUpReply>('POST', '/v1/auth/step-up/verify', { response }, { stepUp: false });
}
