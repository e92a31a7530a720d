import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import type { MeReply, PasskeyListReply, SignedInReply, SsoCompleteReply, SsoLogoutReply, SsoStartReply } from '@ward/contracts';
import { api, ApiError, stepUp } from './api.ts';

/** The enrollment, recovery, sign-in and signed-in pages: one small script, chosen by `data-page`. */
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const say = (text: string) => ($('status').textContent = text);
const failure = (e: unknown) => {
  $('status').dataset.code = e instanceof ApiError ? e.code : 'INTERNAL';
  say(e instanceof ApiError ? e.message : e instanceof Error && e.name === 'NotAllowedError' ? 'The passkey request was cancelled or timed out.' : 'Something went wrong. Try again.');
};

function tokenFromFragment(): string {
  return new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
}

/**
 * A one-time link's passkey registration: `enroll` (a first passkey, R-AUTHN-3) or `recover` (a new
 * passkey after a lost device; the account is restricted until lifted, R-AUTHN-4).
 */
async function register(kind: 'enroll' | 'recover'): Promise<void> {
  const token = tokenFromFragment();
  const optionsJSON = await api<Parameters<typeof startRegistration>[0]['optionsJSON']>('POST', `/v1/auth/${kind}/options`, { token });
  const response = await startRegistration({ optionsJSON });
  await api<SignedInReply>('POST', `/v1/auth/${kind}/verify`, { token, response });
  history.replaceState(null, '', `/${kind}`); // the used token leaves the address bar
  location.assign('/');
}

async function signIn(): Promise<void> {
  const optionsJSON = await api<Parameters<typeof startAuthentication>[0]['optionsJSON']>('POST', '/v1/auth/sign-in/options', {});
  const response = await startAuthentication({ optionsJSON });
  await api<SignedInReply>('POST', '/v1/auth/sign-in/verify', { response });
  location.assign('/');
}

/** `GET /sso/<slug>`: the flow starts at once, from this browser's device key (R-SESS-4). */
async function ssoStart(): Promise<void> {
  const code = document.body.dataset.code;
  if (code) {
    $('status').dataset.code = code;
    return;
  }
  const { authorizationUrl } = await api<SsoStartReply>('POST', '/v1/auth/sso/start', { tenant: document.body.dataset.tenant ?? '' });
  location.assign(authorizationUrl);
}

/** The redirect URI's page: the code leaves the address bar, and the same device key completes the flow. */
async function ssoComplete(): Promise<void> {
  const callback = location.search.slice(1);
  history.replaceState(null, '', location.pathname);
  const { next } = await api<SsoCompleteReply>('POST', '/v1/auth/sso/complete', { callback });
  location.assign(next);
}

async function ssoRedirect(path: string): Promise<void> {
  const { authorizationUrl } = await api<SsoStartReply>('POST', path, {});
  location.assign(authorizationUrl);
}


let signedInWith: MeReply['session']['authMethod'] | '' = '';
let passkeyCount = 0;

async function home(): Promise<void> {
  let me: MeReply;
  try {
    me = await api<MeReply>('GET', '/v1/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return location.assign('/sign-in');
    throw e;
  }
  $('who').textContent = `Signed in as ${me.email} (${me.tenant.name})`;
  const facts: Array<[string, string]> = [
    ['Member', me.memberId], ['Account', me.status], ['Roles', me.roles.join(', ') || 'none'], ['PHI scopes', me.scopes.join(', ') || 'none'],
    ['Signed in with', me.session.authMethod], ['MFA', me.session.mfa ? 'yes' : 'no'], ['Last verified', me.session.lastVerifiedAt], ['Session ends', me.session.expiresAt],
    ['Device', me.device ? `${me.device.id} (${me.device.posture})` : 'none'],
  ];
  const dl = $('facts');
  dl.replaceChildren(...facts.flatMap(([k, v]) => {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dd.dataset.fact = k;
    return [dt, dd];
  }));
  await showPasskeys();
  signedInWith = me.session.authMethod;
  $('link-sso').hidden = signedInWith !== 'passkey';
  $('me').hidden = false;
}

async function showPasskeys(): Promise<void> {
  const { passkeys } = await api<PasskeyListReply>('GET', '/v1/me/passkeys');
  passkeyCount = passkeys.length;
  $('passkeys').replaceChildren(...passkeys.map((p) => {
    const li = document.createElement('li');
    li.textContent = `${p.name}, created ${p.createdAt.slice(0, 10)} `;
    const revoke = document.createElement('button');
    revoke.type = 'button';
    revoke.textContent = `Revoke ${p.name}`;
    revoke.addEventListener('click', () => void api('DELETE', `/v1/me/passkeys/${p.id}`).then(showPasskeys, failure).then(() => undefined));
    li.append(revoke);
    return li;
  }));
}

function on(id: string, action: () => Promise<void>): void {
  $(id).addEventListener('click', () => {
    say('');
    action().catch(failure);
  });
}

const pageName = document.body.dataset.page;
if (pageName === 'enroll' || pageName === 'recover') on('create', () => register(pageName));
if (pageName === 'sign-in') {
  on('sign-in', signIn);
  on('sign-in-sso', async () => {
    const slug = ($('organisation') as HTMLInputElement).value.trim().toLowerCase();
    if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(slug)) {
      say('Type your organisation as your administrator gave it (letters, digits, dashes).');
      return;
    }
    location.assign(`/sso/${slug}`);
  });
}
if (pageName === 'sso') ssoStart().catch(failure);
if (pageName === 'sso-callback') ssoComplete().catch(failure);
if (pageName === 'home') {
  on('verify', async () => {
    // An SSO member without a passkey steps up at the IdP: a fresh login with MFA (R-SESS-3).
    if (signedInWith === 'oidc' && passkeyCount === 0) return ssoRedirect('/v1/auth/sso/step-up/start');
    await stepUp();
    say('Verified.');
    await home();
  });
  on('link-sso', () => ssoRedirect('/v1/auth/sso/link/start'));
  on('sign-out', async () => {
    if (signedInWith === 'oidc') {
      // RP-initiated logout: Ward's session ends, then the IdP's.
      const { endSessionUrl } = await api<SsoLogoutReply>('POST', '/v1/auth/sso/logout', {});
      return location.assign(endSessionUrl ?? '/sign-in');
    }
    await api('POST', '/v1/auth/logout', {});
    location.assign('/sign-in');
  });
  home().catch(failure);
}
