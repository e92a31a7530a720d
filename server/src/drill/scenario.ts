import type { BrowserPerson } from './browser.ts';
import type { Person, Reply, WorkloadKey, WorkloadToken } from './clients.ts';

/** The throwaway world `ward drill provision` made (one JSON line), as the drill reads it. */
export interface DrillPatient { id: string; phiScope: string; mrn: string; phone: string; dateOfBirth: string; zip: string; familyName: string }
export interface DrillTenant {
  id: string;
  slug: string;
  members: Array<{ id: string; email: string; roles: string[]; phiScopes: string[]; enrollmentToken: string }>;
  patients: DrillPatient[];
  calls: Array<{ id: string; patientId: string; phiScope: string; recordingId: string }>;
  caseNotes: Array<{ id: string; patientId: string; body: string }>;
  workloads: Record<string, { clientId: string; keyFile: string }>;
  scimToken: string;
}
export interface Provisioned { tenants: DrillTenant[] }

/** The actors the scenarios use, signed in and holding tokens before the first scenario runs. */
export interface World {
  origin: string;
  a: DrillTenant;
  b: DrillTenant;
  /** Tenant A's people by name (owner, admin, manager, agent, bhAgent, viewer, auditor); B's agent and owner. */
  people: Record<'owner' | 'admin' | 'manager' | 'agent' | 'bhAgent' | 'viewer' | 'auditor' | 'bAgent' | 'bOwner', Person>;
  /** A's voice agent, summary tool and voice platform; B's voice agent. */
  keys: Record<'voiceAgent' | 'summaryTool' | 'platform' | 'bVoiceAgent' | 'bPlatform', WorkloadKey>;
  tokens: Record<'agentMcp' | 'agentV1' | 'summaryMcp' | 'bAgentMcp', WorkloadToken>;
  /** A call of A's voice agent with its caller (the Healthcare-PHI patient hc); B's likewise. */
  agentCall: { id: string; patientId: string };
  bAgentCall: { id: string; patientId: string };
  /** Fixed targets: A's patients by scope, B's Healthcare-PHI patient, calls of each. */
  hc: string; hc2: string; bh: string; sud: string; bHc: string;
  hcCall: { id: string; recordingId: string }; sudCall: { id: string; recordingId: string }; bhCall: { id: string; recordingId: string }; bCall: { id: string; recordingId: string };
  /** The server's data directory (its operator socket, and the drill's workload keys, are there). */
  dataDir: string;
  /** A person enrolled in headless Chromium through Ward's own page, when Chromium is installed. */
  browser: BrowserPerson | null;
  /** Runs an operator command through the operator socket. */
  operator(argv: string[], stdin?: string): Promise<{ code: number; out: string; err: string }>;
  /** Unused enrollment tokens kept for the link-reuse scenarios (already spent ones too). */
  spentEnrollmentToken: string;
}

export type Verdict = { pass: boolean; observed: string };

export interface Scenario {
  id: string;
  category: string;
  title: string;
  expected: string;
  /** What the scenario covers: a threat-model row, a penetration-test finding, a requirement. */
  covers: string[];
  run(w: World): Promise<Verdict>;
}

export interface Result {
  id: string;
  category: string;
  title: string;
  expected: string;
  observed: string;
  covers: string[];
  outcome: 'blocked' | 'failed';
  ms: number;
}

/** Status in `allowed` (and a problem code in `codes` when given). */
export function expectStatus(r: Reply, allowed: number[], codes?: string[]): Verdict {
  const ok = allowed.includes(r.status) && (!codes || codes.includes(r.code));
  return { pass: ok, observed: `HTTP ${r.status}${r.code ? ` ${r.code}` : ''}` };
}

/** Refused: any 4xx of `allowed`, and never a body that carries any of the `secrets`. */
export function refusedWithout(r: Reply, allowed: number[], secrets: string[] = []): Verdict {
  const leaked = secrets.filter((s) => s && r.text.includes(s));
  return { pass: allowed.includes(r.status) && leaked.length === 0, observed: `HTTP ${r.status}${r.code ? ` ${r.code}` : ''}${leaked.length ? `, body carries ${leaked.length} protected value(s)` : ''}` };
}
