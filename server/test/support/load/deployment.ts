/**
 * A throwaway PostgreSQL deployment of Ward as the README's production path runs it: a fresh
 * database, `ward migrate` and `ward demo seed` as the owner, then the server as a real child
 * process serving as `ward_app` on a loopback port. Signed-in demo members (real session rows and
 * device keys, no browser) drive guarded routes. Used by `npm run bench:http` and the sustained-load
 * test. The server is a separate process so that a crash of it is seen as a crash (R-OPS-1), not
 * taken for a failed request or taking the driver down with it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config.ts';
import { createDeps, type Deps } from '../../../src/deps.ts';
import { createLogger } from '../../../src/logging.ts';
import { postgresMigratedTemplate, postgresTestUrls } from '../databases.ts';
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
  /** The engine, the server's data directory, and on PostgreSQL the owner's URL (for a bare server beside it). */
  where: { engine: 'postgres' | 'embedded'; dataDir: string; ownerUrl?: string };
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
  /** The server process's resident memory (KiB), from /proc; null where there is none. */
  serverRssKb(): number | null;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and keeps the database. */
  stopServer(): Promise<void>;
  /** The server process's id (the node process that listens; no wrapper in between). */
  serverPid(): number | undefined;
  /** kill -9 of the server process, at once. */
  kill(): void;
  /** Starts the server again on the same port, data directory and database (after a stop or a kill). */
  restart(): Promise<void>;
  /** Runs `ward <args>` with the deployment's environment; rejects on a non-zero exit. */
  cli(args: string[]): Promise<string>;
  /**
   * Starts one more Ward server on the same database, data directory (keyring, audit signing key,
   * heads directory: shared, as docs/scaling.md asks) and origin, on its own loopback port, as a
   * second instance behind a load balancer is. close() stops it too.
   */
  addServer(): Promise<Instance>;
  /** Stops the server, closes the driver's connections and drops the database. */
  close(): Promise<void>;
}

/** One more server of a deployment (addServer). */
export interface Instance {
  baseUrl: string;
  pid: number | undefined;
  alive(): boolean;
  serverCpuMs(): number | null;
  serverRssKb(): number | null;
  stop(): Promise<void>;
  kill(): void;
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

function processRssKb(pid: number | undefined): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) : null;
  } catch {
    return null;
  }
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function ward(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['server/bin/ward.mjs', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`ward ${args.join(' ')} exited ${code}: ${out}`))));
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

interface Spawned {
  baseUrl: string;
  alive(): boolean;
  exit(): ServerExit | null;
  output(): string;
  cpuMs(): number | null;
  rssKb(): number | null;
  pid: number | undefined;
  kill(): void;
  stop(): Promise<void>;
}

/** A server as a child process on a loopback port, ready once `/healthz` answers. */
export async function spawnServer(args: string[], env: NodeJS.ProcessEnv, port: number): Promise<Spawned> {
  let out = '';
  let exited: ServerExit | null = null;
  const c = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (d: Buffer) => {
    out += d;
    if (out.length > 131_072) out = out.slice(-65_536);
  };
  c.stdout.on('data', keep);
  c.stderr.on('data', keep);
  c.on('exit', (code, signal) => (exited = { code, signal }));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(baseUrl, () => exited !== null, 120_000);
  } catch (e) {
    if (exited === null) c.kill('SIGKILL');
    (e as Error).message += `\nserver output:\n${out.slice(-4096)}`;
    throw e;
  }
  return {
    baseUrl,
    alive: () => exited === null,
    exit: () => exited,
    output: () => out.slice(-65_536),
    cpuMs: () => processCpuMs(c.pid),
    rssKb: () => processRssKb(c.pid),
    pid: c.pid,
    kill: () => void c.kill('SIGKILL'),
    async stop() {
      if (exited !== null) return;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

function childEnvOf(env: Record<string, string>): NodeJS.ProcessEnv {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.NODE_OPTIONS; // the server runs with exactly the flags asked for
  delete childEnv.NODE_TEST_CONTEXT; // a server started from a test is no test
  return childEnv;
}

function deploymentOf(first: Spawned, spawnAgain: () => Promise<Spawned>, env: NodeJS.ProcessEnv, signInAs: (email: string) => Promise<TestSession>, cleanUp: () => Promise<void>, where: Deployment['where'], spawnAnother?: () => Promise<Spawned>): Deployment {
  let server = first;
  const others: Spawned[] = [];
  return {
    baseUrl: server.baseUrl,
    where,
    signIn: signInAs,
    alive: () => server.alive(),
    exit: () => server.exit(),
    output: () => server.output(),
    serverCpuMs: () => server.cpuMs(),
    serverRssKb: () => server.rssKb(),
    stopServer: () => server.stop(),
    serverPid: () => server.pid,
    kill: () => server.kill(),
    async restart() {
      await server.stop();
      server = await spawnAgain();
    },
    cli: (args) => ward(args, env),
    async addServer() {
      if (!spawnAnother) throw new Error('one server at a time on the embedded database');
      const s = await spawnAnother();
      others.push(s);
      return { baseUrl: s.baseUrl, pid: s.pid, alive: () => s.alive(), serverCpuMs: () => s.cpuMs(), serverRssKb: () => s.rssKb(), stop: () => s.stop(), kill: () => s.kill() };
    },
    async close() {
      await Promise.all([server, ...others].map((s) => s.stop()));
      await cleanUp();
    },
  };
}

export async function deployOnPostgres(opts: DeploymentOptions = {}): Promise<Deployment> {
  // Within a test run, a copy of the run's migrated template: `ward migrate` below then checks it and applies nothing.
  const database = await postgresTestUrls({ prefix: opts.databasePrefix ?? 'ward_load_', template: await postgresMigratedTemplate() });
  const dataDir = mkdtempSync(join(tmpdir(), 'ward-load-'));
  const port = opts.port ?? (await freeLoopbackPort());
  const env: Record<string, string> = {
    WARD_DATA_DIR: dataDir, // keyring, audit signing key and published heads
    WARD_MIGRATION_DATABASE_URL: database.ownerUrl,
    WARD_DATABASE_URL: database.appUrl,
    WARD_PORT: String(port),
    WARD_HOST: '127.0.0.1',
    WARD_LOG_LEVEL: 'info',
    WARD_METRICS_ADDRESS: 'off', // several deployments may run at once; none needs the metrics port
    ...opts.env,
  };
  const childEnv = childEnvOf(env);
  let deps: Deps | undefined;
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
    const args = [...(opts.nodeArgs ?? []), ...(opts.entry ?? ['--import', 'tsx', 'server/src/main.ts'])];
    const spawnWard = () => spawnServer(args, childEnv, port);
    // Another instance: its own port; the same origin, so that sessions and proofs are valid at each.
    const spawnAnother = async () => {
      const other = await freeLoopbackPort();
      return spawnServer(args, { ...childEnv, WARD_PORT: String(other), WARD_ORIGIN: childEnv.WARD_ORIGIN ?? `http://localhost:${port}` }, other);
    };
    const server = await spawnWard();
    const d = deps;
    return deploymentOf(server, spawnWard, childEnv, (email) => signIn(d, email), cleanUp, { engine: 'postgres', dataDir, ownerUrl: database.ownerUrl }, spawnAnother);
  } catch (e) {
    await cleanUp();
    throw e;
  }
}

/**
 * The same on the embedded engine (PGlite in the server's own process, `npm start`'s default). Its
 * data directory has one user at a time, so the members in `signIns` are signed in before the server
 * starts, and `signIn` hands out those sessions in turn.
 */
export async function deployEmbedded(opts: DeploymentOptions & { signIns: string[] }): Promise<Deployment> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ward-load-'));
  const port = opts.port ?? (await freeLoopbackPort());
  const env: Record<string, string> = { WARD_DATA_DIR: dataDir, WARD_PORT: String(port), WARD_HOST: '127.0.0.1', WARD_LOG_LEVEL: 'info', WARD_METRICS_ADDRESS: 'off', ...opts.env };
  const childEnv = childEnvOf(env);
  const cleanUp = async () => rmSync(dataDir, { recursive: true, force: true });
  try {
    await ward(['migrate'], childEnv);
    await ward(['demo', 'seed'], childEnv);
    const deps = await createDeps(loadConfig(env), { migrate: false, serve: false, logger: createLogger('warn') });
    const ready = new Map<string, TestSession[]>();
    try {
      for (const email of opts.signIns) ready.set(email, [...(ready.get(email) ?? []), await signIn(deps, email)]);
    } finally {
      await deps.close();
    }
    const spawnWard = () => spawnServer([...(opts.nodeArgs ?? []), ...(opts.entry ?? ['--import', 'tsx', 'server/src/main.ts'])], childEnv, port);
    const server = await spawnWard();
    const signInAs = async (email: string) => {
      const session = ready.get(email)?.shift();
      if (!session) throw new Error(`no session left for ${email}: list it in signIns`);
      return session;
    };
    return deploymentOf(server, spawnWard, childEnv, signInAs, cleanUp, { engine: 'embedded', dataDir });
  } catch (e) {
    await cleanUp();
    throw e;
  }
}
