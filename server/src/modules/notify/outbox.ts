import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Message, Transport } from './types.ts';

/**
 * The default transport: one JSON file per message in a directory of the data directory (mode 0700,
 * files 0600), for a single machine, the demo and the tests. A message is written under a temporary
 * name and renamed, so a reader never sees half of one.
 */
export function createFileOutbox(dir: string): Transport & { read(): Message[] } {
  function ensureDir(): void {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
  }
  return {
    async send(message) {
      ensureDir();
      const name = `${message.sentAt.toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.json`;
      const temporary = join(dir, `.${name}.tmp`);
      writeFileSync(temporary, JSON.stringify({ ...message, sentAt: message.sentAt.toISOString() }), { mode: 0o600, flag: 'wx' });
      renameSync(temporary, join(dir, name));
    },
    read() {
      let names: string[];
      try {
        names = readdirSync(dir).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
      } catch {
        return [];
      }
      return names.map((n) => {
        const m = JSON.parse(readFileSync(join(dir, n), 'utf8')) as Message & { sentAt: string };
        return { ...m, sentAt: new Date(m.sentAt) };
      });
    },
  };
}
