/** Single sign-on through OpenID Connect (R-AUTHN-2, R-SESS-1, R-SESS-4): docs/sso.md. */
export { CLIENT_AUTH_METHODS, isClientAuthMethod, type ClientAuthMethod } from './client-auth.ts';
export { configureSso, type SsoConfiguration, type SsoConfigured } from './configure.ts';
export { checkSsoChange, prepareSsoChange, readSsoConnection, writeSsoConnection, type CheckedSsoChange, type PreparedSsoChange, type SsoChange, type SsoConnection } from './console.ts';
export { CALLBACK_PATH, createSso, FLOW_TTL_SECONDS, type Sso, type SsoCaller, type SsoCompleted, type SsoDeps } from './flow.ts';
export { createBackchannelLogout, endSessionUrl } from './logout.ts';
export { amrOf, provedMfa } from './mfa.ts';
export { isMultiTenantIssuer } from './provider.ts';
export { approveSsoChange, findSsoRequest, listSsoRequests, proposeSsoConnection, proposeSsoDisconnect, refuseSsoChange } from './requests.ts';

import { createSso, type SsoDeps } from './flow.ts';
import { createBackchannelLogout, endSessionUrl } from './logout.ts';

/** The flows, back-channel logout and the IdP's end-session URL, over one set of dependencies. */
export function createSsoFacade(deps: SsoDeps) {
  return { ...createSso(deps), backchannelLogout: createBackchannelLogout(deps), endSessionUrl: (tenantId: string) => endSessionUrl(deps, tenantId) };
}

export type SsoFacade = ReturnType<typeof createSsoFacade>;
