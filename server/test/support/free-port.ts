import { createServer, type AddressInfo } from 'node:net';

/** A port no one listens on now, for a server whose origin must be known before it starts (WebAuthn, proofs). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
