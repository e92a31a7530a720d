import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { api, ApiError, stepUp } from './api.ts';

/** The enrollment, sign-in and signed-in pages: one small script, chosen by `data-page`. */
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const say = (text: string) => ($('status').textContent = text);
const failure = (e: unknown) => say(e instanceof ApiError ? e.message : e instanceof Error && e.name === 'NotAllowedError' ? 'The passkey request was cancelled or timed out.' : 'Something went wrong. Try again.');

function tokenFromFragment(): string {
  return new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
}

async function enroll(): Promise<void> {
  const token = tokenFromFragment();
  const optionsJSON = await api<Parameters<typeof startRegistration>[0]['optionsJSON']>('POST', '/v1/auth/enroll/options', { token });
  const response = await startRegistration({ optionsJSON });
  await api('POST', '/v1/auth/enroll/verify', { token, response });
  history.replaceState(null, '', '/enroll'); // the used token leaves the address bar
  location.assign('/');
}

async function signIn(): Promise<void> {
  const optionsJSON = await api<Parameters<typeof startAuthentication>[0]['optionsJSON']>('POST', '/v1/auth/sign-in/options', {});
  const response = await startAuthentication({ optionsJSON });
  await api('POST', '/v1/auth/sign-in/verify', { response });
  location.assign('/');
}

interface Me {
  memberId: string; email: string; tenant: { slug: string; name: string }; roles: string[]; scopes: string[];
  session: { authMethod: string; lastVerifiedAt: string; expiresAt: string }; device: { id: string; posture: string } | null;
}
interface Passkey { id: string; name: string; createdAt: string; lastUsedAt: string | null }

async function home(): Promise<void> {
  let me: Me;
  try {
    me = await api<Me>('GET', '/v1/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return location.assign('/sign-in');
    throw e;
  }
  $('who').textContent = `Signed in as ${me.email} (${me.tenant.name})`;
  const facts: Array<[string, string]> = [
    ['Member', me.memberId], ['Roles', me.roles.join(', ') || 'none'], ['PHI scopes', me.scopes.join(', ') || 'none'],
    ['Signed in with', me.session.authMethod], ['Last verified', me.session.lastVerifiedAt], ['Session ends', me.session.expiresAt],
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
  $('me').hidden = false;
}

async function showPasskeys(): Promise<void> {
  const { passkeys } = await api<{ passkeys: Passkey[] }>('GET', '/v1/me/passkeys');
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
if (pageName === 'enroll') on('create', enroll);
if (pageName === 'sign-in') on('sign-in', signIn);
if (pageName === 'home') {
  on('verify', async () => {
    await stepUp();
    say('Verified.');
    await home();
  });
  on('sign-out', async () => {
    await api('POST', '/v1/auth/logout', {});
    location.assign('/sign-in');
  });
  home().catch(failure);
}
