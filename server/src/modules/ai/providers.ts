import type OpenAI from 'openai';
import type { EgressFetch } from '../egress/index.ts';
import type { AiTemplate } from './templates.ts';

/**
 * Model providers (R-AI-3). Every provider gets only the assembled, pseudonymised prompt.
 *  - `local`: the built-in provider, deterministic and extractive, no network: the default, so the
 *    demo works offline; it never leaves the process, so no BAA is involved.
 *  - `openai`: any OpenAI-compatible HTTP endpoint through the `openai` client, whose every request
 *    goes through the egress policy (the `fetch` it is given), no retries, a per-vendor time budget.
 */
export interface ModelRequest {
  template: AiTemplate;
  system: string;
  user: string;
  signal: AbortSignal;
}
export interface ModelAnswer {
  /** What the model answered; anything but a string is unscannable (fail closed). */
  text: unknown;
  tokens?: { prompt: number; completion: number };
}
export interface Provider {
  kind: 'local' | 'openai';
  model: string;
  complete(req: ModelRequest): Promise<ModelAnswer>;
}

const CATEGORY_CUES: Record<string, RegExp> = {
  billing: /\b(bill|billing|invoice|charge|payment|pay|balance|insurance|copay|refund)\b/i,
  scheduling: /\b(appointment|schedule|reschedul\w*|book|cancel|slot|visit)\b/i,
  prescription: /\b(prescription|refill|pharmacy|medication|dose|pills?)\b/i,
  records: /\b(records?|results?|report|forms?|fax)\b/i,
  clinical: /\b(pain|symptom\w*|fever|nurse|doctor|bleeding|dizz\w*|rash)\b/i,
};

/** The built-in provider: picks sentences from the transcript in the prompt; same input, same output. */
export function createLocalProvider(): Provider {
  return {
    kind: 'local',
    model: 'ward-extractive-1',
    async complete({ template, user }) {
      const lines = user.split('\n').filter((l) => /^(caller|agent|ai_agent): /.test(l));
      if (template.output.kind === 'category') {
        const text = lines.join(' ');
        let best = 'other';
        let score = 0;
        for (const c of template.output.categories) {
          const cue = CATEGORY_CUES[c];
          const n = cue ? (text.match(new RegExp(cue.source, 'gi')) ?? []).length : 0;
          if (n > score) [best, score] = [c, n];
        }
        return { text: template.output.categories.includes(best) ? best : template.output.categories.at(-1)! };
      }
      const first = (l: string) => (l.replace(/^[a-z_]+: /, '').match(/[^.?!]+[.?!]?/)?.[0] ?? '').trim();
      const caller = lines.filter((l) => l.startsWith('caller: ')).map(first).filter((s) => s.split(/\s+/).length >= 4);
      const agent = lines.filter((l) => !l.startsWith('caller: ')).map(first).filter((s) => s.split(/\s+/).length >= 4);
      const picked = [...caller.slice(0, 3).map((s) => `Caller: ${s}`), ...agent.slice(-1).map((s) => `Agent: ${s}`)];
      const text = (picked.join(' ') || 'No content to summarise.').slice(0, template.output.maxChars);
      return { text };
    },
  };
}

export interface OpenAiVendorConfig {
  baseUrl: string;
  model: string;
  apiKey: string;
  /** The per-vendor time budget in milliseconds (R-AI-7). */
  timeoutMs: number;
}

/**
 * The `openai` client is loaded when a vendor first completes, not with the server: it is some two
 * hundred modules that a server with only the local provider never needs (its start, and every
 * process that builds the app, paid for them).
 */
let openAiModule: Promise<typeof import('openai')> | undefined;

export function createOpenAiProvider(config: OpenAiVendorConfig, egress: EgressFetch): Provider {
  let client: Promise<OpenAI> | undefined;
  const connect = async (): Promise<OpenAI> => new (await (openAiModule ??= import('openai'))).default({
    apiKey: config.apiKey,
    baseURL: config.baseUrl,
    maxRetries: 0,
    timeout: config.timeoutMs,
    // Every request through the egress policy (R-WORK-4): the URL is decided, the address pinned.
    fetch: ((url: string | URL | Request, init?: RequestInit) =>
      egress(url instanceof Request ? url.url : url, {
        method: init?.method, headers: init?.headers as never, body: typeof init?.body === 'string' ? init.body : null, signal: init?.signal ?? null,
      })) as never,
  });
  return {
    kind: 'openai',
    model: config.model,
    async complete({ system, user, signal }) {
      const r = await (await (client ??= connect())).chat.completions.create(
        { model: config.model, messages: [{ role: 'system', content: system }, { role: 'user', content: user }], temperature: 0 },
        { signal },
      );
      const text = r.choices?.[0]?.message?.content;
      return { text, tokens: r.usage ? { prompt: r.usage.prompt_tokens, completion: r.usage.completion_tokens } : undefined };
    },
  };
}
