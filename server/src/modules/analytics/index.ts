/** Supervisor analytics without PHI: aggregate counts with small cells suppressed (R-UX-1, R-DATA-3). */
export { maskedId, roleDecisions, suppress, tenantAnalytics } from './analytics.ts';
