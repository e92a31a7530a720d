import { CHAIN_GENESIS, chainNext, hashLeafText } from '../../src/modules/audit/hashes.ts';
import { leafText } from '../../src/modules/audit/event.ts';
import { MemoryLevelStore, MerkleTree } from '../../src/modules/audit/tree.ts';
import { syntheticEvent } from '../../src/modules/audit/test-events.ts';
const N = 200_000;
const events = Array.from({ length: N }, (_, i) => syntheticEvent('t', i + 1));
const cpu = (f: () => void) => { const c = process.cpuUsage(); f(); const u = process.cpuUsage(c); return ((u.user + u.system) / N).toFixed(2) + ' us'; };
for (let r = 0; r < 2; r++) {
  let texts: string[] = [];
  console.log('leafText', cpu(() => { texts = events.map(leafText); }));
  let leaves: Buffer[] = [];
  console.log('hashLeaf', cpu(() => { leaves = texts.map(hashLeafText); }));
  console.log('chain', cpu(() => { let c = CHAIN_GENESIS; for (const l of leaves) c = chainNext(c, l); }));
  const tree = MerkleTree.create(new MemoryLevelStore());
  console.log('tree.append', cpu(() => { for (const l of leaves) tree.append(l); }));
}
console.log(JSON.stringify(events[5]).length, leafText(events[5]!).slice(0, 300));
