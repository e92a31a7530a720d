import { WardError } from '@ward/contracts';
import { putVendor } from '../../modules/ai/index.ts';
import { defineCommand, TENANT_OPTION, wholeNumber } from '../options.ts';
import { readAll } from '../stdin.ts';
import { memberIdByEmail, tenantIdBySlug } from './lookups.ts';

/**
 * `ward ai vendor add` (R-AI-3; docs/ai.md "Vendors and BAAs"): an OpenAI-compatible vendor of a
 * tenant, its API key on standard input (never an argument), and optionally its BAA record: the
 * document's SHA-256, effective and expiry dates, and the active Owner or Admin who attests it. The
 * BAA is in force only after a second Owner or Admin approves it through their own session, with
 * step-up (`POST /v1/ai/vendors/<name>/baa/approve`). Adding a vendor under an existing name changes
 * it; a new URL, model or BAA record reopens the approval.
 */
export default defineCommand({
  path: ['ai', 'vendor', 'add'],
  summary: "add or change a tenant's AI vendor and its BAA record (API key on standard input)",
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    name: { value: '<name>', description: 'the vendor\'s name in this tenant (lower case, digits, dashes; not "local")', required: true },
    'base-url': { value: '<url>', description: 'the OpenAI-compatible API base URL (reached through the egress policy)', required: true },
    model: { value: '<model>', description: 'the model name sent to the vendor', required: true },
    'timeout-ms': { value: '<milliseconds>', description: 'the per-vendor time budget of one task (default 20000)' },
    'baa-sha256': { value: '<hex>', description: 'SHA-256 of the signed BAA document' },
    'baa-effective': { value: '<YYYY-MM-DD>', description: 'the first day the BAA is in force' },
    'baa-expires': { value: '<YYYY-MM-DD>', description: 'the last day the BAA is in force' },
    'attested-by': { value: '<email>', description: 'the active Owner or Admin who attests the BAA (a second one approves it)' },
  },
  usage: ['ward ai vendor add --tenant <slug> --name <name> --base-url <url> --model <model> [--timeout-ms <milliseconds>] [--baa-sha256 <hex> --baa-effective <YYYY-MM-DD> --baa-expires <YYYY-MM-DD> --attested-by <email>] < api-key'],
  help: 'Prints the vendor and the state of its BAA. A BAA record needs all four --baa-*/--attested-by options.',
  usesDatabase: true,
  async run(o, io, ctx) {
    const baaParts = [o['baa-sha256'], o['baa-effective'], o['baa-expires'], o['attested-by']];
    if (baaParts.some((p) => p !== undefined) && !baaParts.every((p) => p !== undefined)) {
      throw new WardError('USAGE', 'A BAA record needs --baa-sha256, --baa-effective, --baa-expires and --attested-by together.');
    }
    const timeoutMs = wholeNumber('timeout-ms', o['timeout-ms'], { min: 100, max: 120_000, unit: 'milliseconds' });
    const apiKey = (await readAll(io.stdin)).replace(/\r?\n$/, '');
    if (apiKey === '' || apiKey.includes('\n')) throw new WardError('USAGE', 'Give the API key, one line, on standard input.');
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const attestedBy = o['attested-by'] ? await memberIdByEmail(deps.db.systemDb, tenantId, o['attested-by']) : undefined;
      await putVendor(deps, {
        tenantId, name: o.name, baseUrl: o['base-url'], model: o.model, timeoutMs, apiKey,
        ...(attestedBy ? { baa: { documentSha256: o['baa-sha256']!.toLowerCase(), effective: o['baa-effective']!, expires: o['baa-expires']!, attestedBy } } : {}),
      }, deps.clock.now());
      io.stdout.write(`vendor ${o.name} of ${o.tenant}: ${o.model} at ${o['base-url']}\n`);
      io.stdout.write(attestedBy
        ? `BAA attested by ${o['attested-by']}, pending: a second Owner or Admin approves it with POST /v1/ai/vendors/${o.name}/baa/approve (step-up)\n`
        : 'no BAA: it receives no PHI (only de-identified input of templates that allow it)\n');
      return 0;
    });
  },
});
