/**
 * The redaction development sets (R-DATA-2), loaded the same way by `bench:redaction` and
 * `bench:redaction-same`: presidio-synth and slurp-devel from ../shared/data/phi (slurp-devel also as
 * its `:dev` and `:lockbox` splits), the project's own
 * clinical and spoken sets (server/src/modules/redaction/data, `npm run data:redaction`) and the second
 * third and fourth clinical sets (`clinical-notes-b`, `npm run data:clinical-b`; `clinical-notes-c`, `npm run
 * data:clinical-c`; `clinical-notes-d`, `npm run data:clinical-d`; `clinical-notes-e`, `npm run data:clinical-e`; `clinical-notes-f`, `npm run data:clinical-f`; `clinical-notes-g`, `npm run data:clinical-g`; `clinical-notes-h`, `npm run data:clinical-h`), the third and fourth spoken sets (`spoken-requests-c`, `npm run data:spoken-c`;
 * `spoken-requests-d`, `npm run data:spoken-d`) and the calls (`call-center-c`, `npm run data:calls-c`; `call-center-d`, `npm run data:calls-d`) each as a
 * `:dev` and a `:lockbox` split (a hash of the document id decides, make-redaction-dev-sets.ts), and the demo
 * transcripts' gold spans when that module exists.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLockbox } from './make-redaction-dev-sets.ts';

export interface GoldSpan { start: number; end: number; label: string; scored?: boolean }
export interface Doc { id: string; text: string; spans: GoldSpan[] }

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
const dataDir = resolve(repoRoot, '../shared/data/phi');
const ownDataDir = resolve(repoRoot, 'server/src/modules/redaction/data');

function loadJsonl(path: string): Doc[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Doc);
}

async function demoDocs(): Promise<Doc[] | string> {
  const path = join(repoRoot, 'server/src/modules/demo/index.ts');
  if (!existsSync(path)) return 'demo module not present yet';
  try {
    const mod = (await import(path)) as { demoGoldDocuments?: (seed?: number) => Doc[] };
    if (typeof mod.demoGoldDocuments !== 'function') return 'demo module has no demoGoldDocuments export yet';
    return mod.demoGoldDocuments(1);
  } catch (e) {
    return `demo module failed to load (${(e as Error).name})`;
  }
}

/** Every set by its printed name, and notes on the sets that are missing. */
export async function loadRedactionSets(): Promise<{ sets: Record<string, Doc[]>; notes: string[] }> {
  const sets: Record<string, Doc[]> = {};
  const notes: string[] = [];
  for (const name of ['presidio-synth', 'slurp-devel']) {
    const path = join(dataDir, `${name}.jsonl`);
    if (!existsSync(path)) {
      notes.push(`${name}: not found at ../shared/data/phi`);
      continue;
    }
    sets[name] = loadJsonl(path);
    // slurp-devel is the spoken-names set: its tuning (`:dev`) and lockbox splits are reported apart too,
    // by the same hash of the document id; `--errors` never prints a lockbox document of any set.
    if (name === 'slurp-devel') {
      sets[`${name}:dev`] = sets[name].filter((d) => !isLockbox(d.id));
      sets[`${name}:lockbox`] = sets[name].filter((d) => isLockbox(d.id));
    }
  }
  // The project's own sets: a dev split for development and a lockbox split, chosen by a hash of the
  // document id, reported apart and never used for tuning. clinical-notes-b (make-clinical-notes-b.ts)
  // and spoken-requests-c (make-spoken-requests-c.ts) were written apart from the engine and from the
  // first sets' generator: other styles, other surrogates, the same split; clinical-notes-c
  // (make-clinical-notes-c.ts), long nursing notes with sparse PHI, before its author read the rules;
  // clinical-notes-d (make-clinical-notes-d.ts), nursing notes in nine shapes with surrogates mostly outside
  // the engine's lexicon files; clinical-notes-e (make-clinical-notes-e.ts), physician progress notes,
  // sign-outs, radiology and echo reports, social-work, family-meeting and procedure notes; clinical-notes-f
  // (make-clinical-notes-f.ts), ICU, cardiac-surgery and neonatal nursing notes in eight shapes, written
  // before its author read the engine's detectors; clinical-notes-g (make-clinical-notes-g.ts), MIMIC-II-era ICU
  // nursing notes, social-work, case-management, event and family-meeting notes, also written blind;
  // clinical-notes-h (make-clinical-notes-h.ts), nursing notes with inline system heads, CCU, neuro-ICU and
  // trauma notes, timed events, transfer, family-update and plan-of-care notes, written blind as well.
  // spoken-requests-d (make-spoken-requests-d.ts), requests and call turns with name pools of its own;
  // call-center-d (make-call-center-d.ts), contact-centre calls and utterances written before its author
  // read the engine's spoken detectors (issue 30); spoken-requests-e (make-spoken-requests-e.ts), requests in
  // SLURP's scenarios written and measured before its author read the spoken rules (issue 30); spoken-requests-f
  // (make-spoken-requests-f.ts), requests, greetings and spelled e-mails written before its author read the
  // name rules (issue 30).
  const ownSets: Array<[name: string, file: string]> = [
    ['clinical', 'clinical-dev.jsonl'],
    ['spoken', 'spoken-dev.jsonl'],
    ['clinical-notes-b', 'clinical-notes-b.jsonl'],
    ['clinical-notes-c', 'clinical-notes-c.jsonl'],
    ['clinical-notes-d', 'clinical-notes-d.jsonl'],
    ['clinical-notes-e', 'clinical-notes-e.jsonl'],
    ['clinical-notes-f', 'clinical-notes-f.jsonl'],
    ['clinical-notes-g', 'clinical-notes-g.jsonl'],
    ['clinical-notes-h', 'clinical-notes-h.jsonl'],
    ['spoken-requests-c', 'spoken-requests-c.jsonl'],
    ['call-center-c', 'call-center-c.jsonl'],
    ['spoken-requests-d', 'spoken-requests-d.jsonl'],
    ['call-center-d', 'call-center-d.jsonl'],
    ['spoken-requests-e', 'spoken-requests-e.jsonl'],
    ['spoken-requests-f', 'spoken-requests-f.jsonl'],
  ];
  for (const [name, file] of ownSets) {
    const path = join(ownDataDir, file);
    if (!existsSync(path)) {
      notes.push(`${name}: not found at server/src/modules/redaction/data`);
      continue;
    }
    const docs = loadJsonl(path);
    sets[`${name}:dev`] = docs.filter((d) => !isLockbox(d.id));
    sets[`${name}:lockbox`] = docs.filter((d) => isLockbox(d.id));
  }
  const demo = await demoDocs();
  if (typeof demo === 'string') notes.push(`demo: skipped, ${demo}`);
  else sets.demo = demo;
  return { sets, notes };
}

/**
 * Which half of a `:dev` split a document is in (`bench:redaction -- --halves`): the low bit of the first
 * byte of SHA-256 over "half:" and its id, a hash other than the lockbox's, so that rules written on one
 * half's errors can be checked on the other's figures.
 */
export function devHalf(id: string): 'a' | 'b' {
  return (createHash('sha256').update(`half:${id}`).digest()[0]! & 1) === 1 ? 'b' : 'a';
}

/** CPU time of this process in milliseconds (user + system): the machines are shared, wall time says little. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
