import net from 'node:net';

/**
 * R-OPS-1: what the server sends to PostgreSQL, as round trips. While tapped, every socket's writes are
 * grouped into bursts: a burst is what is written before the next answer arrives (pipelined statements
 * share one; a statement sent after an answer starts another). Test support only.
 */
export function tapPostgresSockets(): { stop(): void; bursts(isConnection: (text: string) => boolean): string[] } {
  const seen = new Map<net.Socket, { bursts: string[]; isWriting: boolean }>();
  const write = net.Socket.prototype.write;
  net.Socket.prototype.write = function tapped(this: net.Socket, chunk: unknown, ...rest: unknown[]) {
    let state = seen.get(this);
    if (!state) {
      const s = { bursts: [] as string[], isWriting: false };
      seen.set(this, s);
      this.prependListener('data', () => {
        s.isWriting = false;
      });
      state = s;
    }
    const text = Buffer.isBuffer(chunk) ? chunk.toString('latin1') : String(chunk);
    if (!state.isWriting) state.bursts.push('');
    state.isWriting = true;
    state.bursts[state.bursts.length - 1] += text;
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof write;
  return {
    stop() {
      net.Socket.prototype.write = write;
    },
    /** The bursts of the one connection whose writes match `isConnection` (fails unless exactly one does). */
    bursts(isConnection) {
      const matching = [...seen.values()].filter((s) => s.bursts.some(isConnection));
      if (matching.length !== 1) throw new Error(`${matching.length} connections matched`);
      return matching[0]!.bursts;
    },
  };
}
