import { Type } from '@sinclair/typebox';
import { DevicePostureSchema, PhiScopeSchema, WardError, type TenantId } from '@ward/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { ResourceRef } from '../../modules/access/index.ts';
import { loadResourceAttributes, recordCallStarted, recordRecordingReady, recordTranscriptReady } from '../../modules/phi/index.ts';
import { findAgentWorkload } from '../../modules/workload/index.ts';
import { claimDeviceBinding, findBoundDevice, recordPostureReport } from '../../modules/sessions/index.ts';
import { enforcedRoute, type EnforcementDeps } from '../enforce.ts';

/**
 * Signed hooks (R-WORK-4; docs/integrations.md): service-to-service requests signed with HTTP Message
 * Signatures (RFC 9421), the only routes where a signature is a credential. The body is kept as
 * received (`req.rawBody`) so that its Content-Digest (RFC 9530) is checked against the very bytes
 * that were signed. Each hook goes through the enforcement point with `call.recordEvent`; every object
 * it names (call, patient, agent) is read in the signing workload's tenant, so an object of another
 * tenant is NOT_FOUND (row-level security), and the write commits with its audit record.
 */
declare module 'fastify' {
  interface FastifyRequest {
    /** The body's bytes as received, on the signed hook routes only. */
    rawBody?: Buffer;
  }
}

const Id = Type.String({ format: 'uuid' });
const Scope = PhiScopeSchema;
const CallStartedBody = Type.Object({
  callId: Id,
  phiScope: Scope,
  patientId: Type.Optional(Id),
  direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')]),
  startedAt: Type.String({ format: 'date-time' }),
  /** The client_id of the AI voice agent workload handling the call; absent when a person answers. */
  agentClientId: Type.Optional(Type.String({ pattern: '^wl_[A-Za-z0-9_-]{22}$' })),
}, { additionalProperties: false });
const RecordingReadyBody = Type.Object({
  callId: Id,
  recordingId: Id,
  format: Type.Union([Type.Literal('audio/wav'), Type.Literal('audio/mpeg'), Type.Literal('audio/ogg'), Type.Literal('audio/webm')]),
  durationMs: Type.Integer({ minimum: 0, maximum: 86_400_000 }),
}, { additionalProperties: false });
const TranscriptReadyBody = Type.Object({
  callId: Id,
  language: Type.String({ pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$' }),
}, { additionalProperties: false });

const CallRecorded = Type.Object({ callId: Id, handledBy: Type.Union([Type.Literal('agent'), Type.Literal('ai_agent')]) }, { additionalProperties: false });
const RecordingRecorded = Type.Object({ callId: Id, recordingId: Id }, { additionalProperties: false });
const TranscriptRecorded = Type.Object({ callId: Id, transcriptId: Id }, { additionalProperties: false });

const MdmDeviceId = Type.String({ pattern: '^[A-Za-z0-9._:-]{1,128}$' });
/** R-SESS-4: a binding code a person's browser showed, claimed for the MDM's device id. */
export const BindingClaim = Type.Object({ code: Type.String({ minLength: 10, maxLength: 16 }), mdmDeviceId: MdmDeviceId }, { additionalProperties: false });
export const BindingClaimed = Type.Object({ deviceId: Id, mdmDeviceId: MdmDeviceId }, { additionalProperties: false });
const PostureReportBody = Type.Object({
  mdmDeviceId: MdmDeviceId,
  managed: Type.Boolean(),
  diskEncrypted: Type.Boolean(),
  osCurrent: Type.Boolean(),
  healthy: Type.Boolean(),
  observedAt: Type.String({ format: 'date-time' }),
}, { additionalProperties: false });
const PostureRecorded = Type.Object({
  deviceId: Id, posture: DevicePostureSchema, applied: Type.Boolean(),
}, { additionalProperties: false });

const MAX_HOOK_BODY_BYTES = 16_384;

export async function hookRoutes(app: FastifyInstance, deps: Deps & EnforcementDeps): Promise<void> {
  await app.register(async (hooks) => {
    // RFC 9530: the digest is over the bytes received; JSON is parsed from those same bytes.
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: MAX_HOOK_BODY_BYTES }, (req, body, done) => {
      req.rawBody = body as Buffer;
      try {
        done(null, JSON.parse((body as Buffer).toString('utf8')));
      } catch {
        done(new WardError('BAD_REQUEST', 'The body is not JSON.'), undefined);
      }
    });

    const signedOnly = { credentials: ['signature'] as const };
    const tenantOf = (who: { principal: { tenantId: string } }) => who.principal.tenantId as TenantId;
    const agents = new WeakMap<FastifyRequest, string | null>();

    enforcedRoute(hooks, deps, {
      ...signedOnly,
      method: 'POST',
      url: '/v1/hooks/voice/call-started',
      action: 'call.recordEvent',
      schema: { summary: 'A call started (signed by the voice platform, RFC 9421)', body: CallStartedBody, response: { 201: CallRecorded } },
      status: 201,
      target: (req) => ({ type: 'Call', id: req.body.callId }),
      async load(tx, req, who): Promise<ResourceRef | null> {
        const b = req.body;
        const tenant = tenantOf(who);
        if (b.patientId !== undefined) {
          const patient = await loadResourceAttributes(tx, tenant, 'Patient', b.patientId);
          if (!patient) return null;
          if (patient.phiScope !== b.phiScope) throw new WardError('BAD_REQUEST', "The call's PHI scope is not its patient's.");
        }
        let agent: string | null = null;
        if (b.agentClientId !== undefined) {
          agent = await findAgentWorkload(tx, b.agentClientId);
          if (!agent) return null;
        }
        agents.set(req, agent);
        return { type: 'Call', id: b.callId, tenant, phiScope: b.phiScope };
      },
      async handle(tx, { who }, req) {
        const b = req.body;
        const agentWorkloadId = agents.get(req) ?? null;
        await recordCallStarted(tx, tenantOf(who), {
          callId: b.callId, phiScope: b.phiScope, patientId: b.patientId ?? null, direction: b.direction, startedAt: new Date(b.startedAt),
          agentWorkloadId, reportedBy: who.principal.id,
        });
        return { callId: b.callId, handledBy: agentWorkloadId ? 'ai_agent' as const : 'agent' as const };
      },
      auditMetadata: (r) => ({ event: 'call-started', handledBy: r.handledBy }),
    });

    enforcedRoute(hooks, deps, {
      ...signedOnly,
      method: 'POST',
      url: '/v1/hooks/voice/recording-ready',
      action: 'call.recordEvent',
      schema: { summary: "A call's recording is ready (signed by the voice platform, RFC 9421)", body: RecordingReadyBody, response: { 201: RecordingRecorded } },
      status: 201,
      target: (req) => ({ type: 'Call', id: req.body.callId }),
      load: (tx, req, who) => loadResourceAttributes(tx, tenantOf(who), 'Call', req.body.callId),
      async handle(tx, { who, resource }, req) {
        const b = req.body;
        await recordRecordingReady(tx, tenantOf(who), { recordingId: b.recordingId, callId: b.callId, phiScope: resource.phiScope!, format: b.format, durationMs: b.durationMs });
        return { callId: b.callId, recordingId: b.recordingId };
      },
      auditMetadata: () => ({ event: 'recording-ready' }),
    });

    enforcedRoute(hooks, deps, {
      ...signedOnly,
      method: 'POST',
      url: '/v1/hooks/voice/transcript-ready',
      action: 'call.recordEvent',
      schema: { summary: "A call's transcript is ready (signed by the voice platform, RFC 9421)", body: TranscriptReadyBody, response: { 201: TranscriptRecorded } },
      status: 201,
      target: (req) => ({ type: 'Call', id: req.body.callId }),
      load: (tx, req, who) => loadResourceAttributes(tx, tenantOf(who), 'Call', req.body.callId),
      async handle(tx, { who, resource }, req) {
        const b = req.body;
        const { transcriptId } = await recordTranscriptReady(tx, tenantOf(who), { callId: b.callId, phiScope: resource.phiScope!, language: b.language });
        return { callId: b.callId, transcriptId };
      },
      auditMetadata: () => ({ event: 'transcript-ready' }),
    });

    const tenantRef = (who: { principal: { tenantId: string } }): ResourceRef => ({ type: 'Tenant', id: who.principal.tenantId, tenant: who.principal.tenantId });

    // R-SESS-4: the MDM integration claims a binding code, as an Admin can (POST /v1/devices/bindings).
    enforcedRoute(hooks, deps, {
      ...signedOnly,
      method: 'POST',
      url: '/v1/hooks/posture/bind',
      action: 'device.bind',
      schema: { summary: "Bind a device to the MDM's device id by its one-time code (signed by the posture source, RFC 9421)", body: BindingClaim, response: { 201: BindingClaimed } },
      status: 201,
      load: async (_tx, _req, who) => tenantRef(who),
      async handle(tx, { who }, req) {
        const b = req.body;
        const { deviceId } = await claimDeviceBinding(tx, { tenantId: who.principal.tenantId, code: b.code, mdmDeviceId: b.mdmDeviceId, actor: { kind: 'service', id: who.principal.id } }, deps.clock.now());
        return { deviceId, mdmDeviceId: b.mdmDeviceId };
      },
      auditMetadata: (r) => ({ deviceId: r.deviceId, mdmDeviceId: r.mdmDeviceId }),
    });

    // R-SESS-4: a posture report for a bound device of the signer's tenant; an unbound device is NOT_FOUND.
    const devices = new WeakMap<FastifyRequest, string>();
    enforcedRoute(hooks, deps, {
      ...signedOnly,
      method: 'POST',
      url: '/v1/hooks/posture/report',
      action: 'device.reportPosture',
      schema: { summary: "A bound device's posture (signed by the posture source, RFC 9421)", body: PostureReportBody, response: { 200: PostureRecorded } },
      target: (req) => ({ type: 'MdmDevice', id: req.body.mdmDeviceId }),
      async load(tx, req, who) {
        const device = await findBoundDevice(tx, req.body.mdmDeviceId);
        if (!device) return null;
        devices.set(req, device.id);
        return tenantRef(who);
      },
      async handle(tx, { who }, req) {
        const b = req.body;
        const deviceId = devices.get(req)!;
        const r = await recordPostureReport(tx, {
          deviceId, sourceId: who.principal.id,
          report: { managed: b.managed, diskEncrypted: b.diskEncrypted, osCurrent: b.osCurrent, healthy: b.healthy, observedAt: new Date(b.observedAt) },
        }, deps.clock.now());
        return { deviceId, posture: r.posture, applied: r.isApplied, previous: r.previous };
      },
      auditMetadata: (r) => ({ deviceId: r.deviceId, posture: r.posture, previous: r.previous, applied: r.applied }),
      reply: (_reply, r) => ({ deviceId: r.deviceId, posture: r.posture, applied: r.applied }),
    });
  });
}
