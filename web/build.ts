import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'vite';

/**
 * Builds the dashboard into web/dist with Vite, unless the sources are unchanged since the last
 * build (a hash of web/src, index.html, the config and contracts/src is kept in dist/.source-hash).
 * `npm start` and `npm test` run it first, so no one builds by hand; nothing is downloaded.
 */
const WEB = import.meta.dirname;
const ROOT = join(WEB, '..');
export const DIST = join(WEB, 'dist');
const HASH_FILE = join(DIST, '.source-hash');

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else out.push(path);
  }
  return out;
}

export function sourceHash(): string {
  const h = createHash('sha256');
  const inputs = [...files(join(WEB, 'src')), join(WEB, 'index.html'), join(WEB, 'vite.config.ts'), join(WEB, 'package.json'), ...files(join(ROOT, 'contracts/src'))];
  for (const f of inputs) h.update(relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

export async function buildWeb(opts: { force?: boolean } = {}): Promise<{ built: boolean; ms: number }> {
  const started = performance.now();
  const hash = sourceHash();
  if (!opts.force && existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8') === hash) return { built: false, ms: performance.now() - started };
  // React's production build (JSX runtime and library alike) whatever NODE_ENV the caller has (npm test sets `test`).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(WEB, 'vite.config.ts'), mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  writeFileSync(HASH_FILE, hash);
  return { built: true, ms: performance.now() - started };
}

if (process.argv[1] === import.meta.filename) {
  const r = await buildWeb({ force: process.argv.includes('--force') });
  process.stdout.write(r.built ? `dashboard built in ${Math.round(r.ms)} ms (web/dist)\n` : 'dashboard up to date (web/dist)\n');
}
