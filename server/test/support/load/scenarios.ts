/**
 * What the load driver sends. `guarded`: `GET /v1/patients/:id` as demo Agents, each request with
 * the session cookie, a freshly signed device proof and `Ward-Purpose: TREAT`, over the seeded
 * riverside patients in the Agents' scope (the full pipeline: authentication and session slide,
 * RLS, Cedar, decryption and masking, audit). `bare`: `GET /healthz` (no authentication, one
 * statement), the floor the guarded figures compare against.
 */
import { generateDemo } from '../../../src/modules/demo/index.ts';
import type { TestSession } from '../session-client.ts';
import type { Deployment } from './deployment.ts';
import type { LoadOptions, LoadRequest } from './driver.ts';

export type ScenarioName = 'guarded' | 'bare';
export const SCENARIOS: readonly ScenarioName[] = ['guarded', 'bare'];

/** Demo Agents of riverside holding Healthcare-PHI (DEFAULT seed, as `ward demo seed` writes it). */
export const AGENTS = ['alex.agent@riverside.test', 'andre.agent@riverside.test'];

export interface Scenario {
  request: LoadOptions['request'];
  check: LoadOptions['check'];
}

export async function scenario(name: ScenarioName, deployment: Deployment, sessionsWanted: number): Promise<Scenario> {
  if (name === 'bare') {
    return {
      request: (): LoadRequest => ({ method: 'GET', path: '/healthz', headers: {} }),
      check: (status) => {
        if (status !== 200) throw new Error(`status ${status}`);
      },
    };
  }
  const demo = generateDemo();
  const riverside = demo.tenants.find((t) => t.slug === 'riverside')!;
  const patients = demo.patients.filter((p) => p.tenantId === riverside.id && p.phiScope === 'Healthcare-PHI').map((p) => p.id);
  if (patients.length === 0) throw new Error('the demo data has no Healthcare-PHI patients in riverside');
  // One session (browser) per worker: sessions are rows that slide on every request.
  const sessions: TestSession[] = [];
  for (let i = 0; i < sessionsWanted; i += 1) sessions.push(await deployment.signIn(AGENTS[i % AGENTS.length]!));
  return {
    async request(i, worker): Promise<LoadRequest> {
      const path = `/v1/patients/${patients[i % patients.length]}`;
      const headers = await sessions[worker % sessions.length]!.headers('GET', path);
      return { method: 'GET', path, headers: { ...headers, 'ward-purpose': 'TREAT' } };
    },
    check(status) {
      if (status !== 200) throw new Error(`status ${status}`);
    },
  };
}
