import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.ts';

/**
 * A Ward server in its own process, as `npm start` runs it, from a source tree (this one, or a
 * mutated copy), on a free port with a fresh embedded data directory and no demo data. The drill
 * reaches it over HTTP and through the operator socket in that directory.
 */
export interface WardProcess {
  origin: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startWardProcess(treeRoot: string, opts: { timeoutMs?: number } = {}): Promise<WardProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ward-drill-'));
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(treeRoot, 'server/src/main.ts')], {
    cwd: treeRoot,
    env: { ...process.env, WARD_DATA_DIR: dataDir, WARD_PORT: String(port), WARD_HOST: '127.0.0.1', WARD_ORIGIN: origin, WARD_DEMO_SEED: 'never', WARD_LOG_LEVEL: 'warn', WARD_METRICS_ADDRESS: 'off', WARD_DATABASE_URL: '', WARD_MIGRATION_DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
  while (!out.includes('Ward is serving')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`the Ward server did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    origin, dataDir,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
