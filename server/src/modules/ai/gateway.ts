import { WardError } from '@ward/contracts';
import { redactOrMaskAll } from '../redaction/index.ts';
import { hasUnsafeText, NO_FINDINGS, scanOutput, type OutputFindings } from './output-scan.ts';
import { deidentify, TaskPseudonyms, type PatientFields, type PseudonymOptions } from './pseudonyms.ts';
import type { Provider } from './providers.ts';
import { classifyRestricted } from './restricted.ts';
import { holdsPhi, INPUT_RESTRICTED, type AiInputName, type AiTemplate, type AssembledInput, type InputRestricted } from './templates.ts';

/**
 * The AI gateway's pipeline, without storage (R-AI-1, R-AI-3, R-AI-7):
 *   prepare   the declared inputs, pseudonymised (redaction failing closed stops here: no model call);
 *   execute   the BAA rule, then the model within the vendor's time budget, then the answer scanned;
 *             a vendor failure, timeout or unscannable answer gives the template's manual-workflow
 *             guidance and the state `fallback`. No failure widens access or skips a scan.
 */
export interface Vendor {
  /** `local` for the built-in provider. */
  name: string;
  provider: Provider;
  /** Whether the vendor has an active BAA (approved by a second person, not expired). The local provider needs none. */
  baaActive: boolean;
  timeoutMs: number;
}

/**
 * Loads the redaction engine's word lists once, outside any task's budget (the first detection reads
 * them; a cold start inside a task would fail it closed). Called when the AI routes are registered.
 */
export function warmUp(): void {
  redactOrMaskAll('caller: hi this is Ana Diaz, born March 3 1961, call me at 503-555-0142', { budgetMs: 60_000 });
}

export interface PreparedTask {
  template: AiTemplate;
  system: string;
  user: string;
  /** surrogate → original; stored encrypted, never sent. */
  map: Map<string, string>;
  counts: Record<string, number>;
  inputClasses: string[];
  /** Sentences withheld from the input per restricted category (counts only). */
  withheld: Partial<Record<InputRestricted, number>>;
}

/** A task refused because its input holds a restricted category its template neither allows nor strips. */
export class InputRestrictedRefused extends WardError {
  constructor(readonly categories: InputRestricted[]) {
    super('AI_INPUT_RESTRICTED', undefined, { reasons: categories.map((c) => `input_restricted:${c}`) });
  }
}

const SENTENCE = /[^.!?\n]+(?:[.!?]+|$)\s*/g;

/**
 * `text` with every sentence that holds an input-restricted category the template does not allow
 * replaced by `[WITHHELD]` (R-AI-1, minimum necessary; 42 CFR Part 2), counted in `withheld`; with
 * `otherwise: 'refuse'` such a sentence refuses the task (AI_INPUT_RESTRICTED) instead.
 */
export function withholdRestricted(template: AiTemplate, text: string, withheld: Partial<Record<InputRestricted, number>>): string {
  const allow = new Set<string>(template.restrictedInputs?.allow ?? []);
  const blocked = INPUT_RESTRICTED.filter((c) => !allow.has(c));
  if (!blocked.length) return text;
  const first = classifyRestricted(text).categories.filter((c): c is InputRestricted => (blocked as string[]).includes(c));
  if (!first.length) return text;
  if (template.restrictedInputs?.otherwise === 'refuse') throw new InputRestrictedRefused(first);
  return text.replace(SENTENCE, (sentence) => {
    const found = classifyRestricted(sentence).categories.filter((c): c is InputRestricted => (blocked as string[]).includes(c));
    if (!found.length) return sentence;
    for (const c of found) withheld[c] = (withheld[c] ?? 0) + 1;
    return `[WITHHELD]${/\s$/.test(sentence) ? ' ' : ''}`;
  });
}

export function prepareTask(template: AiTemplate, inputs: Map<AiInputName, AssembledInput>, patient: PatientFields, opts: PseudonymOptions = {}): PreparedTask {
  const p = new TaskPseudonyms(patient, opts);
  const parts: string[] = [];
  const withheld: Partial<Record<InputRestricted, number>> = {};
  for (const name of template.inputs) {
    const input = inputs.get(name);
    if (!input) throw new WardError('INTERNAL', undefined, { detail: `ai: input ${name} not assembled` });
    if (input.kind === 'utterances') {
      // One document, so that the engine sees context across utterances (as the gold documents are built).
      const doc = input.utterances.map((u) => `${u.speaker}: ${withholdRestricted(template, u.text.replace(/\s*\n\s*/g, ' '), withheld)}`).join('\n');
      parts.push(`<${name}>\n${p.apply(doc)}\n</${name}>`);
    } else {
      parts.push(`<${name}>${input.value === null ? '' : p.apply(withholdRestricted(template, input.value, withheld))}</${name}>`);
    }
  }
  const output = template.output.kind === 'category' ? `Answer with one of: ${template.output.categories.join(', ')}.` : `Answer in at most ${template.output.maxChars} characters.`;
  return {
    template, system: `${template.instructions}\n${output}`, user: parts.join('\n'), map: p.map, counts: p.counts(),
    inputClasses: [...template.inputs].sort(), withheld,
  };
}

export type TaskResult =
  | { state: 'ready'; text: string; findings: OutputFindings; deidentified: boolean; latencyMs: number; tokens?: { prompt: number; completion: number } }
  | { state: 'fallback'; text: string; reason: 'vendor_error' | 'vendor_timeout' | 'unscannable'; latencyMs: number };

export function manualGuidance(template: AiTemplate): string {
  return `The AI draft is not available. Manual workflow:\n${template.manualWorkflow.map((s, i) => `${i + 1}. ${s}`).join('\n')}`;
}

/**
 * The model's answer as Ward will store it, with what its scan found (output-scan.ts, R-AI-4), or null
 * when it cannot be scanned (fail closed). `sent` is the task's surrogate map.
 */
export function scanAnswer(template: AiTemplate, answer: unknown, opts: PseudonymOptions = {}, sent: ReadonlyMap<string, string> = new Map()): { text: string; findings: OutputFindings } | null {
  if (typeof answer !== 'string') return null;
  const text = answer.trim();
  if (!text || hasUnsafeText(text)) return null;
  if (template.output.kind === 'category') {
    const c = text.toLowerCase().replace(/[^a-z-]/g, '');
    return template.output.categories.includes(c) ? { text: c, findings: NO_FINDINGS } : null;
  }
  if (text.length > template.output.maxChars * 2) return null;
  return scanOutput(template, text, sent, opts);
}

/**
 * What `vendor` may receive of `task` (R-AI-3): input that holds PHI, pseudonymised or not, goes only
 * to a vendor with an active BAA; otherwise it is refused (VENDOR_NOT_BAA: the vendor receives
 * nothing), or fully de-identified when the template allows it. `ward ai preview` prints the same.
 */
export function vendorInput(task: PreparedTask, vendor: Vendor): { user: string; deidentified: boolean } {
  if (vendor.provider.kind !== 'local' && !vendor.baaActive && holdsPhi(task.template)) {
    if (!task.template.deidentifiedFallback) throw new WardError('VENDOR_NOT_BAA', undefined, { reasons: ['vendor_not_baa'] });
    return { user: deidentify(task.user), deidentified: true };
  }
  return { user: task.user, deidentified: false };
}

export async function executeTask(task: PreparedTask, vendor: Vendor, opts: PseudonymOptions & { now?: () => number } = {}): Promise<TaskResult> {
  const now = opts.now ?? (() => performance.now());
  const { template } = task;
  const { user, deidentified } = vendorInput(task, vendor);
  const started = now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve('timeout');
    }, vendor.timeoutMs);
  });
  let answer: Awaited<ReturnType<Provider['complete']>> | 'timeout' | 'error';
  try {
    answer = await Promise.race([vendor.provider.complete({ template, system: task.system, user, signal: controller.signal }), timeout]);
  } catch {
    // The error may quote the request: dropped, not logged (R-DATA-4).
    answer = controller.signal.aborted ? 'timeout' : 'error';
  } finally {
    clearTimeout(timer);
  }
  const latencyMs = Math.round(now() - started);
  const guidance = manualGuidance(template);
  if (answer === 'timeout') return { state: 'fallback', text: guidance, reason: 'vendor_timeout', latencyMs };
  if (answer === 'error') return { state: 'fallback', text: guidance, reason: 'vendor_error', latencyMs };
  const scanned = scanAnswer(template, answer.text, opts, deidentified ? new Map() : task.map);
  if (scanned === null) return { state: 'fallback', text: guidance, reason: 'unscannable', latencyMs };
  return { state: 'ready', text: scanned.text, findings: scanned.findings, deidentified, latencyMs, ...(answer.tokens ? { tokens: answer.tokens } : {}) };
}
