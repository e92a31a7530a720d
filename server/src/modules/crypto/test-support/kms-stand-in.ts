/**
 * Test support, never imported by production code: a local HTTP stand-in for AWS KMS on 127.0.0.1,
 * speaking the AWS JSON 1.1 protocol the SDK uses (POST /, `X-Amz-Target: TrentService.<Op>`,
 * `Content-Type: application/x-amz-json-1.1`, SigV4 `Authorization`, blobs as base64). It checks
 * that request shape and answers Encrypt, Decrypt, GenerateDataKey, DescribeKey, DisableKey,
 * ScheduleKeyDeletion and RotateKeyOnDemand with real AES-256-GCM under per-key material, binding
 * the encryption context as additional data like KMS does. Errors use the protocol's `__type`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

interface StandInKey {
  keyId: string;
  arn: string;
  state: 'Enabled' | 'Disabled' | 'PendingDeletion';
  materials: Buffer[];
}

export interface RecordedRequest {
  target: string;
  contentType: string | undefined;
  isSigned: boolean;
  body: Record<string, unknown>;
}

export interface KmsStandIn {
  endpoint: string;
  requests: RecordedRequest[];
  /** Shape problems seen (wrong header, body or key id); a test asserts this stays empty. */
  problems: string[];
  createKey(alias?: string): { keyId: string; arn: string };
  keyState(keyIdOrAlias: string): string | undefined;
  close(): Promise<void>;
}

class KmsFault extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

export async function startKmsStandIn(): Promise<KmsStandIn> {
  const keys = new Map<string, StandInKey>();
  const aliases = new Map<string, string>();
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];

  function resolveKey(keyId: unknown): StandInKey {
    if (typeof keyId !== 'string' || keyId.length === 0) throw new KmsFault('ValidationException', 'KeyId is required');
    const id = aliases.get(keyId) ?? keyId.replace(/^arn:aws:kms:[^:]+:\d+:key\//, '');
    const key = keys.get(id);
    if (!key) throw new KmsFault('NotFoundException', `Key '${keyId}' does not exist`);
    return key;
  }

  function usable(key: StandInKey): StandInKey {
    if (key.state === 'Disabled') throw new KmsFault('DisabledException', `${key.arn} is disabled.`);
    if (key.state === 'PendingDeletion') throw new KmsFault('KMSInvalidStateException', `${key.arn} is pending deletion.`);
    return key;
  }

  /** KMS binds the encryption context to the ciphertext; so do we, canonically. */
  function contextAad(context: unknown): Buffer {
    const entries = Object.entries((context ?? {}) as Record<string, string>).sort(([a], [b]) => a.localeCompare(b));
    return Buffer.from(JSON.stringify(entries), 'utf8');
  }

  function blob(value: unknown, name: string): Buffer {
    if (typeof value !== 'string') throw new KmsFault('ValidationException', `${name} must be a base64 string`);
    return Buffer.from(value, 'base64');
  }

  function encrypt(key: StandInKey, plaintext: Buffer, context: unknown): Buffer {
    const material = key.materials.length - 1;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.materials[material]!, iv);
    cipher.setAAD(contextAad(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    const id = Buffer.from(key.keyId, 'utf8');
    return Buffer.concat([Buffer.from([id.length, material]), id, iv, body]);
  }

  function decrypt(ciphertext: Buffer, requestedKeyId: unknown, context: unknown): { key: StandInKey; plaintext: Buffer } {
    const idLength = ciphertext[0] ?? 0;
    const material = ciphertext[1] ?? 0;
    const key = keys.get(ciphertext.subarray(2, 2 + idLength).toString('utf8'));
    if (!key) throw new KmsFault('InvalidCiphertextException', 'The ciphertext is invalid.');
    if (requestedKeyId !== undefined && resolveKey(requestedKeyId) !== key) throw new KmsFault('IncorrectKeyException', 'The key ID in the request does not identify the key that encrypted the ciphertext.');
    usable(key);
    const rest = ciphertext.subarray(2 + idLength);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.materials[material]!, rest.subarray(0, 12));
      decipher.setAAD(contextAad(context));
      decipher.setAuthTag(rest.subarray(rest.length - 16));
      return { key, plaintext: Buffer.concat([decipher.update(rest.subarray(12, rest.length - 16)), decipher.final()]) };
    } catch {
      throw new KmsFault('InvalidCiphertextException', 'The ciphertext is invalid.');
    }
  }

  const operations: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    Encrypt(body) {
      const key = usable(resolveKey(body.KeyId));
      const plaintext = blob(body.Plaintext, 'Plaintext');
      if (plaintext.length === 0 || plaintext.length > 4096) throw new KmsFault('ValidationException', 'Plaintext must be 1 to 4096 bytes');
      return { CiphertextBlob: encrypt(key, plaintext, body.EncryptionContext).toString('base64'), KeyId: key.arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
    Decrypt(body) {
      const { key, plaintext } = decrypt(blob(body.CiphertextBlob, 'CiphertextBlob'), body.KeyId, body.EncryptionContext);
      return { KeyId: key.arn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
    GenerateDataKey(body) {
      const key = usable(resolveKey(body.KeyId));
      if (body.KeySpec !== 'AES_256') throw new KmsFault('ValidationException', 'KeySpec must be AES_256 here');
      const plaintext = randomBytes(32);
      return { CiphertextBlob: encrypt(key, plaintext, body.EncryptionContext).toString('base64'), Plaintext: plaintext.toString('base64'), KeyId: key.arn };
    },
    DescribeKey(body) {
      const key = resolveKey(body.KeyId);
      return { KeyMetadata: { KeyId: key.keyId, Arn: key.arn, KeyState: key.state, Enabled: key.state === 'Enabled', KeyUsage: 'ENCRYPT_DECRYPT', AWSAccountId: ACCOUNT } };
    },
    DisableKey(body) {
      const key = resolveKey(body.KeyId);
      if (key.state === 'PendingDeletion') throw new KmsFault('KMSInvalidStateException', `${key.arn} is pending deletion.`);
      key.state = 'Disabled';
      return {};
    },
    ScheduleKeyDeletion(body) {
      const key = resolveKey(body.KeyId);
      if (key.state === 'PendingDeletion') throw new KmsFault('KMSInvalidStateException', `${key.arn} is pending deletion.`);
      const days = body.PendingWindowInDays ?? 30;
      if (typeof days !== 'number' || days < 7 || days > 30) throw new KmsFault('ValidationException', 'PendingWindowInDays must be 7 to 30');
      key.state = 'PendingDeletion';
      return { KeyId: key.arn, KeyState: key.state, PendingWindowInDays: days, DeletionDate: Math.floor(Date.now() / 1000) + days * 86400 };
    },
    RotateKeyOnDemand(body) {
      const key = usable(resolveKey(body.KeyId));
      key.materials.push(randomBytes(32));
      return { KeyId: key.keyId };
    },
  };

  function checkShape(req: IncomingMessage): string {
    const before = problems.length;
    const target = req.headers['x-amz-target'];
    const match = typeof target === 'string' ? /^TrentService\.(\w+)$/.exec(target) : null;
    if (req.method !== 'POST' || req.url !== '/') problems.push(`${req.method} ${req.url}: expected POST /`);
    if (req.headers['content-type'] !== 'application/x-amz-json-1.1') problems.push(`content-type ${req.headers['content-type']}`);
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 Credential=')) problems.push('request not signed with SigV4');
    if (!String(req.headers.authorization ?? '').includes(`/${REGION}/kms/aws4_request`)) problems.push('signature scope is not kms');
    if (!match?.[1]) {
      problems.push(`x-amz-target ${String(target)}`);
      throw new KmsFault('UnknownOperationException', 'Missing or malformed X-Amz-Target');
    }
    if (problems.length > before) throw new KmsFault('ValidationException', 'The request does not have the shape of an AWS JSON 1.1 KMS request');
    return match[1];
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let status = 200;
    let out: Record<string, unknown>;
    try {
      const operation = checkShape(req);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        problems.push(`${operation}: body is not a JSON object`);
        throw new KmsFault('SerializationException', 'Body is not a JSON object');
      }
      const record = body as Record<string, unknown>;
      requests.push({ target: `TrentService.${operation}`, contentType: req.headers['content-type'], isSigned: String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256'), body: record });
      const run = operations[operation];
      if (!run) throw new KmsFault('UnknownOperationException', `Operation ${operation} is not supported by the stand-in`);
      if (operation !== 'Decrypt' && typeof record.KeyId !== 'string') {
        problems.push(`${operation}: no KeyId`);
        throw new KmsFault('ValidationException', 'KeyId is required');
      }
      out = run(record);
    } catch (e) {
      const fault = e instanceof KmsFault ? e : new KmsFault('KMSInternalException', 'stand-in failure', 500);
      status = fault.status;
      out = { __type: fault.type, message: fault.message };
      res.setHeader('x-amzn-errortype', fault.type);
    }
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
    res.end(JSON.stringify(out));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    problems,
    createKey(alias) {
      const keyId = randomUUID();
      const key: StandInKey = { keyId, arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`, state: 'Enabled', materials: [randomBytes(32)] };
      keys.set(keyId, key);
      if (alias) aliases.set(alias, keyId);
      return { keyId, arn: key.arn };
    },
    keyState(keyIdOrAlias) {
      return keys.get(aliases.get(keyIdOrAlias) ?? keyIdOrAlias)?.state;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
