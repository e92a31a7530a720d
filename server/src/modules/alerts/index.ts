/** Outbound alerts (R-MON-1, R-WORK-4): the `alerts` outbox, its leased delivery job, Ward's alert signing key. docs/integrations.md. */
export { ALERT_SEVERITIES, enqueueAlert, listAlerts, type AlertInput, type AlertSeverity, type AlertState, type AlertStatus } from './outbox.ts';
export { ALERT_LEASE, createAlertDelivery, type AlertDelivery, type AlertDeliveryOptions } from './job-delivery.ts';
export { alertSigningKeyLoader, loadAlertSigningKey, type AlertSigningKey } from './signing-key.ts';
export { AUDIT_PUBLICATION_ALERTS, auditPublicationAlerter, raiseAuditPublicationAlerts, type AuditPublicationState } from './job-audit-publication.ts';
