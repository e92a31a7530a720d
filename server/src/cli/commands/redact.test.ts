import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import command from './redact.ts';

async function run(args: string[], input: string): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  // The command needs no database: its context (the third argument) is never used.
  const runCommand = command.run as (...a: unknown[]) => Promise<number>;
  const code = await runCommand(args, { stdin: Readable.from([input]), stdout, stderr, env: {} }, undefined);
  return { code, out, err };
}

describe('ward redact', () => {
  test('writes one spans line per JSONL line, with JavaScript string offsets', async () => {
    const text = 'Call Sara Schwarz at 555-867-5309 😀 ok';
    const { code, out } = await run(['--format', 'jsonl'], `${JSON.stringify({ id: 'a1', text })}\n`);
    assert.equal(code, 0);
    const line = JSON.parse(out.trim()) as { id: string; spans: Array<{ start: number; end: number; label: string }> };
    assert.equal(line.id, 'a1');
    assert.deepEqual(line.spans.map((s) => [s.label, text.slice(s.start, s.end)]), [['NAME', 'Sara Schwarz'], ['PHONE', '555-867-5309']]);
    assert.deepEqual(Object.keys(line.spans[0]!), ['start', 'end', 'label']);
  });

  test('answers a malformed line with a stable code and no echo, and runs the other lines', async () => {
    const input = ['{"id":"1","text":"Sara Schwarz"}', 'not json 460-89-9847', '{"id":"3","text":42}', '{"id":"4","text":"no phi here"}'].join('\n');
    const { code, out } = await run(['--format', 'jsonl'], `${input}\n`);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 4);
    assert.deepEqual((lines[1]!.error as { code: string }).code, 'BAD_REQUEST');
    assert.ok(!out.includes('460-89-9847'));
    assert.deepEqual(lines[2], { id: '3', error: { code: 'BAD_REQUEST', message: 'The line is not a JSON object with a string "text" and an "id".' } });
    assert.deepEqual(lines[3], { id: '4', spans: [] });
    assert.equal(code, 1);
  });

  test('prints masked text for plain text on standard input', async () => {
    const { code, out } = await run([], 'Patient Sara Schwarz, SSN 460-89-9847\n');
    assert.equal(code, 0);
    assert.equal(out, 'Patient [NAME], SSN [SSN]\n');
  });

  test('refuses text given as an argument, without echoing it', async () => {
    await assert.rejects(run(['Sara Schwarz'], ''), (e: { code?: string; message?: string }) => e.code === 'USAGE' && !e.message?.includes('Sara'));
  });
});
