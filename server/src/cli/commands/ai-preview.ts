import { PHI_SCOPES, WardError } from '@ward/contracts';
import { activeTemplates, subjectDateOffset, createVendorResolver, loadCallInputs, loadTemplates, prepareTask, vendorInput, warmUp } from '../../modules/ai/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { tenantIdBySlug } from './lookups.ts';

/**
 * `ward ai preview --tenant <slug> --template <id> (--call <id> | --all)` (R-AI-1, R-AI-2, R-AI-3;
 * docs/ai.md): prints exactly what the tenant's active vendor for the template's purpose would
 * receive, one JSON line per call: the vendor and model, and the two chat messages (the template's
 * instructions; the declared inputs, pseudonymised, de-identified where the BAA rule says so), or the
 * refusal's code. Nothing is sent. The operator reads pseudonymised text only (no map is printed);
 * each call previewed is audited as the operator's `ai.preview`.
 */
export default defineCommand({
  path: ['ai', 'preview'],
  summary: 'print exactly what the vendor would receive for a template, one JSON line per call (nothing is sent)',
  options: {
    tenant: { ...TENANT_OPTION, required: true },
    template: { value: '<id>', description: 'an approved template (ward ai templates list)', required: true },
    call: { value: '<id>', description: 'one call' },
    all: { type: 'boolean', description: 'every call of the tenant with a transcript' },
  },
  usage: ['ward ai preview --tenant <slug> --template <id> (--call <id> | --all)'],
  usesDatabase: true,
  async run(o, io, ctx) {
    if (Boolean(o.call) === o.all) throw new WardError('USAGE', 'Give exactly one of --call <id> and --all.');
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      // The template the gateway would run for this tenant: a default or the tenant's approved version (R-AI-2).
      const template = (await deps.db.scoped({ tenantId, phiScopes: [], actorKind: 'system', actorId: 'system:cli' }, (tx) => activeTemplates(tx, tenantId, loadTemplates()))).get(o.template);
      if (!template) throw new WardError('AI_TEMPLATE_UNKNOWN');
      const { rows } = o.call
        ? await deps.db.systemDb.query<{ id: string }>('SELECT id FROM calls WHERE tenant_id = $1 AND id = $2', [tenantId, o.call])
        : await deps.db.systemDb.query<{ id: string }>(
          'SELECT c.id FROM calls c WHERE c.tenant_id = $1 AND EXISTS (SELECT 1 FROM transcripts t WHERE t.call_id = c.id) ORDER BY c.started_at, c.id', [tenantId]);
      if (o.call && !rows[0]) throw new WardError('NOT_FOUND', 'No call of this tenant has this id.');
      warmUp();
      const resolver = createVendorResolver(deps);
      const operator = { tenantId, phiScopes: [...PHI_SCOPES], actorKind: 'system', actorId: 'system:cli' } as const;
      for (const { id } of rows) {
        const line = await deps.db.scoped(operator, async (tx) => {
          const { inputs, patient, patientId } = await loadCallInputs(tx, deps.cipher, tenantId, id, template);
          const dateShiftDays = template.dates === 'shift' ? await subjectDateOffset(deps.cipher, tenantId, patientId ?? id) : undefined;
          const vendor = await resolver.vendorFor(tx, tenantId, template);
          const base = { callId: id, template: `${template.id}@${template.version}`, vendor: vendor.name, model: vendor.provider.model };
          let out: Record<string, unknown>;
          try {
            const task = prepareTask(template, inputs, patient, dateShiftDays ? { dateShiftDays } : {});
            const { user, deidentified } = vendorInput(task, vendor);
            out = { ...base, deidentified, messages: [{ role: 'system', content: task.system }, { role: 'user', content: user }] };
          } catch (e) {
            if (!(e instanceof WardError)) throw e;
            out = { ...base, refused: e.code };
          }
          await deps.audit.append(tx, {
            tenantId, actorKind: 'system', actorId: 'system:cli', action: 'ai.preview', targetType: 'Call', targetId: id, outcome: 'success',
            metadata: { aiTemplate: base.template, vendor: vendor.name, ...('refused' in out ? { refused: String(out.refused) } : {}) },
          });
          return out;
        });
        io.stdout.write(`${JSON.stringify(line)}\n`);
      }
      return 0;
    });
  },
});
