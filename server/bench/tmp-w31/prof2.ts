import canonicalize from 'canonicalize';
import { syntheticEvent } from '../../src/modules/audit/test-events.ts';
const N = 200_000;
const events = Array.from({ length: N }, (_, i) => syntheticEvent('t', i + 1));
const cpu = (f: () => void) => { const c = process.cpuUsage(); f(); const u = process.cpuUsage(c); return ((u.user + u.system) / N).toFixed(2) + ' us'; };
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
for (let r = 0; r < 2; r++) {
  console.log('canon meta', cpu(() => { for (const e of events) canonicalize(e.metadata); }));
  console.log('regex x12', cpu(() => { for (const e of events) for (let k = 0; k < 12; k++) PLAIN_ASCII.test(e.id); }));
  console.log('concat', cpu(() => { for (const e of events) { let s = ''; for (let k = 0; k < 21; k++) s += '"abc":' + '"' + e.id + '"'; if (s.length < 3) throw 0; } }));
}
