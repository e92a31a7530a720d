/** The egress policy (R-WORK-4): one function decides every outbound URL; one fetch uses it. docs/integrations.md. */
export { createEgressPolicy, embeddedIpv4, isLoopbackAddress, isSpecialAddress, parseEgressAllow, type EgressAllow, type EgressPolicy, type EgressTarget, type Resolver } from './policy.ts';
export { createEgressFetch, type EgressFetch, type EgressRequestInit } from './fetch.ts';
