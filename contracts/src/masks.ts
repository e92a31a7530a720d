/**
 * R-DATA-3: the one map of the fields a masking rule may name (policies/masks.json, the decision's
 * `maskFields` obligation), each with the PHI labels that mask it in free text (transcripts, case
 * notes). The PHI layer's field names are the API's; a name not here stops the start (CONFIG_INVALID).
 */
export const MASKABLE_FIELDS = {
  mrn: ['MRN'],
  memberNumber: ['HEALTH_PLAN'],
  givenName: ['NAME'],
  familyName: ['NAME'],
  dateOfBirth: ['DATE', 'AGE'],
  phone: ['PHONE', 'FAX'],
  email: ['EMAIL'],
  addressLine: ['ADDRESS', 'LOCATION'],
  city: ['ADDRESS', 'LOCATION'],
  zip: ['ADDRESS', 'LOCATION'],
  ssn: ['SSN'],
  /** A call's caller number (transcripts name it; the patient's own is `phone`). */
  callerPhone: ['PHONE', 'FAX'],
} as const;

export type MaskableField = keyof typeof MASKABLE_FIELDS;

export function isMaskableField(value: unknown): value is MaskableField {
  return typeof value === 'string' && Object.hasOwn(MASKABLE_FIELDS, value);
}
