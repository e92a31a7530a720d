// The V8 bug that killed the server under load (docs/operations.md, R-OPS-1): a lazily deoptimized
// TurboFan frame that had inlined a call to a WebAssembly export returning a reference. Cedar's
// exports all return one; loading the Cedar module turns that inlining off for the process. The
// child program is the smallest trigger (server/test/support/wasm-lazy-deopt-child.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';

const root = new URL('../../../../', import.meta.url).pathname;
const child = (args: string[]) => {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/test/support/wasm-lazy-deopt-child.ts', ...args], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
};

describe('Cedar and the V8 lazy-deoptimization bug', () => {
  test('without the workaround, the trigger dies in the deoptimizer on an affected V8', (t) => {
    const r = child([]);
    if (r.status === 0) {
      t.diagnostic(`V8 ${process.versions.v8} deoptimizes such calls correctly; the workaround is inert here`);
      assert.match(r.stdout, /^survived/);
      return;
    }
    assert.equal(r.signal, 'SIGTRAP', r.stderr);
    assert.match(r.stderr, /unreachable code/);
    assert.match(r.stderr, /Deoptimizer::DoComputeBuiltinContinuation/);
  });

  test('with the Cedar module loaded, the same program survives', () => {
    const r = child(['--with-cedar']);
    assert.equal(r.signal, null, `died with ${r.signal}:\n${r.stderr.slice(0, 2000)}`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^survived/);
  });
});
