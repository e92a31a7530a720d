/**
 * `ward redact` (R-DATA-2): PHI redaction on standard input, never on the command line (arguments show
 * in process lists). Plain text in, masked text out; or `--format jsonl`: `{"id","text"}` lines in,
 * `{"id","spans":[{"start","end","label"}]}` lines out, streamed line by line in bounded memory. A bad
 * line gets `{"id"?, "error": {"code"}}` without its content, and the other lines still run.
 * Each line fails closed (R-AI-7): a failure yields an error line, never the raw text.
 */
import { createInterface } from 'node:readline';
import { WardError } from '@ward/contracts';
import type { Command } from '../command.ts';
import { detect, redactOrMaskAll } from '../../modules/redaction/index.ts';

function parseArgs(args: string[]): { format: 'text' | 'jsonl'; pseudonyms: boolean } {
  let format: 'text' | 'jsonl' = 'text';
  let pseudonyms = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--format') {
      const v = args[++i];
      if (v !== 'jsonl' && v !== 'text') throw new WardError('USAGE', 'ward redact: --format takes jsonl or text.');
      format = v;
    } else if (a === '--format=jsonl' || a === '--format=text') format = a.slice(9) as 'jsonl' | 'text';
    else if (a === '--pseudonyms') pseudonyms = true;
    // Anything else is refused without echoing it: it might be PHI typed on the command line.
    else throw new WardError('USAGE', 'ward redact: unknown argument (PHI goes on standard input, never in arguments).');
  }
  return { format, pseudonyms };
}

/** Writes and waits when the pipe is full, so a million lines run in bounded memory. */
function writer(out: NodeJS.WritableStream): (s: string) => Promise<void> {
  return (s) => (out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', () => r())));
}

async function runJsonl(io: Parameters<Command['run']>[1]): Promise<number> {
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

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of input) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

const command: Command = {
  path: ['redact'],
  summary: 'mask PHI in text read from standard input',
  usage: 'ward redact [--format jsonl|text] [--pseudonyms] < input',
  async run(args, io) {
    const { format, pseudonyms } = parseArgs(args);
    if (format === 'jsonl') return runJsonl(io);
    // Plain text: masked text out, or fully masked if redaction fails (R-AI-7).
    const result = redactOrMaskAll(await readAll(io.stdin), { pseudonyms, budgetMs: 60_000 });
    io.stdout.write(result.text.endsWith('\n') || result.text === '' ? result.text : `${result.text}\n`);
    return result.failedClosed ? 1 : 0;
  },
};

export default command;
