/**
 * Exports as disclosures (R-AUTHZ-3, R-AUDIT-1; 45 CFR 164.528, 42 CFR 2.31, 2.32; docs/disclosures.md):
 * the rows behind an export (encrypted, downloadable once by the session that asked), the accounting
 * of disclosures, and 42 CFR Part 2 consents. Call these inside the guard's transactions (db.scoped)
 * or, for the operator's commands, the system database; every function takes the tenant explicitly.
 */
export {
  PART2_REDISCLOSURE_NOTICE, PART2_REDISCLOSURE_NOTICE_HEADER, ACCOUNTING_YEARS, EXPORT_DOWNLOAD_SECONDS, exportContentRef, recipientRef, normaliseRecipient, RECIPIENT_PATTERN, isRecipientText,
  findPart2Consent, insertExport, insertDisclosure, claimExport, listDisclosures, loadExportResource, insertPart2Consent, revokePart2Consent,
  listPart2Consents, loadConsentPatient, type Part2Consent,
  type Disclosure, type ConsentMatch, type NewExport, type NewDisclosure, type NewPart2Consent,
} from './store.ts';
