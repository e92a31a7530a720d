import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PHI_SCOPES, type PhiScope, type WorkloadRole } from '@ward/contracts';
import { exportJWK, generateKeyPair } from 'jose';
import type { WorkloadKind } from '../workload/index.ts';
import type { DemoTenant } from './types.ts';

/**
 * The demo workloads of each demo tenant (R-WORK-1): a voice agent, a summary tool and the demo voice
 * platform that signs call events. Each gets its own ES256 key pair; the private key is written to
 * `<data dir>/workloads/<tenant>/<name>.json` (0600, in a 0700 directory) with its client_id, so the
 * demo commands can act as it. Only the public key is registered.
 */
export interface DemoWorkload {
  name: string;
  kind: WorkloadKind;
  role: WorkloadRole;
}

export const DEMO_WORKLOADS: readonly DemoWorkload[] = [
  { name: 'voice-agent', kind: 'ai_agent', role: 'VoiceAgent' },
  { name: 'summary-tool', kind: 'service', role: 'SummaryTool' },
  { name: 'voice-platform', kind: 'service', role: 'VoicePlatform' },
];

export interface DemoWorkloadKey {
  name: string;
  publicJwks: { keys: Record<string, unknown>[] };
  /** Writes the key file once the workload has its client_id. */
  save(clientId: string): string;
}

export async function demoWorkloadKey(dir: string, tenant: Pick<DemoTenant, 'slug'>, w: DemoWorkload): Promise<DemoWorkloadKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `${w.name}-1`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256' };
  return {
    name: w.name,
    publicJwks: { keys: [publicJwk] },
    save(clientId) {
      const tenantDir = join(dir, tenant.slug);
      mkdirSync(tenantDir, { recursive: true, mode: 0o700 });
      const path = join(tenantDir, `${w.name}.json`);
      writeFileSync(path, `${JSON.stringify({ client_id: clientId, tenant: tenant.slug, name: w.name, kind: w.kind, role: w.role, private_jwk: privateJwk }, null, 2)}\n`, { mode: 0o600 });
      return path;
    },
  };
}

/**
 * The PHI scopes a demo workload is granted: every line of a demo tenant's calls. The voice agent and
 * the summary tool work them (SUD-Part2 still only with a purpose of use, by policy); the voice
 * platform records the calls it carries through the signed hooks (R-WORK-4) and reads nothing.
 */
export function demoWorkloadScopes(_w: DemoWorkload): PhiScope[] {
  return [...PHI_SCOPES];
}
