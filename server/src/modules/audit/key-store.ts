/**
 * Where the tree-head signing keys live (R-AUDIT-3; NIST AU-9): outside the database, so that whoever
 * can rewrite the audit table cannot also re-sign its heads. A JSON file (mode 0600, created on first
 * use, refused when others can read it or when it is a symbolic link) holding every key's public JWK
 * and only the active key's PKCS#8 private key: rotation destroys the previous private key, while its
 * public key stays, so old heads keep verifying.
 */
import { constants, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { WardError } from '@ward/contracts';
import { keyIdOf, publicKeyFromJwk, publicKeyJwk, PublicKeyRing, type KeyRing, type PublicKeyJwk, type SigningKey } from './keys.ts';

export interface SigningKeyStore {
  /** The ring, creating a first key when there is none. */
  load(): Promise<KeyRing>;
  /** A new active key; the previous private key is destroyed, its public key kept. */
  rotate(): Promise<KeyRing>;
}

const FORMAT = 'ward-audit-signing-keys-v1';

interface KeyFile {
  format: typeof FORMAT;
  activeKeyId: string;
  keys: Array<{ keyId: string; createdAt: string; publicJwk: PublicKeyJwk; privatePkcs8: string | null }>;
}

function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { keyId: keyIdOf(publicKey), privateKey, publicKey };
}

function ringOf(active: SigningKey, publicKeys: Iterable<KeyObject>): KeyRing {
  const ring = new PublicKeyRing(publicKeys);
  ring.add(active.publicKey);
  return { active, publicKeys: ring };
}

/** For tests and the embedded quick start's throwaway runs: nothing persists. */
export function createMemorySigningKeyStore(): SigningKeyStore {
  let active: SigningKey | undefined;
  const retired: KeyObject[] = [];
  return {
    load: async () => ringOf((active ??= newSigningKey()), retired),
    rotate: async () => {
      if (active !== undefined) retired.push(active.publicKey);
      active = newSigningKey();
      return ringOf(active, retired);
    },
  };
}

export function createFileSigningKeyStore(options: { path: string; now?: () => Date }): SigningKeyStore {
  const { path } = options;
  const now = options.now ?? (() => new Date());
  const insecure = (why: string) => new WardError('AUDIT_KEY_STORE_INSECURE', `The audit signing key file ${path} ${why}.`);
  const invalid = (why: string, cause?: unknown) =>
    new WardError('AUDIT_KEY_STORE_INVALID', `The audit signing key file ${path} is not valid: ${why}.`, cause === undefined ? undefined : { cause });

  async function read(): Promise<KeyFile | null> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      if (code === 'ELOOP') throw insecure('is a symbolic link; point the configuration at the real file');
      throw invalid(`it could not be opened (${code ?? 'unknown error'})`, e);
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw invalid('it is not a regular file');
      const mode = stat.mode & 0o777;
      if ((mode & 0o077) !== 0) throw insecure(`has mode ${mode.toString(8).padStart(4, '0')}; it must be readable by its owner only (chmod 600)`);
      const uid = process.getuid?.();
      if (uid !== undefined && stat.uid !== uid) throw insecure(`belongs to uid ${stat.uid}, not to this process (uid ${uid})`);
      let data: KeyFile;
      try {
        data = JSON.parse(await handle.readFile('utf8')) as KeyFile;
      } catch {
        throw invalid('not JSON'); // the parser's message would quote key material
      }
      if (data?.format !== FORMAT || !Array.isArray(data.keys) || typeof data.activeKeyId !== 'string') throw invalid(`format is not ${FORMAT}`);
      return data;
    } finally {
      await handle.close();
    }
  }

  function ringFromFile(data: KeyFile): KeyRing {
    const publicKeys: KeyObject[] = [];
    let active: SigningKey | undefined;
    for (const entry of data.keys) {
      let publicKey: KeyObject;
      try {
        publicKey = publicKeyFromJwk(entry.publicJwk);
      } catch (e) {
        throw invalid(`key ${String(entry.keyId)} has a malformed public key`, e);
      }
      if (keyIdOf(publicKey) !== entry.keyId) throw invalid(`key ${String(entry.keyId)} does not match its id`);
      publicKeys.push(publicKey);
      if (entry.keyId !== data.activeKeyId) continue;
      if (typeof entry.privatePkcs8 !== 'string') throw invalid('the active key has no private key');
      let privateKey: KeyObject;
      try {
        privateKey = createPrivateKey({ key: Buffer.from(entry.privatePkcs8, 'base64'), format: 'der', type: 'pkcs8' });
      } catch (e) {
        throw invalid('the active private key cannot be read', e);
      }
      if (keyIdOf(createPublicKey(privateKey)) !== entry.keyId) throw invalid('the active private key does not match its public key');
      active = { keyId: entry.keyId, privateKey, publicKey };
    }
    if (active === undefined) throw invalid('the active key is missing');
    return ringOf(active, publicKeys);
  }

  function entryOf(key: SigningKey): KeyFile['keys'][number] {
    return {
      keyId: key.keyId,
      createdAt: now().toISOString(),
      publicJwk: publicKeyJwk(key.publicKey),
      privatePkcs8: key.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    };
  }

  /** Temp file (0600, exclusive) → write → fsync → rename → fsync the directory. */
  async function write(data: KeyFile): Promise<void> {
    const dir = dirname(path);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(data, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.rename(temp, path);
    } catch (e) {
      await fs.rm(temp, { force: true });
      throw e;
    }
    const dirHandle = await fs.open(dir, constants.O_RDONLY);
    try {
      await dirHandle.sync(); // a rotation must survive a crash, or the destroyed private key comes back
    } finally {
      await dirHandle.close();
    }
  }

  return {
    async load() {
      const existing = await read();
      if (existing !== null) return ringFromFile(existing);
      const key = newSigningKey();
      const data: KeyFile = { format: FORMAT, activeKeyId: key.keyId, keys: [entryOf(key)] };
      await write(data);
      return ringFromFile(data);
    },
    async rotate() {
      const existing = await read();
      const key = newSigningKey();
      const kept = (existing?.keys ?? []).map((entry) => ({ ...entry, privatePkcs8: null }));
      const data: KeyFile = { format: FORMAT, activeKeyId: key.keyId, keys: [...kept, entryOf(key)] };
      await write(data);
      return ringFromFile(data);
    },
  };
}
