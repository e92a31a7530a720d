// R-AI-1: `ai.run` is never a side door. From the generated role matrix (every subject of
// docs/roles.md): wherever ai.run is allowed, the actions of the default templates' inputs are too,
// in the same PHI scopes; and the subjects that may read a transcript but not run AI on it are listed
// (where ai.run is stricter than its inputs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRoleMatrix, loadPdp } from '../policy/index.ts';
import { inputActions, loadTemplates } from './index.ts';

const rows = buildRoleMatrix(loadPdp());
const row = (subject: string, action: string) => rows.find((r) => r.subject === subject && r.action === action)!;
const subjects = [...new Set(rows.map((r) => r.subject))];

test('ai.run implies the template inputs are readable, scope by scope', () => {
  const readRedacted = [...loadTemplates().values()].flatMap(inputActions).filter((a) => a === 'transcript.readRedacted');
  assert.ok(readRedacted.length > 0);
  for (const s of subjects) {
    const run = row(s, 'ai.run');
    if (!run.isAllowed) continue;
    const read = row(s, 'transcript.readRedacted');
    assert.ok(read.isAllowed, `${s}: ai.run without transcript.readRedacted`);
    for (const scope of run.scopes ?? []) assert.ok((read.scopes ?? []).includes(scope), `${s}: ai.run in ${scope} without reading it`);
  }
});

test('where ai.run is stricter: subjects who read a transcript but run no AI on it, and who may not re-identify a draft', () => {
  const stricter = subjects.filter((s) => row(s, 'transcript.readRedacted').isAllowed && !row(s, 'ai.run').isAllowed).sort();
  // The Auditor reads transcripts (masked) but runs no AI: the one case where ai.run is stricter than its inputs.
  assert.deepEqual(stricter, ['Auditor']);
  // Re-identification is for the people who work the call; no workload (voice agent, summary tool) has it.
  assert.deepEqual(subjects.filter((s) => row(s, 'ai.reidentify').isAllowed).sort(), ['Agent', 'Manager', 'Owner']);
});
