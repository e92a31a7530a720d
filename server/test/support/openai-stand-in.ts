import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in OpenAI-compatible vendor on loopback (R-AI-3 tests): records every request body and
 * answers each chat completion with `answer(body)`. Reached through Ward's egress policy, so tests
 * set WARD_EGRESS_ALLOW to 127.0.0.1.
 */
export interface StandIn {
  baseUrl: string;
  bodies: string[];
  close(): Promise<void>;
}

export async function startOpenAiStandIn(answer: (body: string) => string): Promise<StandIn> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push(body);
      const { model } = JSON.parse(body) as { model: string };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({
        id: 'cmpl-1', object: 'chat.completion', created: 0, model,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: answer(body) } }],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    bodies,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
