/**
 * `ward policy check [--policies DIR] [--tenant-policies FILE]`: reads authorization requests as
 * JSON lines on stdin and writes one decision JSON line each on stdout, in order. A malformed line
 * gets `{"error":{"code":"BAD_REQUEST","message":…}}` naming the field at fault, never echoing the
 * input (it may hold PHI, R-DATA-4), and the following lines still run.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { WardError, isWardError } from '@ward/contracts';
import { defineCommand } from '../options.ts';
import { loadPdp, parsePdpRequest, validateTenantPolicySet, type TenantPolicies } from '../../modules/policy/index.ts';
import { POLICIES_OPTION, policiesDir, TENANT_POLICIES_OPTION } from './policy-options.ts';

function errorLine(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/** One line in, one line out. */
function checkLine(line: string, decide: (req: ReturnType<typeof parsePdpRequest>) => unknown): string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // V8's JSON errors quote the input: say only that it is not JSON.
    return errorLine('BAD_REQUEST', 'the line is not valid JSON');
  }
  try {
    return JSON.stringify(decide(parsePdpRequest(value)));
  } catch (e) {
    return isWardError(e) ? errorLine(e.code, e.message) : errorLine('INTERNAL', 'the request could not be decided');
  }
}

export default defineCommand({
  path: ['policy', 'check'],
  summary: 'decide JSON-line requests from standard input, one decision line each',
  options: { policies: POLICIES_OPTION, 'tenant-policies': TENANT_POLICIES_OPTION },
  usage: ['ward policy check [--policies <dir>] [--tenant-policies <file>] < requests.jsonl'],
  async run(o, io) {
    const pdp = loadPdp({ policiesDir: policiesDir(o.policies) });
    let tenantPolicies: TenantPolicies | undefined;
    const file = o['tenant-policies'];
    if (file) {
      const text = readFileSync(file, 'utf8');
      const check = validateTenantPolicySet(text);
      if (!check.ok) throw new WardError('CONFIG_INVALID', `tenant policies: ${check.reason}`);
      tenantPolicies = { key: `file:${file}`, text };
    }
    const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const out = checkLine(line, (req) => pdp.decide(req, tenantPolicies));
      if (!io.stdout.write(`${out}\n`)) await new Promise<void>((resolve) => io.stdout.once('drain', resolve));
    }
    return 0;
  },
});
