/**
 * Builds one transcript the way a speech recogniser would have written it, keeping the gold PHI
 * spans as the text is assembled: every PHI value is appended as a labelled piece and its offsets
 * are recorded at that moment, so the spans are right by construction.
 *
 * Templates are plain strings with two kinds of markup:
 *  - `[a|b|c]` picks one alternative at random (an empty alternative is allowed: `[please|]`);
 *  - `{slot}` inserts the pieces a slot function returns (labelled PHI or plain words).
 * Spaces are normalised as pieces are appended (never two in a row, none at either end).
 */
import type { DemoSpan, DemoUtterance } from './types.ts';
import type { Rng } from './prng.ts';

export type Piece = string | { readonly label: string; readonly text: string };
export type Slot = () => Piece | readonly Piece[];
export type Slots = Readonly<Record<string, Slot>>;
export type Speaker = DemoUtterance['speaker'];

const CHOICE = /\[([^[\]]*)\]/g;
const SLOT = /\{(\w+)\}/;

export function expandChoices(template: string, r: Rng): string {
  let out = template;
  // Choices may nest one level ("[a [b|c]|d]"): expand innermost first until none is left.
  for (let i = 0; i < 3 && out.includes('['); i++) {
    out = out.replace(CHOICE, (_m, body: string) => r.pick(body.split('|')));
  }
  return out;
}

export class Script {
  readonly utterances: DemoUtterance[] = [];
  private clockMs: number;

  constructor(private readonly r: Rng, startMs = 0) {
    this.clockMs = startMs;
  }

  get count(): number {
    return this.utterances.length;
  }

  /** Says one of `templates` as `speaker`, filling slots from `slots`. */
  say(speaker: Speaker, templates: string | readonly string[], slots: Slots): DemoUtterance {
    const template = typeof templates === 'string' ? templates : this.r.pick(templates);
    let expanded = expandChoices(template, this.r).trim();
    // Callers restart now and then ("i i need a refill"), as recognisers faithfully write down.
    const firstWord = /^([a-z']+) /.exec(expanded)?.[1];
    if (speaker === 'caller' && firstWord && this.r.chance(0.07)) expanded = `${firstWord} ${expanded}`;
    let text = '';
    const spans: DemoSpan[] = [];
    const appendPlain = (raw: string): void => {
      let s = raw.replace(/\s+/g, ' ');
      if (text === '' || text.endsWith(' ')) s = s.replace(/^ /, '');
      text += s;
    };
    const appendPhi = (label: string, value: string): void => {
      const v = value.replace(/\s+/g, ' ').trim();
      if (v === '') return;
      if (text !== '' && !text.endsWith(' ') && /^[a-z0-9]/.test(v) && /[a-z0-9]$/.test(text)) text += ' ';
      spans.push({ start: text.length, end: text.length + v.length, label });
      text += v;
    };
    const parts = expanded.split(SLOT);
    parts.forEach((part, i) => {
      if (i % 2 === 0) {
        appendPlain(part);
        return;
      }
      const slot = slots[part];
      if (!slot) throw new Error(`demo transcript template uses an unknown slot {${part}}`);
      const produced = slot();
      const pieces: readonly Piece[] = Array.isArray(produced) ? produced : [produced as Piece];
      for (const p of pieces) {
        if (typeof p === 'string') appendPlain(p);
        else appendPhi(p.label, p.text);
      }
    });
    text = text.replace(/ +$/, '');
    const words = text.split(' ').length;
    const startMs = this.clockMs + this.r.int(150, 900);
    const endMs = startMs + 400 + words * this.r.int(260, 400);
    this.clockMs = endMs;
    const utterance: DemoUtterance = { seq: this.utterances.length + 1, speaker, startMs, endMs, text, spans };
    this.utterances.push(utterance);
    return utterance;
  }

  /** Who spoke last, or null before anyone has. */
  get lastSpeaker(): Speaker | null {
    return this.utterances[this.utterances.length - 1]?.speaker ?? null;
  }

  get endMs(): number {
    return this.clockMs;
  }
}

export function phi(label: string, text: string): Piece {
  return { label, text };
}
