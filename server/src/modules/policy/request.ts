import { WardError } from '@ward/contracts';
import { DEVICE_POSTURES, ELEVATIONS, PRINCIPAL_TYPES, RISK_LEVELS, type PdpRequest } from './types.ts';

/**
 * Checks an untrusted request (a `ward policy check` line, a decision-table case). Errors name the
 * field, never its value: the input may hold PHI (R-DATA-4).
 */
export function parsePdpRequest(value: unknown): PdpRequest {
  const bad = (field: string, what: string): never => {
    throw new WardError('BAD_REQUEST', `${field} ${what}`);
  };
  const obj = (x: unknown, field: string): Record<string, unknown> =>
    x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : bad(field, 'must be an object');
  const str = (o: Record<string, unknown>, key: string, field: string, allowEmpty = false): string => {
    const v = o[key];
    if (typeof v !== 'string' || (!allowEmpty && v.length === 0)) bad(`${field}.${key}`, 'must be a non-empty string');
    return v as string;
  };
  const list = (o: Record<string, unknown>, key: string, field: string): string[] => {
    const v = o[key];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) bad(`${field}.${key}`, 'must be a list of strings');
    return v as string[];
  };
  const oneOf = <T extends string>(o: Record<string, unknown>, key: string, allowed: readonly T[], field: string): T => {
    const v = o[key];
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) bad(`${field}.${key}`, `must be one of ${allowed.join(', ')}`);
    return v as T;
  };

  const signalsOf = (x: unknown): Record<string, string | number | boolean> => {
    const o = obj(x, 'context.signals');
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === 'number' ? !Number.isSafeInteger(v) : typeof v !== 'string' && typeof v !== 'boolean') bad(`context.signals.${k}`, 'must be a flag, a string or a whole number');
    }
    return o as Record<string, string | number | boolean>;
  };

  const root = obj(value, 'request');
  const p = obj(root.principal, 'principal');
  const r = obj(root.resource, 'resource');
  const c = obj(root.context, 'context');
  if (typeof root.action !== 'string' || root.action.length === 0) bad('action', 'must be a non-empty string');
  if (typeof c.mfa !== 'boolean') bad('context.mfa', 'must be a boolean');
  const age = c.authAgeSeconds;
  if (typeof age !== 'number' || !Number.isFinite(age) || age < 0) bad('context.authAgeSeconds', 'must be a number of seconds');
  const justification = c.justification;
  if (justification !== undefined && typeof justification !== 'string' && typeof justification !== 'boolean') {
    bad('context.justification', 'must be a string or a boolean');
  }

  const principal: PdpRequest['principal'] = {
    type: oneOf(p, 'type', PRINCIPAL_TYPES, 'principal'),
    id: str(p, 'id', 'principal'),
    tenant: str(p, 'tenant', 'principal'),
    roles: list(p, 'roles', 'principal'),
    scopes: list(p, 'scopes', 'principal'),
  };
  if (p.onBehalfOf !== undefined) principal.onBehalfOf = str(p, 'onBehalfOf', 'principal');
  if (p.status !== undefined) principal.status = str(p, 'status', 'principal');
  const resource: PdpRequest['resource'] = { ...r, type: str(r, 'type', 'resource'), id: str(r, 'id', 'resource'), tenant: str(r, 'tenant', 'resource') };
  if (r.phiScope !== undefined) resource.phiScope = str(r, 'phiScope', 'resource');
  return {
    principal,
    action: root.action as string,
    resource,
    context: {
      mfa: c.mfa as boolean,
      authMethod: str(c, 'authMethod', 'context', true),
      authAgeSeconds: age as number,
      devicePosture: oneOf(c, 'devicePosture', DEVICE_POSTURES, 'context'),
      risk: oneOf(c, 'risk', RISK_LEVELS, 'context'),
      elevation: (() => {
        const e = obj(c.elevation, 'context.elevation');
        if (typeof e.grantsAction !== 'boolean') bad('context.elevation.grantsAction', 'must be a boolean');
        return { kind: oneOf(e, 'kind', ELEVATIONS, 'context.elevation'), id: str(e, 'id', 'context.elevation', true), grantsAction: e.grantsAction as boolean };
      })(),
      justification: (justification ?? false) as boolean | string,
      purpose: c.purpose === undefined ? '' : str(c, 'purpose', 'context', true),
      ...(c.riskVerified !== undefined ? { riskVerified: c.riskVerified === true ? true : c.riskVerified === false ? false : bad('context.riskVerified', 'must be a boolean') } : {}),
      ...(c.signals !== undefined ? { signals: signalsOf(c.signals) } : {}),
    },
  };
}
