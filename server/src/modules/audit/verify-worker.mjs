// Starts a worker of the parallel offline verifier: TypeScript runs through tsx, registered in the
// worker (the `ward` CLI registers it in-process, which a worker does not inherit).
import { register } from 'tsx/esm/api';

register();
await import('./verify-worker.ts');
