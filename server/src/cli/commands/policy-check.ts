/**
 * `ward policy check [--policies DIR] [--tenant-policies FILE]`: reads authorization requests as
 * JSON lines on stdin and writes one decision JSON line each on stdout, in order. A malformed line
 * gets `{"error":{"code":"BAD_REQUEST","message":…}}` naming the field at fault, never echoing the
 * input (it may hold PHI, R-DATA-4), and the following lines still run.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { WardError, isWardError } from '@ward/contracts';
import type { Command } from '../command.ts';
import { loadPdp, parsePdpRequest, validateTenantPolicySet, type TenantPolicies } from '../../modules/policy/index.ts';
import { parsePolicyOptions } from './policy-options.ts';

const USAGE = 'ward policy check [--policies DIR] [--tenant-policies FILE] < requests.jsonl';

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

const command: Command = {
  path: ['policy', 'check'],
  summary: 'Decide JSON-line requests from stdin, one decision line each',
  usage: USAGE,
  async run(args, io) {
    const { policiesDir, values } = parsePolicyOptions(args, USAGE, ['--tenant-policies']);
    const pdp = loadPdp({ policiesDir });
    let tenantPolicies: TenantPolicies | undefined;
    const file = values['--tenant-policies'];
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
};

export default command;
