/**
 * What callers call about, per PHI scope. A scenario is the caller's reason (said in the opening,
 * after verification or both) and the exchange that follows. `a` lines are said by whoever handles
 * the call (a human agent or the AI agent), `c` lines by the caller. Templates use the markup of
 * script.ts; the slots are those of slots.ts plus `med` and `dose`.
 */
import type { PhiScope } from '@ward/contracts';

/** A third element `same` picks the alternative with the previous step's index, so a question and its answer match. */
export type Step = readonly ['a' | 'c', readonly string[]] | readonly ['a' | 'c', readonly string[], 'same'];
export interface Scenario {
  reason: readonly string[];
  steps: readonly Step[];
  /** Medications the `med`/`dose` slots pick from. */
  meds?: ReadonlyArray<readonly [string, string]>;
}

const PRIMARY_MEDS = [
  ['lisinopril', 'ten milligrams'], ['metformin', 'five hundred milligrams'], ['atorvastatin', 'twenty milligrams'],
  ['levothyroxine', 'fifty micrograms'], ['amlodipine', 'five milligrams'], ['omeprazole', 'twenty milligrams'],
  ['losartan', 'fifty milligrams'], ['gabapentin', 'three hundred milligrams'],
] as const;
const BH_MEDS = [
  ['sertraline', 'fifty milligrams'], ['escitalopram', 'ten milligrams'], ['bupropion', 'one fifty'],
  ['fluoxetine', 'twenty milligrams'], ['quetiapine', 'twenty five milligrams'], ['lithium', 'three hundred milligrams'],
] as const;
const SUD_MEDS = [
  ['methadone', 'sixty milligrams'], ['methadone', 'eighty five milligrams'], ['suboxone', 'eight milligrams'],
  ['buprenorphine', 'sixteen milligrams'], ['naltrexone', 'fifty milligrams'],
] as const;
const DENTAL_MEDS = [['amoxicillin', 'five hundred milligrams'], ['ibuprofen', 'six hundred milligrams'], ['chlorhexidine rinse', 'fifteen milliliters']] as const;

export const SCENARIOS: Readonly<Record<PhiScope, readonly Scenario[]>> = {
  'Healthcare-PHI': [
    {
      meds: PRIMARY_MEDS,
      reason: [
        '{uh} i need a refill on my {med}',
        '{uh} [yeah|] i\'m calling to [get|request] a refill [of|on|for] [my|the] {med}',
        'i\'m [almost|completely] out of my {med} [and|so] i [need|wanted] a refill',
        '{uh} my pharmacy said i [have no|don\'t have any] refills left on the {med}',
      ],
      steps: [
        ['a', ['{ok} i [see|have] the {med} {dose} [once a day|twice a day|one tablet every morning] is that [the one|right|correct]', '[let me pull that up|one sec] {ok} {med} {dose} [right|correct]']],
        ['c', ['[yeah|yes|mm hmm] that\'s [it|the one|right]', '{uh} yes {dose} [once a day|twice a day]']],
        ['a', ['{ok} you [have|had] [zero|no] refills [left|remaining] so i\'ll send a request to {doc} it [usually takes|can take] [about|up to] [forty eight hours|two business days|a day]', '{ok} i\'ll send that over to {doc} [for approval|to approve] [you should hear back|the pharmacy should have it] in [about|] [two days|three days|forty eight hours]']],
        ['c', ['can [they|you] do a ninety day supply [this time|instead of thirty]', '{uh} okay [and|] [can i get|could it be] [ninety days|a three month supply] [this time|]']],
        ['a', ['[sure|yeah] i\'ll [note|put] [ninety days|a ninety day supply] on the request', '[i can ask|i\'ll ask] {doc} [but|] [your plan|insurance] [only covers|may only cover] thirty days [at a time|]']],
        ['c', ['okay [how long|when] will it be ready [at the pharmacy|]', '{uh} [and|] [will they|do they] [text me|call me] when it\'s ready']],
        ['a', ['[usually|normally] [within|in] [two|three|four] hours [after|once] {doc} signs off', '[yes|yeah] [the pharmacy|they] [will|should] text you [when it\'s ready|once it\'s filled]'], 'same'],
      ],
    },
    {
      reason: [
        '{uh} i need to [schedule|make|book] an appointment [with {doc}|for a physical|for my annual checkup|for a follow up]',
        '[hi|] i wanted to [set up|get] an appointment [with {doc}|] [for|about] [my blood pressure|my knee|a cough that won\'t go away|my diabetes]',
        '{uh} i have to [reschedule|move] my appointment on {appt}',
      ],
      steps: [
        ['a', ['{ok} [let me see|let me check|looking at] {doc}\'s [schedule|calendar] [i have|there\'s] {appt} at {time} or {time2}', '{ok} the [first|next] [available|opening] [with {doc}|] is {appt} at {time} [would that work|does that work for you]']],
        ['c', ['{uh} [the|] {time} [works|is fine|is good]', '[do you have|is there] anything [earlier|in the morning|on a {weekday}]', 'yeah [that\'s fine|that works] [i guess|]']],
        ['a', ['{ok} you\'re [all set|booked|scheduled] [for|on] {appt} at {time} [please|just] [arrive|come in] {minutes} minutes early', '{ok} [i have|got] you [down|in] for {appt} [at {time}|in the morning] [bring your insurance card|please bring a list of your medications]']],
        ['c', ['[will|do] i get a reminder', 'okay [how long|about how long] is the [appointment|visit]', 'okay [thank you|thanks]']],
        ['a', ['[yes|yep] [you\'ll get|we send] a text [two days|a day|forty eight hours] before', '[about|usually] {minutes} minutes [or so|]', '[you\'re welcome|no problem] [see you then|see you on {appt}]'], 'same'],
      ],
    },
    {
      reason: [
        '{uh} i\'m calling about my [lab results|blood work|test results] from [last week|{pastVisit}|the other day]',
        '[yeah|] i [got a message|saw a notification] that my [results|labs] [are|were] [in|back]',
      ],
      steps: [
        ['a', ['{ok} {doc} [reviewed|looked at] [them|your results] your a one c [was|came back at] [seven point two|six point eight|eight point one] [which is|that\'s] [a little|] [up|down] from [last time|before]', '{ok} [your|the] cholesterol [was|came back] [two hundred and ten|one ninety|two forty] and {doc} [wants|would like] to [talk about|adjust] [your medication|the dose]']],
        ['c', ['[is that|is that bad|okay is that] [bad|good|something to worry about]', '{uh} okay so what do i [need to do|do now]']],
        ['a', ['{doc} [wants|would like] you to [come back|follow up] in [three months|six weeks|about a month] [and|to] [recheck|repeat the labs]', '[nothing urgent|it\'s not urgent] [but|] {doc} [would like|wants] [a follow up|to see you] in {dur}']],
        ['c', ['okay [can we|can you] [set that up|schedule that] [now|while i\'m on the phone]', 'okay [got it|sounds good]']],
      ],
    },
    {
      reason: [
        '{uh} i got a bill for {money} and [i thought|i was told] [my insurance|medicare] [covered|was covering] it',
        'i [have|had] a question about [a bill|my statement|a charge] [i got|from the visit on {pastVisit}]',
      ],
      steps: [
        ['a', ['{ok} i see a balance of {money} from [your visit on|the visit on|] {pastVisit}', '{ok} [it looks like|i see] the claim for {pastVisit} [was denied|is still pending|went to the wrong plan]']],
        ['c', ['[that should|insurance should] have [paid|covered] that', '{uh} [why|how come] [was it|did it get] denied', 'can you [check|look at] [my insurance|the member id]']],
        ['a', ['can you [read me|give me] the member id [on|from] your [card|insurance card]', '[do you have|can i get] your [insurance|member] id [so i can|and i\'ll] [check|resubmit]']],
        ['c', ['{uh} [yeah|sure] [it\'s|hold on] {member}', '{member}', '[let me get my card|one second] {uh} {member}']],
        ['a', ['{ok} [i have|that\'s] {member} [i\'ll|we\'ll] resubmit [it|the claim] [it takes|that can take] [about|up to] [thirty days|two weeks|forty five days]', '{ok} [that|it] [didn\'t match|wasn\'t on file] [i\'ve updated it|i fixed it] [and|] [resubmitted|sent it again] [you can ignore the bill for now|please don\'t pay it yet]']],
      ],
    },
    {
      reason: [
        '{uh} i need a referral to [a cardiologist|a dermatologist|physical therapy|an orthopedic surgeon]',
        '[my|the] [specialist|cardiology office] [said|told me] they [never got|don\'t have] [the|my] referral',
      ],
      steps: [
        ['a', ['{ok} [i see|there\'s] [a referral|one] [from|placed on] {pastVisit} [it|but it] [was faxed|went out] [on the same day|the next day]', '{ok} {doc} [needs to|has to] [sign|approve] [it|the referral] [first|] [i\'ll send a message|i\'ll flag it]']],
        ['c', ['can you send it again', '{uh} how long does that [take|usually take]']],
        ['a', ['[sure|yes] i\'ll [resend|send] it [today|right now] [allow|give it] [three to five business days|a few days]', '[usually|normally] {dur}'], 'same'],
      ],
    },
  ],
  'BehavioralHealth-PHI': [
    {
      reason: [
        '{uh} i need to [reschedule|move|cancel] my [session|appointment|therapy appointment] with {doc}',
        '[hi|] i can\'t make my [session|appointment] on {appt} [could|can] we [move it|find another time]',
      ],
      steps: [
        ['a', ['{ok} i see [your next session|you] [on|for] {appt} at {time} [with {doc}|]', '{ok} [you\'re|you are] [scheduled|down] for {appt} at {time}']],
        ['c', ['[can we|could we] do [the week after|the following week|a {weekday}] instead', '{uh} is there [anything|something] [later in the day|after work|on a {weekday}]']],
        ['a', ['{doc} has {appt} at {time2} [or|and] [a telehealth slot|a video visit] at {time}', '[the|] [next|closest] [opening|available] is {appt} at {time2}']],
        ['c', ['the [video|telehealth] one [please|would be better]', '{uh} {time2} [is fine|works]']],
        ['a', ['{ok} [you\'re|you are] [set|booked] [for|on] {appt} [at {time2}|] [you\'ll get a link|the link will come] by [text|email] [an hour|thirty minutes] before', '{ok} done [that\'s|it\'s] a [fifty minute|forty five minute] session [same as usual|like before]']],
      ],
    },
    {
      meds: BH_MEDS,
      reason: [
        '{uh} since i [started|went up on] the {med} i [can\'t sleep|feel dizzy|feel kind of off|have headaches]',
        'i [wanted to|need to] talk to someone about my {med} [dose|prescription]',
      ],
      steps: [
        ['a', ['{ok} how long have you been on [it|the {dose}|the new dose]', '{ok} i see {med} {dose} [how long|since when] have you [been taking it|had the side effects]']],
        ['c', ['[about|like] [two weeks|ten days|a month|three weeks]', '{uh} [since|about] {dur} [ago|]']],
        ['a', ['{ok} i\'ll send a message to {doc} and [the nurse|someone] will call you back [within|in] [twenty four hours|two hours|the day]', 'please don\'t stop [it|the {med}] [suddenly|on your own] {doc} [will|should] call you back [today|by tomorrow]']],
        ['c', ['okay [thank you|thanks]', 'okay [should i|do i] [keep taking|skip] it [tonight|until then]']],
        ['a', ['[and|also] if you [ever|] [have|start having] thoughts of hurting yourself you can call or text nine eight eight [any time|twenty four seven]', '[keep taking|take] [your usual dose|it as prescribed] [until|unless] {doc} [says otherwise|tells you]'], 'same'],
      ],
    },
    {
      reason: [
        '{uh} i [wanted to|want to] [start|set up|get into] [counseling|therapy|a group]',
        '[my|the] [doctor|er] [told|referred] me to call [you guys|here] [about|for] [anxiety|depression|counseling]',
      ],
      steps: [
        ['a', ['{ok} [we have|there\'s] a [group|support group] on {weekday}s at {time} and [individual|one on one] [intake|sessions] [after that|too]', '{ok} the first step is an intake [assessment|appointment] [it|that] takes about [an hour|ninety minutes]']],
        ['c', ['{uh} [how much|what] does it cost', '[is it|do you do it] [in person|over video]', 'okay [when|what] is the [earliest|next] one']],
        ['a', ['[your plan|your insurance] covers [it|therapy] [with|after] a {money} copay', '[we do both|either one] [in person or by video|] [whatever you prefer|]', '[we can do|i have] {appt} at {time} [in person|or by video]'], 'same'],
      ],
    },
  ],
  'SUD-Part2': [
    {
      meds: SUD_MEDS,
      reason: [
        '{uh} i [can\'t|won\'t be able to] make it [in|to dosing] [today|tomorrow] [my car broke down|i\'m sick|i have to work]',
        '{uh} i\'m in the {med} program and i [missed|might miss] my dose',
      ],
      steps: [
        ['a', ['{ok} [your|i see your] dose is {med} {dose} [daily|every day] [the window|dosing] [closes|ends] at [eleven|noon|two o\'clock]', '{ok} [you\'re|you are] on {dose} [of {med}|] [we|the clinic] [close|stops dosing] at [eleven thirty|one o\'clock]']],
        ['c', ['{uh} can i get take homes [for|this] [week|weekend|time]', '[is there|can] [anyone|someone] [pick it up|bring it] for me']],
        ['a', ['[you|you\'re] [not|aren\'t] eligible for take homes [yet|until] [ninety days|thirty days|you\'ve been in the program ninety days]', '[i\'ll|let me] [ask|check with] {doc} [about|for] a [one time|single] exception'], 'same'],
        ['c', ['okay [i\'ll try to make it|i\'ll come in] [before|by] [eleven|noon]', '{uh} okay [what time|when] [do you|does the clinic] open [on saturday|tomorrow]']],
        ['a', ['{ok} [see you|we\'ll see you] [soon|then] [the window|dosing] [closes|ends] at [eleven|noon]', '[we open|the window opens] at [six|six thirty|seven] [in the morning|a m] [and|] [if you miss|missing] [three|two] doses [in a row|] [we have to|we\'ll need to] [reassess|lower] the dose'], 'same'],
      ],
    },
    {
      reason: [
        '{uh} my [probation officer|employer|lawyer|case worker] needs [proof|a letter] that i\'m in treatment',
        '{uh} can you [send|give] my [records|attendance] to my [probation officer|lawyer|primary doctor]',
      ],
      steps: [
        ['a', ['{ok} under federal [law|rules] we [need|have to have] a signed consent [before we can|to] [release|share] anything [from the program|about your treatment]', '{ok} [because|since] [it\'s|this is] [substance use|addiction] treatment [we need|i need] your written consent [first|before anything goes out]']],
        ['c', ['okay [can you|could you] [email|send] [me|] the form', 'how [do i|long does it take to] [sign|fill out] [it|the form]']],
        ['a', ['[sure|yes] is {email} still [good|the best email]', '[i can|i\'ll] send it [to the email on file|by email] [is that|that\'s] {email} [right|correct]']],
        ['c', ['[yes|yeah] [that\'s it|that\'s right|that\'s good]', '{uh} [no|actually] [use|send it to] {email}']],
        ['a', ['{ok} [sent|it\'s on its way] [it only|the consent] [covers|lets us share] [attendance and dose|what you check] and [expires|is good] [in|for] [ninety days|one year|a year]', '{ok} [once|after] [it\'s signed|you sign it] [we|i] can [send|fax] the letter [within|in] [one business day|two business days|a day]']],
      ],
    },
    {
      reason: [
        '{uh} i [want to|need to] [get into|start] treatment',
        '[i was|i\'ve been] [using|drinking] again and i [need help|want to come back]',
      ],
      steps: [
        ['a', ['{ok} [thank you for calling|i\'m glad you called] intake is [monday through friday|weekdays] from [seven|eight] to [eleven|noon]', '{ok} we [can|could] [see you|get you in] [for intake|for an assessment] {appt} at {time}']],
        ['c', ['do i need [an appointment|to bring anything]', '{uh} [is it|will it be] confidential', 'how long does [intake|it] take']],
        ['a', ['[no appointment needed|walk ins are fine] [just|] bring [an id|your insurance card] [if you have one|]', 'yes [everything is|your records are] protected under federal law [forty two c f r part two|part two] [we don\'t share anything|nothing is shared] without your [written|] consent', '[plan on|expect] [about|] [two hours|three hours] [for intake|the first day]'], 'same'],
        ['c', ['okay [i\'ll|i will] [be there|come in]', 'okay [thank you|that helps]']],
        ['a', ['[and|also] [we can give you|you can pick up] a [free|] naloxone kit [at|during] [intake|the visit] [it has|with] two doses']],
      ],
    },
  ],
  Dental: [
    {
      reason: [
        '{uh} [i think|i\'m pretty sure] i\'m [due|overdue] for a cleaning',
        '[hi|] i [need|wanted] to [schedule|book] a [cleaning|checkup] [and x rays|]',
      ],
      steps: [
        ['a', ['{ok} [your last cleaning|the last one] was {pastVisit} [so|and] you\'re [due|good] [every six months|for one now]', '{ok} [i see|looks like] [you\'re|you are] [due|overdue] [we do cleanings every six months|it\'s been about seven months]']],
        ['c', ['[do you have|anything] [on a|available] {weekday} [morning|afternoon]', '{uh} [when|what] is the [next|first] [opening|available]']],
        ['a', ['[i have|there\'s] {appt} at {time} with [our hygienist|{doc}]', '{appt} at {time2} [or|and] [the|] {weekday} after at {time}']],
        ['c', ['[the first one|{time}] [works|is good]', '{uh} i\'ll take [that|it]']],
        ['a', ['{ok} [you\'re|you are] [booked|set] [we\'ll|we will] [also|] do [bitewing|four] x rays [this time|since it\'s been a year]']],
      ],
    },
    {
      meds: DENTAL_MEDS,
      reason: [
        '{uh} my [tooth|back tooth|molar|crown] [really hurts|is killing me|cracked]',
        '[i|i\'ve] [have|had] [a|this] toothache [for|since] [three days|a week|the weekend]',
      ],
      steps: [
        ['a', ['{ok} [i\'m sorry|sorry to hear that] on a scale of one to ten how [bad|much] [is the pain|does it hurt]', '{ok} [is it|any] swelling [and|or] [how bad is it|fever] [from one to ten|on a scale of one to ten]']],
        ['c', ['{uh} [it\'s|like] {scale}', '{scale} [when i chew|at night|maybe worse]']],
        ['a', ['[we have|i can give you] an emergency [slot|appointment] [today|this afternoon] at {time}', '{doc} can see you {appt} at {time} [first thing|]']],
        ['c', ['[okay|yes] [i\'ll take it|i\'ll be there]', '[can i|should i] take [something|ibuprofen] [before|until then]']],
        ['a', ['you can take {med} {dose} [every six hours|every eight hours|up to three times a day] [with food|] [until then|until your visit]']],
      ],
    },
    {
      reason: [
        '{uh} does my [insurance|plan] cover [a crown|crowns|a root canal|implants|a night guard]',
        'i [wanted to|need to] [check|know] [how much|what] [a crown|the root canal|my treatment plan] [will cost|is going to be]',
      ],
      steps: [
        ['a', ['[can i|could i] [get|have] [your|the] member id [on|from] the [dental|insurance] card', '{ok} [let me check|i\'ll look up] [your plan|the benefits] [can you read me|what\'s] the member id']],
        ['c', ['{uh} [yeah|sure] [it\'s|] {member}', '{member}']],
        ['a', ['{ok} [your plan|it] covers [crowns|major work|that] at {percent} percent after [the|a] [fifty dollar|one hundred dollar] deductible', '{ok} [you have|there\'s] [a|an annual] maximum of [one thousand five hundred|two thousand|one thousand] dollars and you\'ve used [about|] [three hundred|five hundred|none] [of it|so far]']],
        ['c', ['so [what would|how much would] i [pay|owe]', '{uh} okay [is there|do you have] a payment plan']],
        ['a', ['[your part|your portion] [would be|is] [about|around] {money}', '[yes|we do] [we can split it|you can pay] [into|over] [three|six|twelve] [months|monthly payments]'], 'same'],
      ],
    },
  ],
};

/** Calls the clinic places: a reminder, a results call-back, a missed appointment. */
export const OUTBOUND: readonly Scenario[] = [
  {
    reason: ['{ok} i\'m calling to [remind you|confirm] [about|] your appointment [on|for] {appt} at {time} [with {doc}|]', '{ok} [just|] a [quick|] reminder [that|] you have an appointment [with {doc}|] on {appt} [at {time}|in the morning]'],
    steps: [
      ['c', ['[oh|] [yes|yeah] [i\'ll be there|i remember|that\'s fine]', '{uh} [actually|oh] [can i|could i] move [it|that] to [the week after|a {weekday}|later in the day]']],
      ['a', ['{ok} [please|just] [come|arrive] {minutes} minutes early [and bring your insurance card|to fill out forms|]', '{ok} [i can do|i have] {appt} at {time2} [instead|] [would that work|does that work]'], 'same'],
      ['c', ['[okay|sure] [that works|sounds good]', '{uh} [okay|got it] [thanks|thank you] [for calling|for the reminder]']],
    ],
  },
  {
    reason: ['{ok} {doc} asked me to call [you|] about your [results|lab work|blood work] from {pastVisit}', '{ok} i\'m calling [with|about] [your|the] [test results|labs] [from|you had done on] {pastVisit}'],
    steps: [
      ['c', ['{uh} [okay|oh] is everything [okay|alright]', '[oh|] [okay|yeah] [i was wondering about those|i was waiting for that]']],
      ['a', ['[mostly|overall] [yes|it looks good] [your|the] [potassium|vitamin d|iron] was a [little|bit] [low|high] [so|and] {doc} [wants|would like] you to [take|start] [a supplement|one tablet a day] for [three months|eight weeks]', '{doc} [says|said] [everything|all of it] [looks|came back] [normal|fine] [no changes|nothing to change] [for now|until your next visit in six months]']],
      ['c', ['okay [should i|do i need to] [come in|do anything else]', '{uh} [okay|great] [thank you|thanks] [for letting me know|]']],
      ['a', ['[no|not] [for now|right now] [we\'ll|we will] [recheck|see you] in [three months|six months|a year]', '[just|] [keep|continue] [your|the] [current|usual] [medications|routine]']],
    ],
  },
  {
    reason: ['{ok} [we missed you|you missed your appointment] on {pastVisit} [and|so] i wanted to [reschedule|see if we can find another time]', '{ok} [it looks like|i see] you [weren\'t able to make|missed] [your|the] {time} appointment on {pastVisit}'],
    steps: [
      ['c', ['{uh} [oh|yeah] [sorry|i\'m sorry] [i forgot|something came up|i was sick]', '[oh|] [i thought|i was sure] it was [the week after|on {weekday}]']],
      ['a', ['[no problem|that\'s okay] [i have|the next opening is] {appt} at {time}', '[that\'s okay|no worries] [would|does] {appt} [at {time}|in the afternoon] work']],
      ['c', ['[yes|yeah] [that works|i can do that]', '{uh} [do you have|anything] [something|] [earlier|later] [in the day|]']],
      ['a', ['{ok} [you\'re|you are] [booked|rescheduled] [for|on] {appt} [at {time}|] [you\'ll get a text reminder|we\'ll text you] [the day before|two days before]']],
    ],
  },
];
