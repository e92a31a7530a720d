/** A worker of the parallel offline verifier (verify-file.ts): checks the blocks it is sent (verify-block.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { checkBlock } from './verify-block.ts';

const { tenantId, cuts } = workerData as { tenantId: string; cuts: number[] };
parentPort!.on('message', (message: { id: number; block: Uint8Array }) => {
  let result;
  try {
    result = checkBlock(tenantId, message.block, cuts);
  } catch {
    result = { ok: false as const };
  }
  parentPort!.postMessage({ id: message.id, result }, result.ok && result.subtrees.byteLength > 0 ? [result.subtrees.buffer as ArrayBuffer] : []);
});
