import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import { invalid, serviceUrl, urlOf } from './parse.ts';

// The configuration of Ward's outside services and listeners, each validated from the environment
// once at start (docs/operations.md lists every variable). loadConfig in ../config.ts assembles them.

export interface ObservabilityConfig {
  /** WARD_METRICS_ADDRESS: the Prometheus listener, host:port (default 127.0.0.1:9464; `off` disables it). Never the public port. */
  metrics: { host: string; port: number } | null;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: traces go there over OTLP/HTTP; unset, tracing is off. */
  otlpEndpoint: string | null;
}

export function observabilityConfig(env: NodeJS.ProcessEnv, publicPort: number): ObservabilityConfig {
  const raw = env.WARD_METRICS_ADDRESS?.trim() || '127.0.0.1:9464';
  let metrics: ObservabilityConfig['metrics'] = null;
  if (raw !== 'off') {
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(raw);
    const port = Number(m?.[2]);
    if (!m || port < 1 || port > 65535) invalid('WARD_METRICS_ADDRESS must be host:port, e.g. 127.0.0.1:9464 (or off)');
    // R-DATA-4, R-OPS-1: the figures are for the operator's scraper, never on the public listener.
    if (port === publicPort) invalid('WARD_METRICS_ADDRESS must not use the public port (WARD_PORT)');
    metrics = { host: m[1]!.replace(/^\[|\]$/g, ''), port };
  }
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || null;
  if (endpoint !== null) {
    const url = urlOf('OTEL_EXPORTER_OTLP_ENDPOINT', endpoint, 'http://127.0.0.1:4318');
    if (url.protocol !== 'https:' && url.protocol !== 'http:') invalid('OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL');
  }
  return { metrics, otlpEndpoint: endpoint };
}

/**
 * R-SESS-2, WARD_GEOIP_DATABASE: where the `newCountry` risk signal finds an address's country: the
 * database packaged with Ward (unset), an operator's MaxMind DB file (a path), or nowhere (`off`).
 */
export type GeoipConfig = { source: 'packaged' } | { source: 'file'; path: string } | { source: 'off' };

export function geoipConfig(env: NodeJS.ProcessEnv): GeoipConfig {
  const raw = env.WARD_GEOIP_DATABASE?.trim();
  if (!raw) return { source: 'packaged' };
  if (raw === 'off') return { source: 'off' };
  try {
    accessSync(resolve(raw), constants.R_OK);
  } catch {
    invalid('WARD_GEOIP_DATABASE must name a readable MaxMind DB (.mmdb) country file (or be off)');
  }
  return { source: 'file', path: resolve(raw) };
}

export interface MonitoringConfig {
  /** WARD_DETECTION_RULES: a rule file replacing the shipped rules (server/src/modules/monitoring/rules.json). */
  rulesPath: string | null;
  /** WARD_SIEM_URL: an https endpoint the sealed events are POSTed to as OCSF (through the egress policy). */
  siemUrl: URL | null;
  /** WARD_SIEM_FILE: a file the sealed events are appended to as OCSF JSON lines. */
  siemFile: string | null;
  /** WARD_SIEM_INTERVAL_MS: how often the stream looks for newly sealed events (default 1000). */
  siemIntervalMs: number;
}

export function monitoringConfig(env: NodeJS.ProcessEnv): MonitoringConfig {
  const rules = env.WARD_DETECTION_RULES?.trim();
  const rawUrl = env.WARD_SIEM_URL?.trim();
  const siemUrl = rawUrl ? serviceUrl('WARD_SIEM_URL', rawUrl, 'https://siem.example.org/ocsf') : null;
  const file = env.WARD_SIEM_FILE?.trim();
  if (siemUrl && file) invalid('Set WARD_SIEM_URL or WARD_SIEM_FILE, not both');
  const interval = env.WARD_SIEM_INTERVAL_MS?.trim() || '1000';
  if (!/^[0-9]{1,6}$/.test(interval) || Number(interval) < 50) invalid('WARD_SIEM_INTERVAL_MS must be a whole number of milliseconds, at least 50');
  return { rulesPath: rules ? resolve(rules) : null, siemUrl, siemFile: file ? resolve(file) : null, siemIntervalMs: Number(interval) };
}

export interface AlertsConfig {
  /** WARD_ALERT_WEBHOOK_URL: where the leased job POSTs each signed alert (a SIEM); unset: alerts wait in the outbox. */
  webhookUrl: URL | null;
  /** Ward's alert signing key (RFC 9421), `<WARD_DATA_DIR>/alert-signing-key.json`, 0600, published in /.well-known/jwks.json. */
  keyPath: string;
}

export function alertsConfig(env: NodeJS.ProcessEnv, dataDir: string): AlertsConfig {
  const raw = env.WARD_ALERT_WEBHOOK_URL?.trim();
  const webhookUrl = raw ? serviceUrl('WARD_ALERT_WEBHOOK_URL', raw, 'https://siem.example.org/ward-alerts') : null;
  return { webhookUrl, keyPath: resolve(dataDir, 'alert-signing-key.json') };
}

export interface NotifyConfig {
  /** WARD_SMTP_URL (smtp:// or smtps://); unset: the file outbox. */
  smtpUrl: string | null;
  /** `<WARD_DATA_DIR>/outbox`: one 0600 file per message when no SMTP server is set. */
  outboxDir: string;
  /** The sender: `Ward <no-reply@<origin host>>`. */
  from: string;
}

export function notifyConfig(env: NodeJS.ProcessEnv, dataDir: string, origin: URL): NotifyConfig {
  const raw = env.WARD_SMTP_URL?.trim();
  let smtpUrl: string | null = null;
  if (raw) {
    const url = urlOf('WARD_SMTP_URL', raw, 'smtps://user:password@mail.example.org:465');
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') invalid('WARD_SMTP_URL must be an smtp:// or smtps:// URL');
    smtpUrl = url.href;
  }
  return { smtpUrl, outboxDir: resolve(dataDir, 'outbox'), from: `Ward <no-reply@${origin.hostname.replace(/^\[|\]$/g, '')}>` };
}
