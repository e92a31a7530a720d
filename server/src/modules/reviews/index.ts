/** R-GOV-1: quarterly access reviews: campaigns, the reviewer's attestations, revocations, evidence. */
export {
  DEFAULT_REVIEW_DAYS, campaignEvidence, decideItem, evidenceCsv, expireDueCampaigns, itemsForReviewer, listCampaigns, quarterOf, reviewSettings, setManager, startCampaign, startCampaignIn,
  type CampaignProgress,
  type BreakGlassUses, type EvidenceRow, type ExpiredCampaign, type ItemDecision, type ReviewItem, type StartedCampaign,
} from './campaigns.ts';
export { isQuarterly, quarterStart, REVIEW_LEASE, runReviewSchedule, startReviewJob, type ReviewScheduleRun } from './job.ts';
