// A reporter for Node's test runner (scripts/test.mjs adds it beside the usual one): one JSON line
// per finished test — its file, its name under its suites, pass/fail/skipped/todo and duration —
// that the runner merges into the recorded results `ward report compliance` reads (R-GOV-4); and
// one line per top-level test or suite, whose durations add up to the file's time
// (scripts/ci-minutes.mjs).
// Names and statuses only: an error's message is not recorded.
import { relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

export default async function* testResults(source) {
  const stacks = new Map();
  for await (const event of source) {
    const data = event.data;
    if (!data || typeof data.file !== 'string') continue;
    const file = relative(root, data.file);
    if (event.type === 'test:start') {
      const stack = stacks.get(file) ?? [];
      stack.length = data.nesting;
      stack.push(data.name);
      stacks.set(file, stack);
    } else if ((event.type === 'test:pass' || event.type === 'test:fail') && data.nesting === 0) {
      // A file's time: its top-level tests and suites (hooks included) run one after another.
      yield `${JSON.stringify({ file, top: data.name, durationMs: Math.round(data.details?.duration_ms ?? 0) })}\n`;
    }
    if ((event.type === 'test:pass' || event.type === 'test:fail') && data.details?.type !== 'suite') {
      const path = [...(stacks.get(file) ?? []).slice(0, data.nesting), data.name];
      const status = data.todo !== undefined && data.todo !== false ? 'todo' : data.skip !== undefined && data.skip !== false ? 'skipped' : event.type === 'test:pass' ? 'pass' : 'fail';
      yield `${JSON.stringify({ file, name: path.join(' › '), status, durationMs: Math.round(data.details?.duration_ms ?? 0) })}\n`;
    }
  }
}
