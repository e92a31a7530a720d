import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import type { SignedInReply, SsoCompleteReply, SsoStartReply } from '@ward/contracts';
import { api, ApiError } from './api.ts';
import './auth.css';

/**
 * The passkey pages before a session exists (enroll, recover, sign-in, SSO): one small script, chosen by
 * `data-page`. The signed-in dashboard is the React app (src/app).
 */
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const say = (text: string) => ($('status').textContent = text);
const failure = (e: unknown) => {
  $('status').dataset.code = e instanceof ApiError ? e.code : 'INTERNAL';
  say(e instanceof ApiError ? e.message : e instanceof Error && e.name === 'NotAllowedError' ? 'The passkey request was cancelled or timed out.' : 'Something went wrong. Try again.');
};

function tokenFromFragment(): string {
  return new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
}

/** R-UX-1: where a demo link lands once the passkey is made (`ward demo sign-in`): a role's first screen, from this list only. */
const LANDINGS = new Set(['/agent', '/auditor', '/supervisor', '/admin']);
function landingFromFragment(): string {
  const next = new URLSearchParams(location.hash.slice(1)).get('next') ?? '/';
  return LANDINGS.has(next) ? next : '/';
}

/**
 * A one-time link's passkey registration: `enroll` (a first passkey, R-AUTHN-3) or `recover` (a new
 * passkey after a lost device; the account is restricted until lifted, R-AUTHN-4).
 */
async function register(kind: 'enroll' | 'recover'): Promise<void> {
  const token = tokenFromFragment();
  const next = landingFromFragment();
  const optionsJSON = await api<Parameters<typeof startRegistration>[0]['optionsJSON']>('POST', `/v1/auth/${kind}/options`, { token });
  const response = await startRegistration({ optionsJSON });
  await api<SignedInReply>('POST', `/v1/auth/${kind}/verify`, { token, response });
  history.replaceState(null, '', `/${kind}`); // the used token leaves the address bar
  location.assign(next);
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
