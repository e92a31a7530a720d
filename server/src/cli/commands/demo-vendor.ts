import { WardError } from '@ward/contracts';
import { AI_PURPOSES, addApprovedDemoVendor, putVendor, useVendor } from '../../modules/ai/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { readAll } from '../stdin.ts';
import { requireDemoTenant } from '../demo-voice.ts';
import { memberIdByEmail } from './lookups.ts';

/**
 * `ward demo vendor` (R-AI-3; demo tenants only): registers an AI vendor (API key on standard input),
 * with `--baa` a one-year BAA record attested as the demo Owner and approved as the demo Admin (the
 * two people of the two-person rule, in their own verified scopes), and makes it the tenant's active
 * vendor for every template purpose. With `--no-baa` it has no BAA: PHI templates are then refused
 * (VENDOR_NOT_BAA) and de-identifiable ones run on de-identified input.
 */
export default defineCommand({
  path: ['demo', 'vendor'],
  summary: "register an AI vendor in a demo tenant, approve its BAA as the demo Owner and Admin, make it active",
  options: {
    tenant: { ...TENANT_OPTION, description: 'a demo tenant: riverside or lakeside', required: true },
    name: { value: '<n>', description: 'the vendor\'s name (lower case, digits, dashes)', required: true },
    'base-url': { value: '<url>', description: 'the OpenAI-compatible API base URL', required: true },
    model: { value: '<m>', description: 'the model name', required: true },
    baa: { type: 'boolean', description: 'record and approve a one-year BAA' },
    'no-baa': { type: 'boolean', description: 'no BAA: the vendor receives no PHI' },
  },
  usage: ['ward demo vendor --tenant <slug> --name <n> --base-url <url> --model <m> (--baa|--no-baa) < api-key'],
  usesDatabase: true,
  async run(o, io, ctx) {
    if (o.baa === o['no-baa']) throw new WardError('USAGE', 'Give exactly one of --baa and --no-baa.');
    const apiKey = (await readAll(io.stdin)).replace(/\r?\n$/, '');
    if (apiKey === '' || apiKey.includes('\n')) throw new WardError('USAGE', 'Give the API key, one line, on standard input.');
    return ctx.withDeps(async (deps) => {
      const tenantId = await requireDemoTenant(deps, o.tenant);
      const domain = `${o.tenant}.test`;
      const owner = await memberIdByEmail(deps.db.systemDb, tenantId, `${o.tenant === 'lakeside' ? 'owen.owner' : 'olivia.owner'}@${domain}`);
      const admin = await memberIdByEmail(deps.db.systemDb, tenantId, `${o.tenant === 'lakeside' ? 'ada.admin' : 'adrian.admin'}@${domain}`);
      const now = deps.clock.now();
      const vendor = { tenantId, name: o.name, baseUrl: o['base-url'], model: o.model, apiKey };
      if (o.baa) {
        const baa = await addApprovedDemoVendor(deps, { ...vendor, attester: owner, approver: admin }, now);
        io.stdout.write(`registered vendor ${o.name} (${o.model} at ${o['base-url']}) in ${o.tenant}\n`);
        io.stdout.write(`BAA ${baa.documentSha256.slice(0, 12)}… attested by the demo Owner, approved by the demo Admin: ${baa.state} until ${baa.expires}\n`);
      } else {
        await putVendor(deps, vendor, now);
        io.stdout.write(`registered vendor ${o.name} (${o.model} at ${o['base-url']}) in ${o.tenant}\n`);
        io.stdout.write('no BAA: PHI templates are refused (VENDOR_NOT_BAA); routing-category runs on de-identified input\n');
      }
      for (const purpose of AI_PURPOSES) await useVendor(deps, { tenantId, purpose, vendor: o.name, byMemberId: owner }, now);
      io.stdout.write(`${o.name} is the active vendor of ${o.tenant} for ${AI_PURPOSES.join(', ')}\n`);
      return 0;
    });
  },
});
