/**
 * `npm run bench:crypto` (R-DATA-1): field encryption and decryption operations per second for
 * typical PHI sizes (16 B name, 64 B address, 1 KiB utterance, 4 KiB case note), MB/s for recording
 * audio in 1 MiB chunks, and blind-index operations per second, all through the public field cipher
 * with warm key caches (the steady state of a server: no KMS call per read). Prints one JSON line.
 * The scoped-read ratio (a point read that decrypts its fields, against the same read in plaintext)
 * needs the database integration and is reported as null until then.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TenantId } from '@ward/contracts';
import { createFieldCipher, createKeyringKms, createMemoryKeyStore } from '../src/modules/crypto/index.ts';
import { createDbKeyStore } from '../src/modules/crypto/db-key-store.ts';
import { migrate } from '../src/db/migrate.ts';
import { openEmbedded } from '../src/db/pglite.ts';
import { generateDemo } from '../src/modules/demo/index.ts';
import { seedDemo } from '../src/modules/demo/seed.ts';
import { getPatient, type PatientPhiField } from '../src/modules/phi/index.ts';

const MIN_SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const tenantId = 'bench-tenant' as TenantId;

/** Runs `op` in batches until MIN_SECONDS have passed; returns operations per second. */
async function rate(op: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i += 1) await op(i); // warm-up: JIT and key cache
  let count = 0;
  const start = process.hrtime.bigint();
  let elapsedNs = 0n;
  while (elapsedNs < BigInt(Math.round(MIN_SECONDS * 1e9))) {
    for (let i = 0; i < 100; i += 1) await op(count + i);
    count += 100;
    elapsedNs = process.hrtime.bigint() - start;
  }
  return count / (Number(elapsedNs) / 1e9);
}

const round = (n: number, digits = 0) => Number(n.toFixed(digits));

const dir = await mkdtemp(join(tmpdir(), 'ward-bench-crypto-'));
try {
  const kms = await createKeyringKms({ path: join(dir, 'keyring.json') });
  const cipher = createFieldCipher({ kms, keyStore: createMemoryKeyStore() });
  await cipher.provisionTenant(tenantId);

  const fields: Record<string, { encryptOpsPerSecond: number; decryptOpsPerSecond: number; microsecondsPerDecrypt: number }> = {};
  for (const [name, bytes] of [['16B', 16], ['64B', 64], ['1KiB', 1024], ['4KiB', 4096]] as const) {
    const plaintext = randomBytes(bytes).toString('base64').slice(0, bytes);
    const ref = { table: 'bench', rowId: 'row-1', column: `c${bytes}` };
    const ciphertext = await cipher.encryptField(tenantId, ref, plaintext);
    const encryptOps = await rate(() => cipher.encryptField(tenantId, ref, plaintext));
    const decryptOps = await rate(() => cipher.decryptPlaintext(tenantId, ref, ciphertext));
    fields[name] = { encryptOpsPerSecond: round(encryptOps), decryptOpsPerSecond: round(decryptOps), microsecondsPerDecrypt: round(1e6 / decryptOps, 2) };
  }

  const chunk = randomBytes(1024 * 1024);
  const audioRef = { table: 'recording_chunks', rowId: 'rec-1:0', column: 'audio' };
  const sealedChunk = await cipher.encryptField(tenantId, audioRef, chunk);
  const audioSeconds = async (op: () => Promise<unknown>) => {
    for (let i = 0; i < 3; i += 1) await op();
    let n = 0;
    const start = process.hrtime.bigint();
    while (Number(process.hrtime.bigint() - start) / 1e9 < MIN_SECONDS) {
      await op();
      n += 1;
    }
    return (n * chunk.length) / 1e6 / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  const audioEncrypt = await audioSeconds(() => cipher.encryptField(tenantId, audioRef, chunk));
  const audioDecrypt = await audioSeconds(() => cipher.decryptPlaintext(tenantId, audioRef, sealedChunk));

  const blindIndexOps = await rate((i) => cipher.blindIndex(tenantId, 'phone', `+1555${String(1000000 + (i % 9000000))}`));

  // The scoped point read of a patient (embedded database, demo data), without and with decrypting
  // the fields a screen pop carries (names, date of birth, phone), alternated in the same run.
  const db = await openEmbedded(join(dir, 'db'), { lock: false });
  const keyStore = createDbKeyStore(db.systemDb, { engine: 'embedded' });
  await migrate(db.systemDb);
  await keyStore.load();
  const dbCipher = createFieldCipher({ kms, keyStore });
  const demo = generateDemo(1);
  await seedDemo(db.systemDb, demo, { cipher: dbCipher });
  const patients = demo.patients;
  const screenPop: PatientPhiField[] = ['givenName', 'familyName', 'dateOfBirth', 'phone'];
  const read = (i: number, fields: PatientPhiField[]) => {
    const p = patients[i % patients.length]!;
    const scope = { tenantId: p.tenantId, phiScopes: ['Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental'] as const, actorId: 'bench', actorKind: 'human' as const };
    return db.scoped(scope, (tx) => getPatient(tx, dbCipher, p.tenantId as TenantId, p.id, { fields }));
  };
  let plainNs = 0n;
  let decryptNs = 0n;
  let reads = 0;
  for (let i = 0; i < 200; i += 1) await read(i, screenPop);
  const until = process.hrtime.bigint() + BigInt(Math.round(MIN_SECONDS * 2e9));
  while (process.hrtime.bigint() < until) {
    for (let i = 0; i < 50; i += 1) {
      let t = process.hrtime.bigint();
      await read(reads + i, []);
      plainNs += process.hrtime.bigint() - t;
      t = process.hrtime.bigint();
      await read(reads + i, screenPop);
      decryptNs += process.hrtime.bigint() - t;
    }
    reads += 50;
  }
  await db.close();
  const plainUs = Number(plainNs) / 1e3 / reads;
  const decryptUs = Number(decryptNs) / 1e3 / reads;

  console.log(
    JSON.stringify({
      bench: 'crypto',
      node: process.version,
      secondsPerFigure: MIN_SECONDS,
      cipher: 'aes-256-gcm (node:crypto), warm key cache',
      fields,
      audio1MiBChunks: { encryptMBps: round(audioEncrypt, 1), decryptMBps: round(audioDecrypt, 1) },
      blindIndexPhoneOpsPerSecond: round(blindIndexOps),
      scopedRead: {
        engine: 'embedded',
        fieldsDecrypted: screenPop.length,
        microsecondsWithoutDecryption: round(plainUs, 1),
        microsecondsWithDecryption: round(decryptUs, 1),
      },
      // (with − without) / without: the share decryption adds to the scoped read (goal ≤ 0.10).
      scopedReadRatio: round((decryptUs - plainUs) / plainUs, 3),
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
