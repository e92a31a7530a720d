/**
 * PHI span labels (R-DATA-2): the 18 HIPAA Safe Harbor identifiers (45 CFR 164.514(b)(2)) as the
 * labels of shared/data/phi/README.md. Biometric identifiers and any other unique number are `ID`.
 */
export const PHI_LABELS = [
  'NAME', 'DATE', 'AGE', 'PHONE', 'FAX', 'EMAIL', 'SSN', 'MRN', 'HEALTH_PLAN', 'ACCOUNT', 'LICENSE',
  'VEHICLE', 'DEVICE', 'URL', 'IP', 'ADDRESS', 'LOCATION', 'ID',
] as const;
export type PhiLabel = (typeof PHI_LABELS)[number];

export function isPhiLabel(value: unknown): value is PhiLabel {
  return typeof value === 'string' && (PHI_LABELS as readonly string[]).includes(value);
}

/** One detected identifier: JavaScript string offsets, end exclusive. */
export interface Span {
  start: number;
  end: number;
  label: PhiLabel;
  /** 0..1: checksummed patterns are near 1, gazetteer guesses lower. */
  confidence: number;
}

export interface DetectOptions {
  /** Also detect clinicians' names after titles such as "Dr." (default true: minimum necessary). */
  includeClinicians?: boolean;
  /** Spans below this confidence are dropped (default 0.5). */
  minConfidence?: number;
}
