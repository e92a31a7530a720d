/**
 * The in-memory KeyStore: for tests, benchmarks and the quick start before the database table
 * exists. Same contract as the database's (test-support/key-store-contract.ts).
 */
import { WardError, type TenantId } from '@ward/contracts';
import type { KeyPurpose, KeyStore, WrappedKeyRecord } from './types.ts';

const copy = (r: WrappedKeyRecord): WrappedKeyRecord => ({ ...r, wrappedKey: Buffer.from(r.wrappedKey), createdAt: new Date(r.createdAt) });

export function createMemoryKeyStore(): KeyStore {
  const byTenant = new Map<string, WrappedKeyRecord[]>();
  const recordsOf = (tenantId: TenantId) => byTenant.get(tenantId) ?? [];
  const find = (tenantId: TenantId, purpose: KeyPurpose, version: number) =>
    recordsOf(tenantId).find((r) => r.purpose === purpose && r.version === version);

  return {
    async getActiveDataKey(tenantId, purpose) {
      const found = recordsOf(tenantId).find((r) => r.purpose === purpose && r.state === 'active');
      return found && copy(found);
    },
    async getDataKey(tenantId, purpose, version) {
      const found = find(tenantId, purpose, version);
      return found && copy(found);
    },
    async putDataKey(record) {
      if (find(record.tenantId, record.purpose, record.version)) {
        throw new WardError('CONFLICT', `Tenant ${record.tenantId} already has ${record.purpose} key version ${record.version}.`);
      }
      const records = recordsOf(record.tenantId).map((r) =>
        record.state === 'active' && r.purpose === record.purpose && r.state === 'active' ? { ...r, state: 'retiring' as const } : r,
      );
      records.push(copy(record));
      records.sort((a, b) => a.version - b.version || a.purpose.localeCompare(b.purpose));
      byTenant.set(record.tenantId, records);
    },
    async updateDataKey(record) {
      const records = recordsOf(record.tenantId);
      const index = records.findIndex((r) => r.purpose === record.purpose && r.version === record.version);
      const existing = records[index];
      if (!existing) throw new WardError('KEY_NOT_FOUND', `Tenant ${record.tenantId} has no ${record.purpose} key version ${record.version}.`);
      records[index] = { ...existing, wrappedKey: Buffer.from(record.wrappedKey), kekId: record.kekId, state: record.state };
    },
    async listDataKeys(tenantId) {
      return recordsOf(tenantId).map(copy);
    },
  };
}
