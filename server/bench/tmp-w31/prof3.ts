import { leafText } from '../../src/modules/audit/event.ts';
import { syntheticEvent } from '../../src/modules/audit/test-events.ts';
const N = 200_000;
const events = Array.from({ length: N }, (_, i) => syntheticEvent('t', i + 1));
for (let r = 0; r < 4; r++) { const c = process.cpuUsage(); const t = performance.now(); let n = 0; for (const e of events) n += leafText(e).length; const u = process.cpuUsage(c); console.log(((u.user + u.system) / N).toFixed(2), ((performance.now() - t) * 1000 / N).toFixed(2), n); }
