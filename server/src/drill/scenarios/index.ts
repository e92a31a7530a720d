import type { Scenario } from '../scenario.ts';
import { adminScenarios } from './admin.ts';
import { boundaryScenarios } from './boundaries.ts';
import { databaseScenarios, detectionScenarios } from './database.ts';
import { hygieneScenarios } from './hygiene.ts';
import { injectionScenarios } from './injection.ts';
import { sessionScenarios } from './sessions.ts';
import { workloadScenarios } from './workloads.ts';

export { PT, TM } from './boundaries.ts';
export { resetProbe } from './database.ts';

/** Every scenario, in the order the drill runs them (the throttling and tampering ones last). */
export function allScenarios(): Scenario[] {
  const all = [...boundaryScenarios(), ...sessionScenarios(), ...workloadScenarios(), ...adminScenarios(), ...injectionScenarios(), ...hygieneScenarios(), ...databaseScenarios()];
  const last = (s: Scenario) => (s.id === 'finding.search-throttle' || s.id === 'audit.tamper-detected' ? 1 : 0);
  // The detections come after the attacks they must see.
  return [...all.sort((a, b) => last(a) - last(b)), ...detectionScenarios()];
}
