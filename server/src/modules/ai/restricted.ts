import { RESTRICTED_CATEGORIES, type RestrictedCategory } from '@ward/contracts';
/**
 * The restricted-category classifier of AI outputs (R-AI-4): does a draft carry a diagnosis, a
 * treatment, behavioural-health content or substance-use-disorder content (42 CFR Part 2)? Such a
 * draft becomes a case note only with `caseNote.writeRestricted` and a step-up (docs/ai.md).
 *
 * A lexicon plus a few rules, deterministic and fast (no model: it runs on the model's own answer).
 * It leans towards flagging (no negation handling: "denies alcohol use" still speaks of alcohol use,
 * and under Part 2 that is the record). Measured on a labelled set with a lockbox split:
 * `npm run bench:restricted` (server/test/data/restricted/README.md says how it is labelled).
 */
export { RESTRICTED_CATEGORIES, type RestrictedCategory };

export interface RestrictedHit {
  category: RestrictedCategory;
  /** The rule that matched (a lexicon name), never the text. */
  rule: string;
  start: number;
  end: number;
}

interface Rule {
  name: string;
  categories: readonly RestrictedCategory[];
  pattern: RegExp;
}

/** Alternations of words, matched case-insensitively on word boundaries. */
const words = (...list: string[]): string => `\\b(?:${list.join('|')})\\b`;

// Substance use (42 CFR Part 2): the disorders, their treatment programs and medications, use itself.
const SUD_DRUGS = words('heroin', 'fentanyl', 'cocaine', 'crack', 'meth', 'methamphetamines?', 'opiates?', 'marijuana', 'cannabis');
const SUD_MEDS = words('medication[- ]assisted treatment', 'mat program', 'detox(?:ification)? (?:program|unit|center)', 'methadone', 'buprenorphine', 'suboxone', 'subutex', 'sublocade', 'naltrexone', 'vivitrol', 'naloxone', 'narcan');
const SUD_TERMS = words(
  'addiction', 'addicted', 'addictions?', 'detox(?:ification)?', 'rehab', 'sober', 'sobriety', 'relapsed?', 'relapsing', 'overdosed?', 'overdoses',
  'alcoholics anonymous', 'narcotics anonymous', '(?:aa|na) meetings?', 'alcoholism', 'alcoholic', 'substance (?:use|abuse)', 'drug (?:use|abuse|tests?|screens?|treatment)',
  'urine drug screens?', 'alcohol (?:use|abuse|withdrawal|treatment|dependence)', '(?:opioid|alcohol|cannabis|stimulant) use disorder',
  'recovery (?:center|clinic|program|group)', 'in recovery', 'drink(?:s|ing)? (?:heavily|every (?:day|night))',
  'quit(?:ting)? (?:opioids|drinking|heroin)', 'withdrawal',
);

// Behavioural health: conditions, their clinicians and medications, risk statements.
const BH_DISORDERS = words(
  'bipolar(?: (?:i|ii|disorder))*', 'schizophreni[ac]', 'schizoaffective', 'ptsd', 'post-traumatic stress', 'ocd', 'obsessive-compulsive(?: disorder)?',
  'adhd', 'eating disorder', 'anorexia', 'bulimia', '(?:generalized )?anxiety disorder', 'panic disorder', 'major depressive disorder',
  'postpartum depression', 'psychosis', 'psychotic',
);
const BH_TERMS = words(
  'depression', 'depressed', 'depressive', 'anxiety', 'panic attacks?', 'hopeless(?:ness)?', 'suicidal', 'suicide', 'self-harm(?:ing)?',
  'hurt(?:ing)? (?:himself|herself|themselves|myself)', 'end(?:ing)? (?:his|her|their|my) life', 'hearing voices', 'paranoid', 'paranoia',
  'mental health', 'behavioral health', 'behavioural health', 'psychiatr(?:ist|y|ic)', 'psycholog(?:ist|ical)', 'therapist', 'counselor', 'counseling',
  'counsellor', 'counselling', 'crisis line', 'tearful', 'grieving', 'trauma', 'intensive outpatient',
);
const BH_MEDS = words(
  'antidepressants?', 'antipsychotics?', 'sertraline', 'zoloft', 'fluoxetine', 'prozac', 'escitalopram', 'lexapro', 'citalopram', 'bupropion', 'wellbutrin',
  'buspirone', 'lithium', 'lamotrigine', 'risperidone', 'quetiapine', 'seroquel', 'aripiprazole', 'olanzapine', 'adderall', 'ritalin', 'methylphenidate', 'vyvanse',
);

// Diagnoses: the act of diagnosing and named conditions (non-behavioural).
const DX_ACTS = `${words('diagnosed', 'diagnosis', 'history of', 'tested positive for', 'was told (?:she|he|they) (?:has|is|had)')}`;
const DX_CONDITIONS = words(
  '(?:type [12] |gestational )?diabet(?:es|ic)', 'hypertension', 'high blood pressure', 'cancer', 'carcinoma', 'melanoma', 'leukemia', 'lymphoma', 'tumou?r',
  'copd', 'emphysema', 'asthma', 'strep(?: throat)?', 'influenza(?: [ab])?', 'pneumonia', 'bronchitis', 'hiv', 'aids', 'hepatitis(?: [abc])?', 'anemi[ac]', 'anaemi[ac]',
  '(?:underactive|overactive) thyroid', 'hypothyroidism', 'hyperthyroidism', 'thyroid nodules?', 'kidney disease', 'renal failure', 'heart failure', 'atrial fibrillation',
  'coronary artery disease', 'alzheimer\'?s(?: disease)?', 'dementia', 'parkinson\'?s(?: disease)?', 'multiple sclerosis', 'epilepsy', 'seizure disorder',
  '(?:rheumatoid |osteo)?arthritis', 'lupus', 'migraines?', 'celiac disease', 'crohn\'?s(?: disease)?', 'colitis', 'sleep apnea', 'fractured?', 'torn (?:meniscus|acl|ligament)',
  'urinary tract infection', 'uti', 'sepsis', 'stroke', '(?:peanut|penicillin|shellfish) allergy', 'allergic to', 'obesity', 'osteoporosis', 'gout', 'shingles',
  'covid(?:-19)?(?= positive)', 'sexually transmitted', 'std', 'chlamydia', 'gonorrh?ea', 'syphilis',
);

// Treatments: medications, doses, procedures, therapies and plans.
const TX_MEDS = words(
  'lisinopril', 'metformin', 'insulin', 'amoxicillin', 'azithromycin', 'antibiotics?', 'prednisone', 'levothyroxine', 'sumatriptan', 'albuterol', 'inhaler',
  'atorvastatin', 'simvastatin', 'statins?', 'gabapentin', 'methotrexate', 'warfarin', 'eliquis', 'apixaban', 'iron supplements?', 'levetiracetam', 'epipen',
  'nicotine (?:patch(?:es)?|gum)', 'chemotherapy', 'chemo', 'immunotherapy', 'radiation(?: therapy)?', 'dialysis', 'cpap', 'steroids?', 'opioid pain medication',
  'hydrocodone', 'oxycodone', 'ibuprofen', 'omeprazole', 'amlodipine', 'losartan', 'hydrochlorothiazide', 'allergy shots', 'vaccines?', 'injections?',
);
const TX_ACTS = words(
  'prescribed', 'started (?:him|her|them) on', 'started on', 'taper(?:ing)?', 'increase[ds]? (?:the |her |his )?(?:dose|[a-z]+ to)', 'dose', 'dosage',
  '\\d+(?:\\.\\d+)? ?(?:mg|mcg|milligrams?|units|ml)', '(?:once|twice|three times) (?:a day|daily|weekly|a week)',
  'surgery', 'surgical', '(?:hip|knee|joint) replacement', 'stent(?: placement)?', 'bypass', 'colonoscopy', 'endoscopy', 'a cast', 'stitches', 'sutures',
  'physical therapy', 'occupational therapy', 'speech therapy', 'cognitive behavio(?:u)?ral therapy', 'cbt', 'therapy sessions?', 'rehab(?:ilitation)? program',
  'outpatient program', 'residential (?:rehab|treatment|program)', 'treatment (?:plan|options|program)', 'meal plan', 'pulmonary rehab', 'cardiac rehab',
  'transfusion', 'infusion', 'long-acting injection',
);

const RULES: readonly Rule[] = [
  { name: 'sud-drug', categories: ['substance-use'], pattern: new RegExp(SUD_DRUGS, 'gi') },
  { name: 'sud-medication', categories: ['substance-use', 'treatment'], pattern: new RegExp(SUD_MEDS, 'gi') },
  { name: 'sud-term', categories: ['substance-use'], pattern: new RegExp(SUD_TERMS, 'gi') },
  { name: 'bh-disorder', categories: ['behavioral-health', 'diagnosis'], pattern: new RegExp(BH_DISORDERS, 'gi') },
  { name: 'bh-term', categories: ['behavioral-health'], pattern: new RegExp(BH_TERMS, 'gi') },
  { name: 'bh-medication', categories: ['behavioral-health', 'treatment'], pattern: new RegExp(BH_MEDS, 'gi') },
  { name: 'dx-act', categories: ['diagnosis'], pattern: new RegExp(DX_ACTS, 'gi') },
  { name: 'dx-condition', categories: ['diagnosis'], pattern: new RegExp(DX_CONDITIONS, 'gi') },
  { name: 'tx-medication', categories: ['treatment'], pattern: new RegExp(TX_MEDS, 'gi') },
  { name: 'tx-act', categories: ['treatment'], pattern: new RegExp(TX_ACTS, 'gi') },
  // A case note's "Plan:" section is a care plan.
  { name: 'tx-plan-section', categories: ['treatment'], pattern: /^\s*plan(?: discussed)?:/gim },
];

/**
 * Rules that drop a hit in context: a hit that is only about the program of another category
 * (a "substance abuse counselor" is substance-use, not behavioural health), and colloquial uses.
 */
function isExcused(rule: Rule, text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 24), start).toLowerCase();
  const after = text.slice(end, end + 24).toLowerCase();
  const match = text.slice(start, end).toLowerCase();
  // A counselor or group named by its substance-use program belongs to that category only.
  if (rule.name === 'bh-term' && /(?:substance (?:use|abuse)|addiction|drug|alcohol|recovery) $/.test(before)) return true;
  // "school counselor" and the like without any other cue: a role, not care.
  if (rule.name === 'bh-term' && /^counsel/.test(match) && /(?:school|financial|benefits|guidance) $/.test(before)) return true;
  // "diagnosis" of a bill or a device ("diagnosis code" on a claim form) is administrative.
  if (rule.name === 'dx-act' && match === 'diagnosis' && /^ code/.test(after)) return true;
  // A vaccine or injection appointment is treatment; a clinic's opening hours are not.
  if (rule.name === 'tx-medication' && /^vaccines?$|^injections?$/.test(match) && /^ (?:clinic|hours|site)/.test(after)) return true;
  // "withdrawal" of money or consent.
  if (rule.name === 'sud-term' && match === 'withdrawal' && /^ (?:of (?:consent|funds|the)|from)/.test(after)) return true;
  return false;
}

export interface RestrictedFindings {
  categories: RestrictedCategory[];
  hits: RestrictedHit[];
}

/** Classifies `text`; categories in the fixed order of RESTRICTED_CATEGORIES. */
export function classifyRestricted(text: string): RestrictedFindings {
  const hits: RestrictedHit[] = [];
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    for (const m of text.matchAll(rule.pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (isExcused(rule, text, start, end)) continue;
      for (const category of rule.categories) hits.push({ category, rule: rule.name, start, end });
    }
  }
  const found = new Set(hits.map((h) => h.category));
  return { categories: RESTRICTED_CATEGORIES.filter((c) => found.has(c)), hits: hits.sort((a, b) => a.start - b.start) };
}
