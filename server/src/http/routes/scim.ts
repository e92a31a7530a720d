import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../../deps.ts';
import {
  createGroup, createUser, deleteGroup, deleteUser, getGroup, getUser, groupExists, listGroups, listUsers, newMemberId, patchGroup, patchUser,
  provisionedMemberExists, replaceGroup, replaceUser, resourceTypes, schemas, isScimPath, SCIM_BASE_PATH, SCIM_MEDIA_TYPE, serviceProviderConfig, type ScimContext,
} from '../../modules/provisioning/index.ts';
import type { Tx } from '../../db/types.ts';
import type { Authenticated } from '@ward/contracts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';
import { tenantOf } from './common.ts';

/**
 * The SCIM 2.0 service provider at <WARD_ORIGIN>/scim/v2 (RFC 7644; R-AUTHN-5). Every operation on
 * Users and Groups goes through the one enforcement point as a Cedar decision on the tenant's SCIM
 * client (`scim.user.write`, `scim.group.write`: reads included, the client's one job) with its
 * audit row; the authentication chain admits only the SCIM bearer token here (plugins/authenticate.ts).
 * Bodies are `application/scim+json` (or JSON); errors are SCIM error messages (http/errors.ts).
 * The discovery resources hold no tenant data and are public (RFC 7644 §4).
 */
const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) }, { additionalProperties: false });
const ListQuery = Type.Object({
  filter: Type.Optional(Type.String({ maxLength: 1000 })), startIndex: Type.Optional(Type.String({ maxLength: 12 })), count: Type.Optional(Type.String({ maxLength: 12 })),
  excludedAttributes: Type.Optional(Type.String({ maxLength: 200 })), attributes: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
const GetQuery = Type.Object({ excludedAttributes: Type.Optional(Type.String({ maxLength: 200 })), attributes: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
// A SCIM resource or PatchOp: any JSON object, read attribute by attribute (RFC 7643 names are case-insensitive).
const Body = Type.Object({});

// Defense in depth: the chain admits only the SCIM token here already (plugins/authenticate.ts).
const SCIM_ONLY = ['scim_token'] as const;

const idOf = (req: { params: { id: string } }) => req.params.id.toLowerCase();

function scim(reply: FastifyReply, result: unknown): unknown {
  reply.type(SCIM_MEDIA_TYPE);
  return result === null ? reply.send() : JSON.stringify(result);
}

export function scimRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): void {
  const baseUrl = `${deps.config.origin.origin}${SCIM_BASE_PATH}`;
  // RFC 7644 §3.1: SCIM clients send application/scim+json. The parser is the app's, so it is refused
  // (415) on every other route, which would otherwise take JSON past the checks of Fastify's own JSON
  // parser; and it is that parser, which refuses `__proto__` and `constructor.prototype` keys (400).
  const json = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser(SCIM_MEDIA_TYPE, { parseAs: 'string', bodyLimit: 1_048_576 }, (req, body, done) => {
    if (!isScimPath(req.routeOptions.url ?? '')) return done(Object.assign(new Error('Unsupported media type.'), { statusCode: 415 }), undefined);
    json(req, body as string, (err, value) => (err ? done(Object.assign(new Error('The body is not JSON.'), { statusCode: 400 }), undefined) : done(null, value)));
  });
  const ctx = (tx: Tx, who: Authenticated): ScimContext => ({
    tx, tenantId: who.principal.tenantId, actor: { kind: 'service', id: who.principal.id }, audit: deps.audit, now: deps.clock.now(), baseUrl,
  });
  const member = async (tx: Tx, req: { params: { id: string } }, who: Authenticated) => ((await provisionedMemberExists(tx, idOf(req))) ? { type: 'Member', id: idOf(req), tenant: who.principal.tenantId } : null);
  const group = async (tx: Tx, req: { params: { id: string } }, who: Authenticated) => ((await groupExists(tx, idOf(req))) ? { type: 'ScimGroup', id: idOf(req), tenant: who.principal.tenantId } : null);
  const op = (name: string) => () => ({ scimOperation: name });

  for (const [url, body] of [['/ServiceProviderConfig', () => serviceProviderConfig(baseUrl)], ['/ResourceTypes', () => resourceTypes(baseUrl)], ['/Schemas', () => schemas(baseUrl)]] as const) {
    app.get(`${SCIM_BASE_PATH}${url}`, { config: { access: { kind: 'public' } } }, async (_req, reply) => scim(reply, body()));
  }

  // Users (scim.user.write).
  enforcedRoute(app, deps, {
    method: 'GET', url: `${SCIM_BASE_PATH}/Users`, action: 'scim.user.write', credentials: SCIM_ONLY, schema: { querystring: ListQuery },
    load: async (_tx, _req, who) => tenantOf(who), handle: (tx, { who }, req) => listUsers(ctx(tx, who), req.query), reply: scim, auditMetadata: op('list'),
  });
  enforcedRoute(app, deps, {
    method: 'POST', url: `${SCIM_BASE_PATH}/Users`, action: 'scim.user.write', credentials: SCIM_ONLY, status: 201, schema: { body: Body },
    // The new member's id is chosen first, so that the decision is on the member it creates.
    load: async (_tx, _req, who) => ({ type: 'Member', id: newMemberId(), tenant: who.principal.tenantId }),
    handle: (tx, { who, resource }, req) => createUser(ctx(tx, who), resource.id, req.body), reply: scim, auditMetadata: op('create'),
  });
  enforcedRoute(app, deps, {
    method: 'GET', url: `${SCIM_BASE_PATH}/Users/:id`, action: 'scim.user.write', credentials: SCIM_ONLY, schema: { params: IdParams, querystring: GetQuery },
    target: (req) => ({ type: 'Member', id: idOf(req).slice(0, 64) }), load: member, handle: (tx, { who }, req) => getUser(ctx(tx, who), idOf(req)), reply: scim, auditMetadata: op('get'),
  });
  enforcedRoute(app, deps, {
    method: 'PUT', url: `${SCIM_BASE_PATH}/Users/:id`, action: 'scim.user.write', credentials: SCIM_ONLY, schema: { params: IdParams, body: Body },
    target: (req) => ({ type: 'Member', id: idOf(req).slice(0, 64) }), load: member, handle: (tx, { who }, req) => replaceUser(ctx(tx, who), idOf(req), req.body), reply: scim, auditMetadata: op('replace'),
  });
  enforcedRoute(app, deps, {
    method: 'PATCH', url: `${SCIM_BASE_PATH}/Users/:id`, action: 'scim.user.write', credentials: SCIM_ONLY, schema: { params: IdParams, body: Body },
    target: (req) => ({ type: 'Member', id: idOf(req).slice(0, 64) }), load: member, handle: (tx, { who }, req) => patchUser(ctx(tx, who), idOf(req), req.body), reply: scim, auditMetadata: op('patch'),
  });
  enforcedRoute(app, deps, {
    method: 'DELETE', url: `${SCIM_BASE_PATH}/Users/:id`, action: 'scim.user.write', credentials: SCIM_ONLY, status: 204, schema: { params: IdParams },
    target: (req) => ({ type: 'Member', id: idOf(req).slice(0, 64) }), load: member,
    handle: async (tx, { who }, req) => { await deleteUser(ctx(tx, who), idOf(req)); return null; }, reply: scim, auditMetadata: op('delete'),
  });

  // Groups (scim.group.write).
  enforcedRoute(app, deps, {
    method: 'GET', url: `${SCIM_BASE_PATH}/Groups`, action: 'scim.group.write', credentials: SCIM_ONLY, schema: { querystring: ListQuery },
    load: async (_tx, _req, who) => tenantOf(who), handle: (tx, { who }, req) => listGroups(ctx(tx, who), req.query), reply: scim, auditMetadata: op('list'),
  });
  enforcedRoute(app, deps, {
    method: 'POST', url: `${SCIM_BASE_PATH}/Groups`, action: 'scim.group.write', credentials: SCIM_ONLY, status: 201, schema: { body: Body },
    load: async (_tx, _req, who) => ({ type: 'ScimGroup', id: newMemberId(), tenant: who.principal.tenantId }),
    handle: (tx, { who, resource }, req) => createGroup(ctx(tx, who), resource.id, req.body), reply: scim, auditMetadata: op('create'),
  });
  enforcedRoute(app, deps, {
    method: 'GET', url: `${SCIM_BASE_PATH}/Groups/:id`, action: 'scim.group.write', credentials: SCIM_ONLY, schema: { params: IdParams, querystring: GetQuery },
    target: (req) => ({ type: 'ScimGroup', id: idOf(req).slice(0, 64) }), load: group, handle: (tx, { who }, req) => getGroup(ctx(tx, who), idOf(req), req.query), reply: scim, auditMetadata: op('get'),
  });
  enforcedRoute(app, deps, {
    method: 'PUT', url: `${SCIM_BASE_PATH}/Groups/:id`, action: 'scim.group.write', credentials: SCIM_ONLY, schema: { params: IdParams, body: Body },
    target: (req) => ({ type: 'ScimGroup', id: idOf(req).slice(0, 64) }), load: group, handle: (tx, { who }, req) => replaceGroup(ctx(tx, who), idOf(req), req.body), reply: scim, auditMetadata: op('replace'),
  });
  enforcedRoute(app, deps, {
    method: 'PATCH', url: `${SCIM_BASE_PATH}/Groups/:id`, action: 'scim.group.write', credentials: SCIM_ONLY, schema: { params: IdParams, body: Body },
    target: (req) => ({ type: 'ScimGroup', id: idOf(req).slice(0, 64) }), load: group, handle: (tx, { who }, req) => patchGroup(ctx(tx, who), idOf(req), req.body), reply: scim, auditMetadata: op('patch'),
  });
  enforcedRoute(app, deps, {
    method: 'DELETE', url: `${SCIM_BASE_PATH}/Groups/:id`, action: 'scim.group.write', credentials: SCIM_ONLY, status: 204, schema: { params: IdParams },
    target: (req) => ({ type: 'ScimGroup', id: idOf(req).slice(0, 64) }), load: group,
    handle: async (tx, { who }, req) => { await deleteGroup(ctx(tx, who), idOf(req)); return null; }, reply: scim, auditMetadata: op('delete'),
  });
}
