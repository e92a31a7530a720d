/**
 * `ward ai templates test [--calls N]`: runs every approved template (R-AI-2) on the first N synthetic
 * demo calls (default all) with the built-in local provider, nothing read from the database, and
 * prints one JSON line per template: tasks, states, and the patient field values and gold PHI values
 * found in what a vendor would receive: the user message, never the template's own instruction text
 * (docs/ai.md, "Leakage"). Exit 1 when a patient field value would reach a vendor or a task does not
 * end `ready`.
 */
import { WardError } from '@ward/contracts';
import { defineCommand } from '../options.ts';
import { createLocalProvider, loadTemplates, templateLeaks, warmUp } from '../../modules/ai/index.ts';
import { generateDemo } from '../../modules/demo/index.ts';

export default defineCommand({
  path: ['ai', 'templates', 'test'],
  summary: 'run every AI template on the demo calls with the local provider and count leaks',
  options: { calls: { value: '<N>', description: 'how many demo calls (default all)' } },
  async run(o, io) {
    if (o.calls !== undefined && !/^[1-9]\d{0,5}$/.test(o.calls)) throw new WardError('USAGE', '--calls takes a positive integer.');
    warmUp();
    const demo = generateDemo();
    const calls = demo.calls.slice(0, o.calls === undefined ? undefined : Number(o.calls));
    const vendor = { name: 'local', provider: createLocalProvider(), baaActive: false, timeoutMs: 5000 };
    let failed = false;
    for (const t of loadTemplates().values()) {
      // Leaks are counted in the user message only (templateLeaks): the template's own text is no leak.
      const { tally, states } = await templateLeaks(t, calls, demo.patients, vendor);
      if (tally.fieldLeaked > 0 || (states.ready ?? 0) !== calls.length) failed = true;
      io.stdout.write(`${JSON.stringify({ template: t.id, version: t.version, tasks: calls.length, states, fieldLeaked: tally.fieldLeaked, fieldValues: tally.fieldValues, goldLeaked: tally.goldLeaked, goldValues: tally.goldValues })}\n`);
    }
    return failed ? 1 : 0;
  },
});
