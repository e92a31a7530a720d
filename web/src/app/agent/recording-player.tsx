import type { RecordingReply } from '@ward/contracts';
import { useEffect, useState } from 'react';
import { apiResponse } from '../../api.ts';
import { describeError } from '../status.tsx';

const CHUNK_BYTES = 256 * 1024;

/**
 * The recording through the enforced route only (no bearer links): byte ranges (RFC 9110 §14)
 * fetched by the data client with the device proof, played from memory (a blob: URL, revoked when
 * the player goes away). Nothing is cached by the browser (the answers are no-store).
 */
export function RecordingPlayer({ meta }: { meta: RecordingReply }) {
  const [url, setUrl] = useState<string>();
  const [loaded, setLoaded] = useState(0);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    let made: string | undefined;
    (async () => {
      const parts: ArrayBuffer[] = [];
      for (let start = 0; start < meta.byteLength && !cancelled; start += CHUNK_BYTES) {
        const end = Math.min(start + CHUNK_BYTES, meta.byteLength) - 1;
        const res = await apiResponse('GET', `/v1/recordings/${meta.id}/audio`, undefined, { stepUp: false, headers: { range: `bytes=${start}-${end}`, 'ward-purpose': 'TREAT' } });
        parts.push(await res.arrayBuffer());
        setLoaded(end + 1);
      }
      if (cancelled) return;
      made = URL.createObjectURL(new Blob(parts, { type: meta.format }));
      setUrl(made);
    })().catch((e) => setError(describeError(e).text));
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [meta]);
  if (error) return <p className="notice denied">{error}</p>;
  const ranges = Math.ceil(meta.byteLength / CHUNK_BYTES);
  return (
    <div className="player">
      {url ? <audio controls src={url} aria-label="Call recording" /> : <progress max={meta.byteLength} value={loaded} aria-label="Loading the recording" />}
      <p className="muted">{(meta.durationMs / 1000).toFixed(0)} s, {meta.format}, {ranges} byte-range request{ranges === 1 ? '' : 's'}</p>
    </div>
  );
}
