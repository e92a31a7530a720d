import assert from 'node:assert/strict';
import { PROBLEM_JSON, problemType, type ProblemDetails } from '@ward/contracts';

/**
 * The stable code of an error response, after checking that it is RFC 9457 problem details with
 * that code (docs/errors.md). For `app.inject()` responses; `problemCodeOf` reads a fetch Response.
 */
export function problemCode(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }): string {
  return checked(res.statusCode, String(res.headers['content-type'] ?? ''), res.json() as ProblemDetails);
}

export async function problemCodeOf(res: Response): Promise<string> {
  return checked(res.status, res.headers.get('content-type') ?? '', (await res.json()) as ProblemDetails);
}

function checked(status: number, contentType: string, body: ProblemDetails): string {
  assert.ok(contentType.startsWith(PROBLEM_JSON), `an error answers ${PROBLEM_JSON}, not ${contentType}`);
  assert.equal(body.status, status);
  assert.equal(body.type, problemType(body.code));
  return body.code;
}
