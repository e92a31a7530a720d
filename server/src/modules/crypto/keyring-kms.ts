/**
 * The default KMS (R-DATA-1): a local JSON keyring file holding one AES-256 key-encryption key per
 * tenant. It lives outside the database and its dumps (a path the configuration chooses; refused
 * when it lies inside a directory named in `notInside`), is created on first start with mode 0600,
 * and is refused when anyone but its owner could read it.
 *
 * Writes are durable: a temporary file in the same directory, fsync, rename over the keyring, fsync
 * of the directory. One process owns a keyring file (like the embedded database's data directory);
 * writes within it are serialised.
 */
import { constants, promises as fs } from 'node:fs';
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { dirname, basename, join, relative, resolve, isAbsolute } from 'node:path';
import { WardError, type TenantId } from '@ward/contracts';
import { encodeParts, openKey, sealKey } from './envelope.ts';
import { systemClock, type Clock, type Kms } from './types.ts';

const FORMAT = 'ward-keyring/1';
const KEY_BYTES = 32;

interface KekEntry {
  kekId: string;
  key: KeyObject;
  createdAt: string;
  /** `active` wraps new data keys; `previous` only unwraps until its data keys are rewrapped. */
  state: 'active' | 'previous';
}

interface TenantEntry {
  keks: KekEntry[];
  /** Set by destroyTenantKey; the key material is gone, the tombstone makes the error stable. */
  destroyedAt?: string;
}

interface KeyringFile {
  format: typeof FORMAT;
  tenants: Record<string, { destroyedAt?: string; keks: { kekId: string; key: string; createdAt: string; state: string }[] }>;
}

export interface KeyringKmsOptions {
  path: string;
  /** Directories the keyring must not be inside (the database's data directory, dump folders). */
  notInside?: readonly string[];
  clock?: Clock;
}

export interface KeyringKms extends Kms {
  readonly path: string;
}

export async function createKeyringKms(options: KeyringKmsOptions): Promise<KeyringKms> {
  const path = resolve(options.path);
  const clock = options.clock ?? systemClock;
  for (const dir of options.notInside ?? []) {
    const rel = relative(resolve(dir), path);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
      throw new WardError('CONFIG_INVALID', `The keyring file ${path} must not be inside ${resolve(dir)}.`);
    }
  }
  const tenants = await loadOrCreate(path);
  let queue: Promise<unknown> = Promise.resolve();

  /** Runs one keyring operation after the previous one finished, so writes never interleave. */
  function serial<T>(op: () => Promise<T> | T): Promise<T> {
    const next = queue.then(op, op);
    queue = next.catch(() => undefined);
    return next;
  }

  /**
   * The file first, then memory: a key that never reached the disk must never wrap a data key
   * (it would be lost on restart), and a failed destroy must not look done.
   */
  async function commit(tenantId: TenantId, entry: TenantEntry): Promise<void> {
    const next = new Map(tenants);
    next.set(tenantId, entry);
    await persist(path, next);
    tenants.set(tenantId, entry);
  }

  function liveTenant(tenantId: TenantId): TenantEntry | undefined {
    const entry = tenants.get(tenantId);
    if (entry?.destroyedAt !== undefined) {
      throw new WardError('KEY_DESTROYED', undefined, { detail: `The key-encryption key of tenant ${tenantId} was destroyed.` });
    }
    return entry;
  }

  function activeKek(tenantId: TenantId): KekEntry {
    const active = liveTenant(tenantId)?.keks.find((k) => k.state === 'active');
    if (!active) throw new WardError('KEY_NOT_FOUND', `Tenant ${tenantId} has no key-encryption key.`);
    return active;
  }

  function newKek(): KekEntry {
    return {
      kekId: `kek_${randomBytes(12).toString('base64url')}`,
      key: createSecretKey(randomBytes(KEY_BYTES)),
      createdAt: clock.now().toISOString(),
      state: 'active',
    };
  }

  const wrapAad = (tenantId: TenantId, kekId: string) => encodeParts(['ward-kek/v1', tenantId, kekId]);

  function wrapWith(tenantId: TenantId, plaintextKey: Buffer) {
    const kek = activeKek(tenantId);
    return { kekId: kek.kekId, wrapped: sealKey(kek.key, wrapAad(tenantId, kek.kekId), plaintextKey) };
  }

  return {
    path,

    createTenantKey: (tenantId) =>
      serial(async () => {
        const existing = liveTenant(tenantId)?.keks.find((k) => k.state === 'active');
        if (existing) return { kekId: existing.kekId };
        const kek = newKek();
        await commit(tenantId, { keks: [kek] });
        return { kekId: kek.kekId };
      }),

    async generateDataKey(tenantId) {
      const plaintext = randomBytes(KEY_BYTES);
      return { plaintext, ...wrapWith(tenantId, plaintext) };
    },

    async wrap(tenantId, plaintextKey) {
      return wrapWith(tenantId, plaintextKey);
    },

    async unwrap(tenantId, kekId, wrapped) {
      const kek = liveTenant(tenantId)?.keks.find((k) => k.kekId === kekId);
      if (!kek) throw new WardError('KEY_NOT_FOUND', `Tenant ${tenantId} has no key-encryption key ${kekId}.`);
      try {
        return openKey(kek.key, wrapAad(tenantId, kekId), wrapped);
      } catch (cause) {
        throw new WardError('DECRYPT_FAILED', `A data key of tenant ${tenantId} did not unwrap under ${kekId}.`, { cause });
      }
    },

    rotateTenantKey: (tenantId) =>
      serial(async () => {
        const entry = liveTenant(tenantId);
        if (!entry) throw new WardError('KEY_NOT_FOUND', `Tenant ${tenantId} has no key-encryption key.`);
        const kek = newKek();
        await commit(tenantId, { keks: [...entry.keks.map((k) => ({ ...k, state: 'previous' as const })), kek] });
        return { kekId: kek.kekId };
      }),

    destroyTenantKey: (tenantId) =>
      serial(async () => {
        if (tenants.get(tenantId)?.destroyedAt !== undefined) return;
        // Keep a tombstone, not the key: a later unwrap must fail with KEY_DESTROYED, not a
        // confusing KEY_NOT_FOUND, and createTenantKey must not quietly revive the tenant.
        await commit(tenantId, { keks: [], destroyedAt: clock.now().toISOString() });
      }),
  };
}

async function loadOrCreate(path: string): Promise<Map<string, TenantEntry>> {
  let handle: fs.FileHandle;
  try {
    // O_NOFOLLOW: a symlink planted at the keyring path is refused rather than followed.
    handle = await fs.open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const empty = new Map<string, TenantEntry>();
      await persist(path, empty);
      return empty;
    }
    if (code === 'ELOOP') throw new WardError('KEYRING_INSECURE', `The keyring file ${path} is a symbolic link; point the configuration at the real file.`);
    throw new WardError('KEYRING_INVALID', `The keyring file ${path} could not be opened (${code ?? 'unknown error'}).`, { cause: e });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new WardError('KEYRING_INVALID', `The keyring path ${path} is not a regular file.`);
    const mode = stat.mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new WardError(
        'KEYRING_INSECURE',
        `The keyring file ${path} has mode ${mode.toString(8).padStart(4, '0')}; it must be readable by its owner only. Run: chmod 600 ${path}`,
      );
    }
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) {
      throw new WardError('KEYRING_INSECURE', `The keyring file ${path} belongs to uid ${stat.uid}, not to this process (uid ${uid}).`);
    }
    return parse(path, await handle.readFile('utf8'));
  } finally {
    await handle.close();
  }
}

function parse(path: string, text: string): Map<string, TenantEntry> {
  const invalid = (why: string) => new WardError('KEYRING_INVALID', `The keyring file ${path} is not valid: ${why}.`);
  let data: KeyringFile;
  try {
    data = JSON.parse(text) as KeyringFile;
  } catch {
    throw invalid('not JSON'); // the parser's message would quote the file's bytes; keep them out
  }
  if (data?.format !== FORMAT || typeof data.tenants !== 'object' || data.tenants === null) throw invalid(`format is not ${FORMAT}`);
  const tenants = new Map<string, TenantEntry>();
  for (const [tenantId, entry] of Object.entries(data.tenants)) {
    if (!Array.isArray(entry?.keks)) throw invalid(`tenant ${tenantId} has no key list`);
    const keks = entry.keks.map((k): KekEntry => {
      const raw = Buffer.from(String(k.key), 'base64');
      if (raw.length !== KEY_BYTES || typeof k.kekId !== 'string' || (k.state !== 'active' && k.state !== 'previous')) {
        throw invalid(`tenant ${tenantId} has a malformed key`);
      }
      return { kekId: k.kekId, key: createSecretKey(raw), createdAt: String(k.createdAt), state: k.state };
    });
    if (entry.destroyedAt === undefined && keks.filter((k) => k.state === 'active').length !== 1) {
      throw invalid(`tenant ${tenantId} must have exactly one active key`);
    }
    tenants.set(tenantId, entry.destroyedAt === undefined ? { keks } : { keks: [], destroyedAt: String(entry.destroyedAt) });
  }
  return tenants;
}

/** Temp file (0600, exclusive) → write → fsync → rename → fsync the directory. */
async function persist(path: string, tenants: Map<string, TenantEntry>): Promise<void> {
  const data: KeyringFile = { format: FORMAT, tenants: {} };
  for (const [tenantId, entry] of tenants) {
    data.tenants[tenantId] = {
      ...(entry.destroyedAt !== undefined ? { destroyedAt: entry.destroyedAt } : {}),
      keks: entry.keks.map((k) => ({ kekId: k.kekId, key: k.key.export().toString('base64'), createdAt: k.createdAt, state: k.state })),
    };
  }
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(data, null, 2)}\n`, 'utf8');
    await handle.sync();
  } catch (e) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw new WardError('KMS_UNAVAILABLE', `The keyring file ${path} could not be written.`, { cause: e });
  }
  await handle.close();
  try {
    await fs.rename(temp, path);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw new WardError('KMS_UNAVAILABLE', `The keyring file ${path} could not be replaced.`, { cause: e });
  }
  const dirHandle = await fs.open(dir, constants.O_RDONLY);
  try {
    await dirHandle.sync(); // the rename itself must survive a crash, or a destroyed key comes back
  } finally {
    await dirHandle.close();
  }
}
