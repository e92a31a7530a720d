/**
 * The AWS KMS adapter (R-DATA-1): one symmetric KMS key per tenant, named by `keyIdForTenant`
 * (a key id, ARN or alias that the operator's infrastructure created; Ward needs kms:Encrypt,
 * kms:Decrypt, kms:GenerateDataKey, kms:DescribeKey, kms:RotateKeyOnDemand, kms:DisableKey and
 * kms:ScheduleKeyDeletion on it, and never kms:CreateKey).
 *
 * Every call carries the encryption context {"ward:tenant": tenantId}, so a data key wrapped for one
 * tenant does not unwrap for another even if a key policy is too broad.
 */
import {
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { WardError, type ErrorCode, type TenantId } from '@ward/contracts';
import type { Kms } from './types.ts';

export interface AwsKmsOptions {
  /** A configured client; otherwise one is built from endpoint, region and credentials. */
  client?: KMSClient;
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Attempts per call, retries included (the SDK's default is 3). */
  maxAttempts?: number;
  keyIdForTenant: (tenantId: TenantId) => string;
  /** Days before AWS deletes a destroyed tenant's key (7–30; the key is disabled at once). */
  deletionWindowDays?: number;
}

/** AWS error names that mean "this tenant's key is gone or going"; see docs/encryption.md. */
const DESTROYED = new Set(['DisabledException', 'KMSInvalidStateException']);
const BAD_CIPHERTEXT = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

function mapError(operation: string, tenantId: TenantId, cause: unknown): WardError {
  const name = cause instanceof Error ? cause.name : 'UnknownError';
  const code: ErrorCode = DESTROYED.has(name)
    ? 'KEY_DESTROYED'
    : BAD_CIPHERTEXT.has(name)
      ? 'DECRYPT_FAILED'
      : name === 'NotFoundException'
        ? 'KEY_NOT_FOUND'
        : 'KMS_UNAVAILABLE';
  return new WardError(code, `AWS KMS ${operation} failed for tenant ${tenantId} (${name}).`, { cause });
}

function bytes(value: Uint8Array | undefined, operation: string, tenantId: TenantId): Buffer {
  if (!value) throw new WardError('KMS_UNAVAILABLE', `AWS KMS ${operation} for tenant ${tenantId} returned no data.`);
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

export function createAwsKms(options: AwsKmsOptions): Kms {
  const client =
    options.client ??
    new KMSClient({
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.region ? { region: options.region } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    });
  const context = (tenantId: TenantId) => ({ 'ward:tenant': tenantId });

  async function call<T>(operation: string, tenantId: TenantId, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (cause) {
      throw mapError(operation, tenantId, cause);
    }
  }

  return {
    async createTenantKey(tenantId) {
      // The key is created by infrastructure; check that it exists and is usable.
      const out = await call('DescribeKey', tenantId, () => client.send(new DescribeKeyCommand({ KeyId: options.keyIdForTenant(tenantId) })));
      const meta = out.KeyMetadata;
      if (meta?.KeyState === 'Disabled' || meta?.KeyState === 'PendingDeletion') {
        throw new WardError('KEY_DESTROYED', undefined, { detail: `The AWS KMS key of tenant ${tenantId} is ${meta.KeyState}.` });
      }
      if (!meta?.Arn) throw new WardError('KMS_UNAVAILABLE', `AWS KMS DescribeKey for tenant ${tenantId} returned no key.`);
      return { kekId: meta.Arn };
    },

    async generateDataKey(tenantId) {
      const out = await call('GenerateDataKey', tenantId, () =>
        client.send(new GenerateDataKeyCommand({ KeyId: options.keyIdForTenant(tenantId), KeySpec: 'AES_256', EncryptionContext: context(tenantId) })),
      );
      const plaintext = bytes(out.Plaintext, 'GenerateDataKey', tenantId);
      if (plaintext.length !== 32) throw new WardError('KMS_UNAVAILABLE', `AWS KMS GenerateDataKey for tenant ${tenantId} returned a key of the wrong size.`);
      return { plaintext, wrapped: bytes(out.CiphertextBlob, 'GenerateDataKey', tenantId), kekId: out.KeyId ?? options.keyIdForTenant(tenantId) };
    },

    async wrap(tenantId, plaintextKey) {
      const out = await call('Encrypt', tenantId, () =>
        client.send(new EncryptCommand({ KeyId: options.keyIdForTenant(tenantId), Plaintext: plaintextKey, EncryptionContext: context(tenantId) })),
      );
      return { kekId: out.KeyId ?? options.keyIdForTenant(tenantId), wrapped: bytes(out.CiphertextBlob, 'Encrypt', tenantId) };
    },

    async unwrap(tenantId, kekId, wrapped) {
      // Naming the key makes KMS refuse a ciphertext from any other key (IncorrectKeyException).
      const out = await call('Decrypt', tenantId, () =>
        client.send(new DecryptCommand({ KeyId: kekId, CiphertextBlob: wrapped, EncryptionContext: context(tenantId) })),
      );
      return bytes(out.Plaintext, 'Decrypt', tenantId);
    },

    async rotateTenantKey(tenantId) {
      // KMS keeps the key id and every earlier key material, so old wrapped keys still unwrap and
      // a rewrap moves them to the new material. AWS allows a limited number of on-demand rotations.
      const out = await call('RotateKeyOnDemand', tenantId, () => client.send(new RotateKeyOnDemandCommand({ KeyId: options.keyIdForTenant(tenantId) })));
      return { kekId: out.KeyId ?? options.keyIdForTenant(tenantId) };
    },

    async destroyTenantKey(tenantId) {
      const KeyId = options.keyIdForTenant(tenantId);
      // Disable first: unwrapping stops now. AWS deletes the key material after the window (7–30
      // days), during which an operator could still cancel; docs/encryption.md says so.
      // A key already disabled or pending deletion answers KMSInvalidStateException: that is done.
      const alreadyDone = (e: unknown) => {
        if (e instanceof WardError && e.code === 'KEY_DESTROYED') return;
        throw e;
      };
      await call('DisableKey', tenantId, () => client.send(new DisableKeyCommand({ KeyId }))).catch(alreadyDone);
      await call('ScheduleKeyDeletion', tenantId, () =>
        client.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: options.deletionWindowDays ?? 7 })),
      ).catch(alreadyDone);
    },
  };
}
