import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * RFC 9449 §8: server-provided nonces. A nonce is an HMAC of the current time step under a secret that
 * every Ward server shares, so that any server accepts a nonce another one issued and no server keeps
 * state; a nonce is good in its step and the one after (like oidc-provider's DPoP nonces).
 */
export interface NonceSource {
  /** The nonce to send in `DPoP-Nonce` now. */
  current(): string;
  /** True when `nonce` was issued in this time step or the previous one. */
  isValid(nonce: string): boolean;
}

/** `secret` may be a getter: the secret then comes from the database once it has been read (signing-keys.ts). */
export function createNonceSource(opts: { secret: Uint8Array | (() => Uint8Array); clock: { now(): Date }; stepSeconds?: number }): NonceSource {
  const fixed = opts.secret;
  const secretOf = typeof fixed === 'function' ? fixed : () => fixed;
  if (typeof fixed !== 'function' && fixed.byteLength < 32) throw new Error('a nonce secret has at least 32 bytes');
  const stepSeconds = opts.stepSeconds ?? 60;
  const nonceOf = (step: number) => {
    const secret = secretOf();
    if (secret.byteLength < 32) throw new Error('a nonce secret has at least 32 bytes');
    return createHmac('sha256', secret).update(`dpop-nonce:${step}`).digest('base64url');
  };
  const stepNow = () => Math.floor(opts.clock.now().getTime() / 1000 / stepSeconds);
  return {
    current: () => nonceOf(stepNow()),
    isValid(nonce) {
      if (typeof nonce !== 'string' || nonce.length !== 43) return false;
      const given = Buffer.from(nonce);
      const step = stepNow();
      return [step, step - 1].some((s) => timingSafeEqual(given, Buffer.from(nonceOf(s))));
    },
  };
}
