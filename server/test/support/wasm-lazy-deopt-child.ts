/**
 * The smallest program that meets the V8 bug described in docs/operations.md ("Node.js, V8 and
 * WebAssembly"): TurboFan inlines a call to a WebAssembly export that returns a reference
 * (externref, as Cedar's calls do), and while the call runs, the Wasm code calls back into
 * JavaScript that invalidates an assumption of the optimized caller. On return the caller is
 * lazily deoptimized, and the V8 of Node 20 and 22 has no case for a reference result:
 * "Fatal error ... unreachable code" in Deoptimizer::DoComputeBuiltinContinuation.
 *
 *   node --import tsx wasm-lazy-deopt-child.ts [--with-cedar]
 *
 * With --with-cedar, Ward's Cedar module is loaded first (it turns that inlining off). Prints
 * "survived" and exits 0, or dies with SIGTRAP.
 */
if (process.argv.includes('--with-cedar')) await import('../../src/modules/policy/cedar.ts');

// (module (import "env" "cb" (func (param i32)))
//         (func (export "f") (param externref) (result externref) (call 0 (i32.const 0)) (local.get 0)))
const bytes = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x0a, 0x02, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x01, 0x6f, 0x01, 0x6f,
  0x02, 0x0a, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x02, 0x63, 0x62, 0x00, 0x00,
  0x03, 0x02, 0x01, 0x01,
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x01,
  0x0a, 0x0a, 0x01, 0x08, 0x00, 0x41, 0x00, 0x10, 0x00, 0x20, 0x00, 0x0b,
]);
// WebAssembly's JS API, typed here: the project's lib settings describe Node, not the Web.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const global = globalThis as unknown as { wardDeoptProbe: unknown; WebAssembly: WasmApi };
global.wardDeoptProbe = 0;
let change = false;
const instance = new global.WebAssembly.Instance(new global.WebAssembly.Module(bytes), {
  env: { cb: () => void (change && (global.wardDeoptProbe = 'changed')) },
});
const f = instance.exports.f as (o: { x: number }) => { x: number };

function caller(o: { x: number }): unknown {
  const r = f(o);
  // The optimized code assumes the global keeps its type; the callback breaks that mid-call.
  return (r.x as unknown as string) + (global.wardDeoptProbe as string);
}

let sum: unknown = 0;
for (let i = 0; i < 200_000; i += 1) sum = caller({ x: i }); // hot: TurboFan optimizes caller
change = true;
sum = caller({ x: 1 });
process.stdout.write(`survived ${typeof sum}\n`);
