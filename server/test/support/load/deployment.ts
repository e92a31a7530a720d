/**
 * A throwaway PostgreSQL deployment of Ward as the README's production path runs it: a fresh
 * database, `ward migrate` and `ward demo seed` as the owner, then the server as a real child
 * process serving as `ward_app` on a loopback port. Signed-in demo members (real session rows and
 * device keys, no browser) drive guarded routes. Used by `npm run bench:http` and the sustained-load
 * test. The server is a separate process so that a crash of it is seen as a crash (R-OPS-1), not
 * taken for a failed request or taking the driver down with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config.ts';
import { createDeps, type Deps } from '../../../src/deps.ts';
import { createLogger } from '../../../src/logging.ts';
import { postgresTestUrls } from '../databases.ts';
import { signIn, type TestSession } from '../session-client.ts';

const root = new URL('../../../../', import.meta.url).pathname;

export interface DeploymentOptions {
  /** Prefix of the database's name (the rest is random); it is created under WARD_TEST_DATABASE_URL and dropped by close(). */
  databasePrefix?: string;
  /** Loopback port; default a free one. */
  port?: number;
  /** Node arguments before the entry point, for example ['--max-opt=2']; default none. */
  nodeArgs?: string[];
  /** The server's entry point and loader; default `--import tsx server/src/main.ts` (what `npm start` runs). */
  entry?: string[];
  /** More environment for the server (WARD_LOG_LEVEL defaults to info, as in production). */
  env?: Record<string, string>;
}

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Deployment {
  baseUrl: string;
  /** Sign a demo member in (a new session and device key on each call). */
  signIn(email: string): Promise<TestSession>;
  /** The server process is still running. */
  alive(): boolean;
  /** How the server ended, once it has. */
  exit(): ServerExit | null;
  /** The last 64 KiB the server wrote to stdout and stderr (a V8 fatal error prints there). */
  output(): string;
  /** CPU time the server process has used so far (user + system, ms), from /proc; null where there is none. */
  serverCpuMs(): number | null;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s), closes the driver's connections and drops the database. */
  close(): Promise<void>;
}

const TICK_MS = 1000 / 100; // USER_HZ, 100 on Linux

function processCpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
  } catch {
    return null;
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function ward(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['server/bin/ward.mjs', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ward ${args.join(' ')} exited ${code}: ${out}`))));
  });
}

async function waitHealthy(baseUrl: string, exited: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error('the server exited before it answered /healthz');
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error('the server did not answer /healthz in time');
}

export async function deployOnPostgres(opts: DeploymentOptions = {}): Promise<Deployment> {
  const database = await postgresTestUrls({ prefix: opts.databasePrefix ?? 'ward_load_' });
  const dataDir = mkdtempSync(join(tmpdir(), 'ward-load-'));
  const port = opts.port ?? (await freeLoopbackPort());
  const env: Record<string, string> = {
    WARD_DATA_DIR: dataDir, // keyring, audit signing key and published heads
    WARD_MIGRATION_DATABASE_URL: database.ownerUrl,
    WARD_DATABASE_URL: database.appUrl,
    WARD_PORT: String(port),
    WARD_HOST: '127.0.0.1',
    WARD_LOG_LEVEL: 'info',
    ...opts.env,
  };
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.NODE_OPTIONS; // the server runs with exactly the flags asked for
  delete childEnv.NODE_TEST_CONTEXT; // a server started from a test is no test
  let child: ChildProcess | undefined;
  let deps: Deps | undefined;
  let out = '';
  let exited: ServerExit | null = null;
  const cleanUp = async () => {
    await deps?.close().catch(() => {});
    await database.drop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await ward(['migrate'], childEnv);
    await ward(['demo', 'seed'], childEnv);
    // The driver's own connection, for signing in: sessions and device keys are rows.
    deps = await createDeps(loadConfig(env), { migrate: false, serve: false, logger: createLogger('warn'), poolSize: 2 });

    const c = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...(opts.entry ?? ['--import', 'tsx', 'server/src/main.ts'])], {
      cwd: root,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    const keep = (d: Buffer) => {
      out += d;
      if (out.length > 131_072) out = out.slice(-65_536);
    };
    c.stdout.on('data', keep);
    c.stderr.on('data', keep);
    c.on('exit', (code, signal) => (exited = { code, signal }));
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitHealthy(baseUrl, () => exited !== null, 120_000);
    const d = deps;
    return {
      baseUrl,
      signIn: (email) => signIn(d, email),
      alive: () => exited === null,
      exit: () => exited,
      output: () => out.slice(-65_536),
      serverCpuMs: () => processCpuMs(c.pid),
      async close() {
        if (exited === null) {
          const gone = new Promise((r) => c.once('exit', r));
          c.kill('SIGTERM');
          const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
          await gone;
          clearTimeout(timer);
        }
        await cleanUp();
      },
    };
  } catch (e) {
    if (child && exited === null) child.kill('SIGKILL');
    await cleanUp();
    if (out) (e as Error).message += `\nserver output:\n${out.slice(-4096)}`;
    throw e;
  }
}
