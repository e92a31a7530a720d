import { createCeremonyContext, type CeremonyDeps } from './ceremony.ts';
import { createEnrollCeremony } from './enroll.ts';
import { createRecoverCeremony } from './recover.ts';
import { createSignInCeremony } from './sign-in.ts';
import { createStepUpCeremony } from './step-up.ts';

/**
 * The passkey ceremonies (R-AUTHN-1, R-AUTHN-3, R-SESS-3), one per file as SimpleWebAuthn keeps them:
 * enroll.ts, sign-in.ts, step-up.ts, recover.ts (R-AUTHN-4); what they share is in ceremony.ts, their SQL in passkey-store.ts.
 */
export function createPasskeyCeremonies(deps: CeremonyDeps) {
  const context = createCeremonyContext(deps);
  return { ...createEnrollCeremony(context), ...createSignInCeremony(context), ...createStepUpCeremony(context), ...createRecoverCeremony(context) };
}

export type PasskeyCeremonies = ReturnType<typeof createPasskeyCeremonies>;
