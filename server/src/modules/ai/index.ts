/** The AI gateway (R-AI-1, R-AI-2, R-AI-3, R-AI-7): templates, pseudonymisation, providers, fail closed. docs/ai.md. */
export {
  AI_INPUTS, AI_PURPOSES, DEFAULT_TEMPLATES_DIR, PATIENT_CALLS_MAX, TARGET_INPUTS, targetProblem, type AiTarget, INPUT_RESTRICTED, TemplateSchema, type InputRestricted, assembleInputs, holdsPhi, inputActions, loadTemplates,
  type AiInputName, type AiPurpose, type AiTemplate, type AssembledInput, type InputSources,
} from './templates.ts';
export { TaskPseudonyms, RedactionFailed, deidentify, reidentify, type PatientFields, type PseudonymOptions } from './pseudonyms.ts';
export { createLocalProvider, createOpenAiProvider, type ModelAnswer, type ModelRequest, type OpenAiVendorConfig, type Provider } from './providers.ts';
export { InputRestrictedRefused, executeTask, warmUp, withholdRestricted, manualGuidance, prepareTask, scanAnswer, vendorInput, type PreparedTask, type TaskResult, type Vendor } from './gateway.ts';
export { draftMapRef, getDraft, insertDraft, type Draft, type DraftFacts, type DraftStatus, type NewDraft } from './drafts.ts';
export { demoSources, emptyTally, normaliseForLeak, patientFieldsOf, survivingWords, tallyLeaks, templateLeaks, type LeakTally } from './leakage.ts';
export { RESTRICTED_CATEGORIES, classifyRestricted, type RestrictedCategory, type RestrictedFindings, type RestrictedHit } from './restricted.ts';
export {
  DEFAULT_VENDOR_TIMEOUT_MS, LOCAL, LOCAL_VENDOR, addApprovedDemoVendor, agentVendorBaaActive, approveVendorBaa, baaState, createVendorResolver, getVendor, listVendors, putVendor,
  useVendor, type BaaState, type NewVendor, type VendorRecord, type VendorResolver,
} from './vendors.ts';
export { loadCallInputs, loadPatientInputs, recentPatientCalls, type CallInputs } from './sources.ts';
export { NO_FINDINGS, isFlagged, scanOutput, type OutputFindings } from './output-scan.ts';
export {
  REVIEW_DECISIONS, applyReview, assertReviewed, editSize, loadReviewTarget, planReview, restrictedAsWritten, reviewMetrics,
  type ReviewDecision, type ReviewInput, type ReviewOutcome, type ReviewPlan, type ReviewTarget, type TemplateReviewMetrics,
} from './review.ts';
export { AGENT_NOTE_MAX_CHARS, AGENT_NOTE_TEMPLATE, draftFromAgent, type AgentDraftInput } from './agent-drafts.ts';
export {
  activeTemplates, checkTemplate, decideRetirement, decideTemplate, listTenantTemplates, proposeTemplate, requestRetirement, retirementJson, type TemplateRetirement, type TemplateState, type TenantTemplateVersion,
} from './tenant-templates.ts';
export { DATE_SHIFT_KEY, offsetFromDigest, parseDate, shiftDate, subjectDateOffset, unshiftDates } from './date-shift.ts';
export { PART2_INPUT, leavesWard, part2InputConsent, recordPart2Disclosure, withPart2Consent, type Part2InputConsent } from './part2.ts';
