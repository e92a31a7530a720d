import { expireDueCampaigns } from '../../modules/reviews/index.ts';
import { defineCommand, TENANT_OPTION } from '../options.ts';
import { writeLine } from './audit-options.ts';
import { tenantIdBySlug } from './lookups.ts';

/**
 * `ward review expire --tenant <slug>` (R-GOV-1): closes the tenant's campaigns past their deadline;
 * items left undecided are revoked when the campaign auto-revokes (the tenant's
 * `accessReviews.autoRevoke`, on by default), each audited, and reported here.
 */
export default defineCommand({
  path: ['review', 'expire'],
  summary: 'close access review campaigns past their deadline, revoking what was not attested',
  options: { tenant: { ...TENANT_OPTION, required: true } },
  usesDatabase: true,
  async run(o, io, ctx) {
    return ctx.withDeps(async (deps) => {
      const tenantId = await tenantIdBySlug(deps.db.systemDb, o.tenant);
      const closed = await expireDueCampaigns(deps, { tenantId });
      for (const c of closed) await writeLine(io, `campaign ${c.name} (${c.id}) closed: ${c.expired} item(s) not attested, ${c.revoked} revoked`);
      await writeLine(io, `${closed.length} campaign(s) closed`);
      return 0;
    });
  },
});
