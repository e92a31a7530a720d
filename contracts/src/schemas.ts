import { Type, type SchemaOptions, type TLiteral, type TUnion } from '@sinclair/typebox';
import { DEVICE_POSTURES } from './auth.ts';
import { ERROR_CODES, type ErrorCode } from './errors.ts';
import { MASKABLE_FIELDS, type MaskableField } from './masks.ts';
import { PHI_SCOPES, PRINCIPAL_KINDS, PURPOSE_PATTERN, ROLES, SUD_PART2_PURPOSES, WORKLOAD_ROLES } from './principal.ts';

/**
 * TypeBox schemas of the fixed lists (R-UX-2): written once from the lists themselves, used by the
 * server's route schemas (validation, response filtering, OpenAPI) and, as types, by the dashboard.
 */
type Literals<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K]> };

/** A union of string literals, one per value of a list: `Static<>` is the list's own type. */
export function literalUnion<const T extends readonly string[]>(values: T, options?: SchemaOptions): TUnion<Literals<T>> {
  return Type.Union(values.map((v) => Type.Literal(v)) as TLiteral[] as Literals<T>, options) as TUnion<Literals<T>>;
}

export const PrincipalKindSchema = literalUnion(PRINCIPAL_KINDS);
/** A person's role (R-AUTHZ-2). */
export const RoleSchema = literalUnion(ROLES);
/** A workload's role (R-WORK-1): never a person's. */
export const WorkloadRoleSchema = literalUnion(WORKLOAD_ROLES);
/** Any principal's role: a person's or a workload's. */
export const AnyRoleSchema = literalUnion([...ROLES, ...WORKLOAD_ROLES] as const);
export const PhiScopeSchema = literalUnion(PHI_SCOPES);
export const DevicePostureSchema = literalUnion(DEVICE_POSTURES);
/**
 * What no text that Ward shows again may hold (R-GOV-1, R-AUDIT-1), as the body of a character class
 * for a schema's `pattern` and a RegExp alike: C0 and C1 controls (ESC opens a terminal's escape
 * sequences) and the bidi embeddings, overrides and isolates (U+202E reorders how a line reads:
 * "Trojan Source"). LRM, RLM, ZWJ and ZWNJ stay: names in several scripts need them.
 */
export const UNSAFE_TEXT_CHARS = '\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069';
/** R-AUTHZ-4: a purpose-of-use code (`Ward-Purpose`). */
export const PurposeSchema = Type.String({ pattern: PURPOSE_PATTERN });
/** 42 CFR 2.13(a): the purposes for which SUD-Part2 records may be reached. */
export const SudPart2PurposeSchema = literalUnion(SUD_PART2_PURPOSES);
/** A stable error code (docs/errors.md), as a JSON Schema `enum`: the list is long. */
export const ErrorCodeSchema = Type.Unsafe<ErrorCode>(Type.String({ enum: Object.keys(ERROR_CODES) }));
export const MaskableFieldSchema = literalUnion(Object.keys(MASKABLE_FIELDS) as MaskableField[] as readonly MaskableField[]);

/** RFC 9457 problem details, as every error response carries them (ProblemDetails). */
export const ProblemDetailsSchema = Type.Object({
  type: Type.String({ description: 'urn:ward:error:<code>' }),
  title: Type.String({ description: "The code's fixed public text" }),
  status: Type.Integer(),
  code: ErrorCodeSchema,
  detail: Type.Optional(Type.String({ description: 'More about this occurrence, when the public message says more than the title' })),
  requestId: Type.Optional(Type.String({ description: 'Also in the X-Request-Id header and the server log' })),
});
