import { Type, type Static } from '@sinclair/typebox';

/**
 * Replies of the AI gateway's routes the dashboard reads (R-AI-4, R-AI-5, R-UX-1): the server
 * validates its replies with these schemas and web/ takes its types from them. A draft's body is
 * pseudonymised (surrogates such as `[PATIENT_1]`) unless its view says `reidentified`.
 */
const closed = { additionalProperties: false } as const;
const Id = Type.String({ format: 'uuid' });

/** R-AI-4: the restricted categories the output scan marks on a draft. */
export const RESTRICTED_CATEGORIES = ['diagnosis', 'treatment', 'behavioral-health', 'substance-use'] as const;
export type RestrictedCategory = (typeof RESTRICTED_CATEGORIES)[number];

/** R-AI-5: what a person may do with a draft. */
export const REVIEW_DECISIONS = ['confirm', 'edit', 'reject'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const AiDraft = Type.Object(
  {
    id: Id, taskId: Id, callId: Id, template: Type.String(), templateVersion: Type.Integer(), vendor: Type.String(), model: Type.String(),
    state: Type.Union([Type.Literal('ready'), Type.Literal('fallback')]), view: Type.Union([Type.Literal('pseudonymised'), Type.Literal('reidentified')]),
    // R-AI-5: `pending` until a person reviews it; R-AI-4: the restricted categories its scan found.
    status: Type.Union([Type.Literal('pending'), Type.Literal('confirmed'), Type.Literal('edited'), Type.Literal('rejected')]),
    restrictedCategories: Type.Array(Type.String()),
    body: Type.String(), createdAt: Type.String(),
  },
  closed,
);
export type AiDraft = Static<typeof AiDraft>;

/** POST /v1/ai/tasks: the task and its draft. */
export const AiTaskCreated = Type.Object(
  {
    id: Id, state: Type.Union([Type.Literal('ready'), Type.Literal('fallback')]), template: Type.String(), templateVersion: Type.Integer(), vendor: Type.String(),
    // A patient target's draft is filed on the newest call it read (draft.callId); `calls` counts them.
    target: Type.Object({ type: Type.Union([Type.Literal('call'), Type.Literal('patient')]), id: Id, calls: Type.Integer() }, closed),
    draft: AiDraft,
  },
  closed,
);
export type AiTaskCreated = Static<typeof AiTaskCreated>;

/** POST /v1/ai/drafts/:id/review: the draft's new status, the case note it became, the edit's size (never its text). */
export const AiReviewResult = Type.Object(
  {
    draftId: Id,
    status: Type.Union([Type.Literal('confirmed'), Type.Literal('edited'), Type.Literal('rejected')]),
    caseNoteId: Type.Union([Id, Type.Null()]),
    restrictedCategories: Type.Array(Type.Union(RESTRICTED_CATEGORIES.map((c) => Type.Literal(c)))),
    editChars: Type.Union([Type.Integer(), Type.Null()]),
    editRatio: Type.Union([Type.Number(), Type.Null()]),
  },
  closed,
);
export type AiReviewResult = Static<typeof AiReviewResult>;
