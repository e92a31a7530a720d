/**
 * Monitoring (R-MON-1, R-MON-2, R-GOV-5): detection rules as data over the sealed audit trail, the
 * detector that runs them as events are sealed (and replays them over history), detection records
 * and their triage, containment and time to contain (docs/detections.md); metrics and traces
 * (R-OPS-1, docs/observability.md).
 */
export { createMetrics, readScrapeStats, type Metrics, type MetricsOptions, type ScrapeStats } from './metrics.ts';
export { createTracing, tracingOff, type SpanAttributes, type SpanHandle, type SpanName, type Tracing, type TracingOptions } from './tracing.ts';
export { loadRules, matches, parseRules, SEVERITIES, severityAtLeast, type Match, type Rule, type Severity } from './rules.ts';
export { createEngine, type Engine, type Finding, type Lookups } from './engine.ts';
export { createDetector, createLookups, type Detector, type DetectorOptions, type ReplayResult } from './job-detector.ts';
export {
  DETECTION_STATES, getDetection, listDetections, openDetectionsFor, triageDetection, type Detection, type DetectionFilter, type DetectionState,
} from './detections.ts';
export { revokeSession, timesToContain, type ContainmentAction, type TimeToContain } from './containment.ts';
export { investigate, SUBJECT_KINDS, type Investigation, type InvestigateOptions, type SubjectKind } from './investigation.ts';
export { createSiemStream, SIEM_LEASE, type SiemStream, type SiemStreamOptions } from './job-siem.ts';
export { createFileSiemSink, createHttpSiemSink, type SiemSink } from './siem-sinks.ts';
