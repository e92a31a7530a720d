import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { WardError } from '@ward/contracts';

/**
 * Approved, versioned AI templates as data (R-AI-2): the defaults live in `ai/templates/` at the
 * repository root, like `policies/`. A template declares its purpose, the inputs it needs by name,
 * its output kind, the restricted categories it may produce and the manual-workflow checklist a
 * caller gets when the gateway fails closed (R-AI-7). Nothing else is reachable from a template.
 */
export const DEFAULT_TEMPLATES_DIR = resolve(new URL('../../../../ai/templates', import.meta.url).pathname);

export const AI_PURPOSES = ['call-summary', 'suggested-reply', 'case-note-draft', 'routing-category'] as const;
export type AiPurpose = (typeof AI_PURPOSES)[number];

/**
 * The inputs a template may name, each with the Cedar action a caller needs to read it (R-AI-1) and
 * whether it holds PHI before pseudonymisation. `transcript.redacted` and `transcript.full` are both
 * pseudonymised before a model sees them; the full one keeps what the redaction engine would mask
 * but the pseudonymiser does not (nothing today), and needs `transcript.read` like the full view.
 */
export const AI_INPUTS = {
  'transcript.redacted': { action: 'transcript.readRedacted', phi: true },
  'transcript.full': { action: 'transcript.read', phi: true },
  'call.direction': { action: 'ai.run', phi: false },
  'patient.firstName': { action: 'patient.view', phi: true },
  // A patient target's calls (the most recent, up to PATIENT_CALLS_MAX): listing them is patient.view
  // on the patient, reading each is transcript.readRedacted on that call, both decided per task.
  'patient.calls.redacted': { action: 'transcript.readRedacted', phi: true },
} as const;

/** What a template runs on, and the inputs each target offers (a call's transcript is no patient input). */
export const TARGET_INPUTS = {
  call: ['transcript.redacted', 'transcript.full', 'call.direction', 'patient.firstName'],
  patient: ['patient.calls.redacted', 'patient.firstName'],
} as const satisfies Record<string, readonly AiInputName[]>;
export type AiTarget = keyof typeof TARGET_INPUTS;
/** How many of a patient's calls a patient-target task reads, most recent first. */
export const PATIENT_CALLS_MAX = 5;
export type AiInputName = keyof typeof AI_INPUTS;

/**
 * Restricted categories withheld from a model's input unless the template allows them (R-AI-1,
 * minimum necessary): substance-use-disorder content (42 CFR Part 2: no redisclosure without the
 * patient's written consent) and behavioural-health content (psychotherapy and state mental-health
 * law). Diagnoses and treatment are ordinary PHI under the vendor's BAA.
 */
export const INPUT_RESTRICTED = ['substance-use', 'behavioral-health'] as const;
export type InputRestricted = (typeof INPUT_RESTRICTED)[number];

const InputName = Type.Union(Object.keys(AI_INPUTS).map((k) => Type.Literal(k)));
const Output = Type.Union([
  Type.Object({ kind: Type.Literal('text'), maxChars: Type.Integer({ minimum: 1, maximum: 20_000 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('category'), categories: Type.Array(Type.String({ pattern: '^[a-z][a-z-]*$' }), { minItems: 1 }) }, { additionalProperties: false }),
]);
export const TemplateSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9-]{1,62}$' }),
    version: Type.Integer({ minimum: 1 }),
    purpose: Type.Union(AI_PURPOSES.map((p) => Type.Literal(p))),
    target: Type.Union([Type.Literal('call'), Type.Literal('patient')]),
    inputs: Type.Array(InputName, { minItems: 1, uniqueItems: true }),
    output: Output,
    restrictedCategories: Type.Array(Type.String({ pattern: '^[a-z][a-z-]*$' }), { uniqueItems: true }),
    deidentifiedFallback: Type.Boolean(),
    // `shift`: dates move by the patient's offset instead of becoming [DATE_n] (a template that needs
    // intervals; date-shift.ts). Default `surrogate`.
    dates: Type.Optional(Type.Union([Type.Literal('surrogate'), Type.Literal('shift')])),
    // R-AI-1 (minimum necessary): the input-restricted categories this template may receive; any other
    // found in its input is stripped (default) or the task refused, before pseudonymisation.
    restrictedInputs: Type.Optional(Type.Object(
      {
        allow: Type.Array(Type.Union(INPUT_RESTRICTED.map((c) => Type.Literal(c))), { uniqueItems: true }),
        otherwise: Type.Union([Type.Literal('strip'), Type.Literal('refuse')]),
      },
      { additionalProperties: false },
    )),
    instructions: Type.String({ minLength: 1, maxLength: 4000 }),
    manualWorkflow: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type AiTemplate = Omit<Static<typeof TemplateSchema>, 'inputs'> & { inputs: AiInputName[] };

/** Loads and checks every template of `dir`; a malformed one stops the load (fail closed). */
export function loadTemplates(dir = DEFAULT_TEMPLATES_DIR): Map<string, AiTemplate> {
  const out = new Map<string, AiTemplate>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const raw: unknown = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    if (!Value.Check(TemplateSchema, raw)) {
      const first = [...Value.Errors(TemplateSchema, raw)][0];
      throw new WardError('INTERNAL', undefined, { detail: `ai template ${name}: ${first?.path ?? ''} ${first?.message ?? 'invalid'}` });
    }
    const t = raw as AiTemplate;
    const problem = targetProblem(t);
    if (problem) throw new WardError('INTERNAL', undefined, { detail: `ai template ${name}: ${problem}` });
    if (out.has(t.id)) throw new WardError('INTERNAL', undefined, { detail: `ai template ${t.id} defined twice` });
    out.set(t.id, t);
  }
  return out;
}

/** Why a template's inputs do not fit its target (each target offers its own inputs), or null. */
export function targetProblem(t: Pick<AiTemplate, 'target' | 'inputs'>): string | null {
  const offered: readonly string[] = TARGET_INPUTS[t.target];
  const bad = t.inputs.filter((i) => !offered.includes(i));
  return bad.length ? `a ${t.target} target offers no input ${bad.join(', ')}` : null;
}

/** The Cedar actions running `template` needs beyond `ai.run` (R-AI-1): one per input that needs another. */
export function inputActions(template: AiTemplate): string[] {
  const actions = template.inputs.map((i) => AI_INPUTS[i].action as string);
  // Listing a patient's calls is itself a read of the patient record.
  if (template.inputs.includes('patient.calls.redacted')) actions.push('patient.view');
  return [...new Set(actions.filter((a) => a !== 'ai.run'))].sort();
}

/** Whether any declared input holds PHI before pseudonymisation (the BAA rule, R-AI-3). */
export function holdsPhi(template: AiTemplate): boolean {
  return template.inputs.some((i) => AI_INPUTS[i].phi);
}

/**
 * Where inputs come from: one loader per input name. Only the loaders of the template's declared
 * inputs are called, so an input the template does not name is never read (R-AI-2, minimum necessary).
 */
export type InputSources = { [K in AiInputName]: () => Promise<AssembledInput> };
export type AssembledInput =
  | { kind: 'utterances'; utterances: Array<{ speaker: string; text: string }> }
  | { kind: 'value'; value: string | null };

export async function assembleInputs(template: AiTemplate, sources: InputSources): Promise<Map<AiInputName, AssembledInput>> {
  const out = new Map<AiInputName, AssembledInput>();
  for (const name of template.inputs) out.set(name, await sources[name]());
  return out;
}
