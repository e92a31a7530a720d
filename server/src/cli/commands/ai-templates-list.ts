/**
 * `ward ai templates list`: the approved AI templates of `ai/templates/` (R-AI-2; docs/ai.md), one
 * JSON line each: id, version, purpose, inputs, the Cedar actions they need beyond ai.run, output kind.
 */
import { defineCommand } from '../options.ts';
import { inputActions, loadTemplates } from '../../modules/ai/index.ts';

export default defineCommand({
  path: ['ai', 'templates', 'list'],
  summary: 'list the approved AI templates (JSON lines)',
  options: {},
  async run(_o, io) {
    for (const t of loadTemplates().values()) {
      io.stdout.write(`${JSON.stringify({ id: t.id, version: t.version, purpose: t.purpose, inputs: t.inputs, actions: ['ai.run', ...inputActions(t)], output: t.output.kind, deidentifiedFallback: t.deidentifiedFallback })}\n`);
    }
    return 0;
  },
});
