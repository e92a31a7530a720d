import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A software passkey for the drill (WebAuthn Level 3, "none" attestation, ES256): what a platform
 * authenticator does, in this process, so that the drill can enroll and sign in many members as real
 * clients do, and can also do what a browser never would (a wrong origin, a replayed challenge).
 * The e2e suite covers the same ceremonies in Chromium with its virtual authenticator.
 */
const b64u = (b: Buffer) => b.toString('base64url');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest();

/** RFC 8949: just the items a WebAuthn attestation needs (integers, byte and text strings, maps). */
function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  const b = Buffer.alloc(3);
  b[0] = (major << 5) | 25;
  b.writeUInt16BE(n, 1);
  return b;
}
type Cbor = number | string | Buffer | Map<Cbor, Cbor>;
export function cbor(v: Cbor): Buffer {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') return Buffer.concat([head(3, Buffer.byteLength(v)), Buffer.from(v)]);
  if (Buffer.isBuffer(v)) return Buffer.concat([head(2, v.length), v]);
  return Buffer.concat([head(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])]);
}

export interface CeremonyTweaks {
  /** clientDataJSON.origin (a phishing page's origin); default the real one. */
  origin?: string;
  /** The relying party id hashed into authenticator data; default the options' one. */
  rpId?: string;
  /** Flags: user present and verified by default. */
  isUserVerified?: boolean;
}

export interface SoftPasskey {
  readonly credentialId: string;
  /** The credential public key as COSE_Key bytes (what a relying party stores at registration). */
  readonly publicKeyCose: Buffer;
  /** navigator.credentials.create() for these options, as RegistrationResponseJSON. */
  register(options: { challenge: string; rp: { id?: string }; user: { id: string } }, tweaks?: CeremonyTweaks): Record<string, unknown>;
  /** navigator.credentials.get() for these options, as AuthenticationResponseJSON. */
  assert(options: { challenge: string; rpId?: string }, tweaks?: CeremonyTweaks): Record<string, unknown>;
}

/**
 * `userHandle`: the user handle of a credential already registered for a member (base64url), for a
 * passkey whose registration happened elsewhere; register() sets it otherwise.
 */
export function softPasskey(origin: string, opts: { userHandle?: string } = {}): SoftPasskey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' }) as { privateKey: KeyObject; publicKey: KeyObject };
  const id = randomBytes(16);
  const jwk = publicKey.export({ format: 'jwk' });
  const defaultRpId = new URL(origin).hostname;
  let counter = 0;
  let userHandle = opts.userHandle ?? '';
  const cose = cbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
  const flagsOf = (t: CeremonyTweaks, extra: number) => 0x01 | (t.isUserVerified === false ? 0 : 0x04) | extra;
  const clientData = (type: string, challenge: string, t: CeremonyTweaks) =>
    Buffer.from(JSON.stringify({ type, challenge, origin: t.origin ?? origin, crossOrigin: false }));
  return {
    credentialId: b64u(id),
    publicKeyCose: cose,
    register(options, t = {}) {
      userHandle = options.user.id;
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(id.length);
      const authData = Buffer.concat([sha256(t.rpId ?? options.rp.id ?? defaultRpId), Buffer.from([flagsOf(t, 0x40)]), Buffer.alloc(4), Buffer.alloc(16), idLength, id, cose]);
      const attestationObject = cbor(new Map<Cbor, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
      return {
        id: b64u(id), rawId: b64u(id), type: 'public-key', clientExtensionResults: {}, authenticatorAttachment: 'platform',
        response: { clientDataJSON: b64u(clientData('webauthn.create', options.challenge, t)), attestationObject: b64u(attestationObject), transports: ['internal'] },
      };
    },
    assert(options, t = {}) {
      counter += 1;
      const count = Buffer.alloc(4);
      count.writeUInt32BE(counter);
      const authData = Buffer.concat([sha256(t.rpId ?? options.rpId ?? defaultRpId), Buffer.from([flagsOf(t, 0)]), count]);
      const cd = clientData('webauthn.get', options.challenge, t);
      const signature = sign('sha256', Buffer.concat([authData, sha256(cd)]), privateKey);
      return {
        id: b64u(id), rawId: b64u(id), type: 'public-key', clientExtensionResults: {}, authenticatorAttachment: 'platform',
        response: { clientDataJSON: b64u(cd), authenticatorData: b64u(authData), signature: b64u(signature), userHandle },
      };
    },
  };
}
