/**
 * `ward redact` (R-DATA-2): PHI redaction on standard input, never on the command line (arguments show
 * in process lists). Plain text in, masked text out; or `--format jsonl`: `{"id","text"}` lines in,
 * `{"id","spans":[{"start","end","label"}]}` lines out, streamed line by line in bounded memory. A bad
 * line gets `{"id"?, "error": {"code"}}` without its content, and the other lines still run.
 * Each line fails closed (R-AI-7): a failure yields an error line, never the raw text.
 */
import { createInterface } from 'node:readline';
import { WardError } from '@ward/contracts';
import type { CliIo } from '../command.ts';
import { defineCommand } from '../options.ts';
import { readAll } from '../stdin.ts';
import { detect, redactOrMaskAll } from '../../modules/redaction/index.ts';


/** Writes and waits when the pipe is full, so a million lines run in bounded memory. */
function writer(out: NodeJS.WritableStream): (s: string) => Promise<void> {
  return (s) => (out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', () => r())));
}

async function runJsonl(io: CliIo): Promise<number> {
  const write = writer(io.stdout);
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let failures = 0;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let id: unknown;
    let text: unknown;
    try {
      const parsed = JSON.parse(line) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) ({ id, text } = parsed as { id?: unknown; text?: unknown });
    } catch {
      // Stable code, no echo of the content (R-DATA-4).
    }
    const idOk = typeof id === 'string' || typeof id === 'number';
    if (!idOk || typeof text !== 'string') {
      failures++;
      await write(`${JSON.stringify({ ...(idOk ? { id } : {}), error: { code: 'BAD_REQUEST', message: 'The line is not a JSON object with a string "text" and an "id".' } })}\n`);
      continue;
    }
    let spans: ReturnType<typeof detect> | undefined;
    try {
      spans = detect(text);
    } catch {
      spans = undefined;
    }
    if (!spans) {
      failures++;
      await write(`${JSON.stringify({ id, error: { code: 'INTERNAL', message: 'Redaction failed for this line.' } })}\n`);
      continue;
    }
    await write(`${JSON.stringify({ id, spans: spans.map((s) => ({ start: s.start, end: s.end, label: s.label })) })}\n`);
  }
  return failures > 0 ? 1 : 0;
}

export default defineCommand({
  path: ['redact'],
  summary: 'mask PHI in text read from standard input',
  options: {
    format: { value: 'jsonl|text', description: 'text (default): masked text out; jsonl: {"id","text"} lines in, span lines out' },
    pseudonyms: { type: 'boolean', description: 'replace PHI with consistent pseudonyms instead of [LABEL] masks' },
  },
  usage: ['ward redact [--format jsonl|text] [--pseudonyms] < input'],
  help: 'PHI goes on standard input, never in arguments (arguments show in process lists).',
  async run(o, io) {
    if (o.format !== undefined && o.format !== 'jsonl' && o.format !== 'text') throw new WardError('USAGE', '--format takes jsonl or text.');
    const format = o.format ?? 'text';
    const pseudonyms = o.pseudonyms;
    if (format === 'jsonl') return runJsonl(io);
    // Plain text: masked text out, or fully masked if redaction fails (R-AI-7).
    const result = redactOrMaskAll(await readAll(io.stdin), { pseudonyms, budgetMs: 60_000 });
    io.stdout.write(result.text.endsWith('\n') || result.text === '' ? result.text : `${result.text}\n`);
    return result.failedClosed ? 1 : 0;
  },
});
