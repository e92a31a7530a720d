/** The shapes `npx ward demo seed` inserts (see seed.ts) and the gold documents the redaction issue scores. */
import type { PhiScope, Role } from '@ward/contracts';

/** `unmanagedMembers`: members whose new devices the demo tenant does not trust automatically. */
export interface DemoTenant { id: string; slug: 'riverside' | 'lakeside'; name: string; defaultPhiScope: PhiScope; unmanagedMembers: string[] }
export interface DemoMember { id: string; tenantId: string; email: string; displayName: string; roles: Role[]; phiScopes: PhiScope[] }
export interface DemoDevice { id: string; tenantId: string; memberId: string; thumbprint: string; posture: 'managed' | 'unmanaged' }
export interface DemoPatient {
  id: string; tenantId: string; phiScope: PhiScope; mrn: string; memberNumber: string;
  givenName: string; familyName: string; dateOfBirth: string /* YYYY-MM-DD */; sex: 'F' | 'M' | 'X';
  phone: string /* E.164 */; email: string; addressLine: string; city: string; state: string; zip: string; ssn: string;
}
export interface DemoSpan { start: number; end: number; label: string }
export interface DemoUtterance {
  seq: number; speaker: 'agent' | 'caller' | 'ai_agent'; startMs: number; endMs: number; text: string; spans: DemoSpan[];
}
export interface DemoCall {
  id: string; tenantId: string; patientId: string | null; phiScope: PhiScope;
  direction: 'inbound' | 'outbound'; fromNumber: string; startedAt: string /* ISO */; endedAt: string;
  recording: { id: string; durationMs: number; format: 'audio/wav' };
  transcript: { id: string; utterances: DemoUtterance[] };
}
export interface DemoCaseNote {
  id: string; tenantId: string; patientId: string; callId: string | null; authorId: string; phiScope: PhiScope; body: string;
}
/**
 * A scheduled appointment (R-AI-6: what the demo voice agent reads with get_appointments). Its time is
 * relative to the seeding day, `inDays` days after it at `atMinute` minutes past midnight UTC, so
 * that a freshly seeded demo always has appointments ahead.
 */
export interface DemoAppointment {
  tenantId: string; patientId: string; phiScope: PhiScope; inDays: number; atMinute: number; minutes: number;
  kind: 'new-patient' | 'follow-up' | 'telehealth' | 'procedure' | 'lab';
}
export interface DemoData {
  seed: number; tenants: DemoTenant[]; members: DemoMember[]; devices: DemoDevice[];
  patients: DemoPatient[]; calls: DemoCall[]; caseNotes: DemoCaseNote[]; appointments: DemoAppointment[];
}
export interface DemoGoldDocument { id: string; text: string; spans: DemoSpan[] }
