/**
 * A worker of the parallel offline verifier (verify-file.ts): checks the blocks it is sent
 * (verify-block.ts). Runs as verify-worker.mjs, built from this file (`npm run build:audit-worker`),
 * so that the worker needs no TypeScript loader.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkBlock, type BlockResult } from './verify-block.ts';

const { tenantId, cuts } = workerData as { tenantId: string; cuts: number[] };
parentPort!.on('message', (message: { id: number; block: Uint8Array }) => {
  let result: BlockResult;
  try {
    result = checkBlock(tenantId, message.block, cuts);
  } catch {
    result = { ok: false };
  }
  parentPort!.postMessage({ id: message.id, result }, result.ok && result.subtrees.byteLength > 0 ? [result.subtrees.buffer as ArrayBuffer] : []);
});
