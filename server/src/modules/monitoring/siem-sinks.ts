import { closeSync, fstatSync, ftruncateSync, fsyncSync, openSync, readSync, writeSync, constants } from 'node:fs';
import { WardError } from '@ward/contracts';
import type { OcsfRecord } from '../audit/index.ts';
import type { EgressFetch } from '../egress/index.ts';
import { signRequest } from '../workload/index.ts';

/**
 * Where the SIEM stream delivers (R-AUDIT-4): OCSF records of one tenant, in seq order, a batch at a
 * time. `deliver` returns only once the batch is durable at the sink (fsynced, or answered 2xx);
 * `lastDelivered` says what the sink itself holds at the end, so that a batch written but not yet
 * recorded in the cursor (a crash in between) is not written twice.
 */
export interface SiemSink {
  /** A stable name: the cursor is kept per sink (`siem_cursors.sink`). */
  readonly name: string;
  deliver(tenantId: string, records: readonly OcsfRecord[]): Promise<void>;
  /** The tenant and seq of the last complete record the sink holds, if it can tell (a file can; an endpoint cannot). */
  lastDelivered(): Promise<{ tenantId: string; seq: number } | null>;
}

const TAIL_BYTES = 1 << 20;

/**
 * A file of OCSF JSON lines (0600), appended and fsynced per batch. On recovery a partial last line
 * (a crash in the middle of a write) is cut off, and the last complete line names what was delivered.
 */
export function createFileSiemSink(path: string): SiemSink {
  function open(): number {
    return openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  }
  return {
    name: `file:${path}`.slice(0, 200),
    async deliver(_tenantId, records) {
      if (records.length === 0) return;
      const fd = open();
      try {
        writeSync(fd, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
    async lastDelivered() {
      let fd: number;
      try {
        fd = openSync(path, constants.O_RDWR | constants.O_NOFOLLOW);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new WardError('CONFIG_INVALID', undefined, { detail: 'WARD_SIEM_FILE could not be opened', cause: e });
      }
      try {
        const size = fstatSync(fd).size;
        const start = Math.max(0, size - TAIL_BYTES);
        const buf = Buffer.alloc(size - start);
        readSync(fd, buf, 0, buf.length, start);
        const end = buf.lastIndexOf(0x0a);
        // Cut a partial last line: its batch's cursor was never moved, so it is delivered again whole.
        if (end + 1 < buf.length) {
          ftruncateSync(fd, start + end + 1);
          fsyncSync(fd);
        }
        if (end < 0) return null;
        const from = buf.lastIndexOf(0x0a, end - 1) + 1;
        const last = JSON.parse(buf.subarray(from, end).toString('utf8')) as OcsfRecord;
        return { tenantId: last.metadata.tenant_uid, seq: last.metadata.sequence };
      } finally {
        closeSync(fd);
      }
    },
  };
}

/**
 * An HTTPS endpoint: each batch POSTed as `{"type":"ward-ocsf-batch","tenantId",…,"records":[…]}`
 * through the egress policy (R-WORK-4), signed with RFC 9421 by Ward's alert key (its `kid` in
 * /.well-known/jwks.json), like the alerts. Anything but 2xx fails the batch; it is sent again. A
 * batch answered 2xx whose cursor did not commit (a crash in between) is sent again too: receivers
 * deduplicate by `metadata.uid` (the event id) or by tenant and `metadata.sequence`.
 */
export function createHttpSiemSink(o: {
  url: URL;
  egress: EgressFetch;
  key: () => Promise<{ kid: string; privateKey: import('node:crypto').KeyObject }>;
  clock: { now(): Date };
}): SiemSink {
  return {
    name: `url:${o.url.origin}${o.url.pathname}`.slice(0, 200),
    async deliver(tenantId, records) {
      if (records.length === 0) return;
      const body = Buffer.from(JSON.stringify({
        type: 'ward-ocsf-batch', tenantId, firstSeq: records[0]!.metadata.sequence, lastSeq: records.at(-1)!.metadata.sequence, records,
      }));
      const key = await o.key();
      const headers = await signRequest({ method: 'POST', url: o.url.href, headers: { 'content-type': 'application/json' }, body },
        { keyid: key.kid, alg: 'ecdsa-p256-sha256', privateKey: key.privateKey }, { now: o.clock.now(), label: 'ward' });
      const res = await o.egress(o.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) throw new WardError('SERVICE_UNAVAILABLE', undefined, { detail: `the SIEM endpoint answered ${res.status}` });
    },
    async lastDelivered() {
      return null;
    },
  };
}
