/**
 * The gold PHI documents of the demo transcripts, in the format of /work/shared/data/phi/README.md:
 * one document per call, each utterance a line `<speaker>: <text>`, spans shifted to match.
 */
import { generateDemo } from './generate.ts';
import type { DemoData, DemoGoldDocument } from './types.ts';

export function demoGoldDocuments(seedOrData?: number | DemoData): DemoGoldDocument[] {
  const data = typeof seedOrData === 'object' ? seedOrData : generateDemo(seedOrData);
  return data.calls.map((call) => {
    let text = '';
    const spans: DemoGoldDocument['spans'] = [];
    call.transcript.utterances.forEach((u, i) => {
      if (i > 0) text += '\n';
      const offset = text.length + u.speaker.length + 2;
      text += `${u.speaker}: ${u.text}`;
      for (const s of u.spans) spans.push({ start: s.start + offset, end: s.end + offset, label: s.label });
    });
    return { id: call.id, text, spans };
  });
}
