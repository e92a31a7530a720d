/**
 * One call's transcript: an opening, identity verification in a varied order, the scenario of the
 * patient's scope, sometimes a contact update, and a closing; or, for unidentified callers, one of a
 * few shapes of call in which nobody is verified. At most 20 and at least 6 utterances.
 */
import type { PhiScope } from '@ward/contracts';
import type { Rng } from './prng.ts';
import type { DemoUtterance } from './types.ts';
import type { CallContext } from './slots.ts';
import { makeSlots } from './slots.ts';
import type { Slot } from './script.ts';
import { Script } from './script.ts';
import type { Scenario } from './scenarios.ts';
import { OUTBOUND, SCENARIOS } from './scenarios.ts';

export const MAX_UTTERANCES = 20;

export type Handler = 'agent' | 'ai_agent' | 'ai_then_agent';
export type CallShape =
  | { kind: 'identified'; direction: 'inbound' | 'outbound'; proxy: boolean }
  | { kind: 'unidentified'; variant: 'info' | 'not-found' | 'anonymous' | 'no-authorization' | 'wrong-number' };

export interface TranscriptOptions {
  ctx: CallContext;
  scope: PhiScope;
  shape: CallShape;
  handler: Handler;
}

type Verifier = 'dob' | 'phone' | 'zip' | 'address' | 'member' | 'mrn' | 'ssn4' | 'email';

const ASK: Readonly<Record<Verifier, readonly string[]>> = {
  dob: [
    '{ok} [can i|could i|may i] [get|have] [your|the patient\'s] date of birth [please|]',
    '{ok} [and|] what\'s [your|the] date of birth',
    '[and|okay and] [the|your] [birthday|date of birth] [please|on the account|]',
    '{ok} [for verification|to verify] [can you give me|i need] [your|the] date of birth',
  ],
  phone: [
    '{ok} [and|] [what\'s|can i get] the [best|] phone number [on the account|on file|to reach you]',
    '{ok} can you [confirm|verify] [the|your] phone number [for me|on file|]',
  ],
  zip: ['{ok} [and|] [what\'s|can you confirm] [your|the] zip code', '[and|] the zip [code|] [on file|at home|please]'],
  address: ['{ok} can you [verify|confirm] [your|the] [home|street|] address [for me|on file|]', '[and|] what\'s [your|the] [current|] address'],
  member: ['{ok} do you have [your|the] [member id|insurance card] [handy|with you|there]', '[can i|could i] [get|have] [the|your] member id [from your card|on the card|]'],
  mrn: ['{ok} do you [happen to|] have [your|the] [medical record number|m r n|chart number]', '[if you have it|] [what is|can i get] [your|the] [medical record number|m r n]'],
  ssn4: ['{ok} [can i get|and] the last four of [your|the] [social|social security number]', '[i\'ll also need|and] the last four [digits|] of [your|the] social'],
  email: ['{ok} [and|] [what\'s|can you confirm] the email [address|] [on file|we should use]', '[is|what\'s] [your|the] email [address|] [still the same|on the account]'],
};

const ANSWER: Readonly<Record<Verifier, readonly string[]>> = {
  dob: ['{dob}', '{uh} {dob}', '[it\'s|yeah it\'s|sure it\'s] {dob}', '{dob} [yeah|]', '{uh} [hold on|let me think] {dob}'],
  phone: ['{phone}', '{uh} [it\'s|yeah it\'s] {phone}', '[my cell is|cell] {phone}', '{phone} [that\'s my cell|that\'s the cell|]'],
  zip: ['{zip}', '{uh} [it\'s|] {zip}', '[yeah|] {zip}'],
  address: ['{street}', '{uh} {street} [in|] {city}', '[it\'s|] {fullAddress}', '{uh} [it\'s|] {street} {zip}'],
  member: ['{uh} [yeah|hold on] [it\'s|] {member}', '{member}', '[let me get|one sec let me get] [my|the] card {uh} [okay|] {member}', '[yeah|yes] [it starts with|it\'s] {member}'],
  mrn: ['{uh} [yeah|yes] [it\'s|i have it here] {mrn}', '{mrn}', '[it\'s on|from] my [paperwork|discharge paper] {uh} {mrn}'],
  ssn4: ['{ssn4}', '{uh} {ssn4}', '[it\'s|yeah] {ssn4}'],
  email: ['{email}', '[it\'s|yeah it\'s] {email}', '{uh} {email} [i think|]'],
};

const CONFIRM = [
  '{ok} [thank you|thanks] {polite} [i\'ve got your chart|i found you|i see your account here|you\'re verified|i have you here]',
  '{ok} [got it|perfect|great] [thank you|thanks] [i have|i see] [your|the] [chart|account|record] [open|here|now]',
  '[thank you|thanks] {polite} [let me pull that up|one moment|give me one second]',
  '{ok} [i found|found] [you|your record] {polite}',
];

function openingAgent(s: Script, who: 'agent' | 'ai_agent', slots: Record<string, Slot>): void {
  if (who === 'ai_agent') {
    s.say('ai_agent', [
      '[hi|hello] [you\'ve reached|thank you for calling|thanks for calling] {org} i\'m [the virtual|an automated|a digital|the automated] assistant [this call may be recorded|calls may be recorded for quality] [how can i help you today|what are you calling about today|please tell me briefly what you\'re calling about]',
      '[hi|hello] this is the {org} [virtual|automated] assistant [for pharmacy press one for appointments press two|for billing press {press}|you can also press zero for the operator] [or just tell me what you need|how can i help]',
    ], slots);
    return;
  }
  s.say('agent', [
    '[thank you for calling|thanks for calling|you\'ve reached|good morning|good afternoon] {org} [this is|my name is|you\'re speaking with] {agent} [how can i help you|how may i help you today|what can i do for you|how can i help]',
    '{org} [this is|] {agent} [speaking|] [how can i help|how may i help you]',
    '[hi|hello] [thanks for calling|thank you for calling] {org} [this is|] {agent} [speaking|] [how can i help you today|what can i do for you]',
  ], slots);
}

function closing(s: Script, who: 'agent' | 'ai_agent', r: Rng, slots: Record<string, Slot>, room: number): void {
  s.say(who, ['{ok} is there anything else i can help you with [today|]', '[anything|is there anything] else [today|i can do for you|]', '{ok} [can i help with|do you need help with] anything else'], slots);
  s.say('caller', ['[no|nope] that\'s [it|all] [thanks|thank you|thank you so much|]', '{uh} no [i think that\'s it|that\'s everything] [thanks|]', '[no|nah] [you\'ve been|you were] [really|very|super] helpful [thank you|thanks]'], slots);
  if (room >= 3 && r.chance(0.8)) {
    s.say(who, ['[you\'re welcome|alright|my pleasure] [have a [good|great|nice] [day|afternoon|one|evening]|take care] [bye|bye bye|]', '[thanks for calling|thank you for calling] {org} [have a good day|take care]'], slots);
  }
}

const CONFIRM_PROXY = [
  '{ok} [thank you|thanks] i [have|found] {possessive} [chart|record|account] [here|open|]',
  '{ok} [got it|perfect] [i see|i have] {first}\'s [chart|record] [now|here|]',
];

function verify(s: Script, who: 'agent' | 'ai_agent', r: Rng, slots: Record<string, Slot>, opts: { nameKnown: boolean; extra: number; isProxy?: boolean }): void {
  if (!opts.nameKnown) {
    s.say(who, ['{ok} [can i|could i|may i] [get|have] your [full name|first and last name|name] [please|]', '[who am i speaking with|who do i have on the line] [today|]', '{ok} [sure|i can help with that] [can i get|what\'s] [your|the patient\'s] [first and last name|name]'], slots);
    if (r.chance(0.3)) {
      s.say('caller', ['{uh} [it\'s|this is|my name is|] {name} [last name|that\'s] {spell}', '{first} {last} {spell}', '{name} [spelled|that\'s] {spell}'], slots);
    } else {
      s.say('caller', ['{uh} [it\'s|this is|my name is|yeah it\'s|] {name}', '{name}', '{first} {last}', '[yeah|] {uh} {name}'], slots);
      if (r.chance(0.18)) {
        s.say(who, ['[and|] how do you spell [the|your] last name', '[can you|could you] spell [that|the last name] [for me|]'], slots);
        s.say('caller', ['{spell}', '{uh} {spell}', '[it\'s|sure] {spell}'], slots);
      }
    }
  }
  const verifiers = r.shuffle<Verifier>(['phone', 'zip', 'address', 'member', 'mrn', 'ssn4', 'email']).slice(0, opts.extra);
  const order: Verifier[] = r.chance(0.8) ? ['dob', ...verifiers] : [...verifiers, 'dob'];
  for (const v of order) {
    // Asked of someone calling for the patient, "your" is the patient's.
    s.say(who, opts.isProxy ? ASK[v].map((t) => t.replace(/\byour\b/g, '{possessive}')) : ASK[v], slots);
    if (v === 'mrn' && r.chance(0.2)) {
      s.say('caller', ['{uh} [no|i don\'t] [i don\'t have that|have it with me|know it]', '[no|] [sorry|] i don\'t have [it|that] [handy|with me]'], slots);
      continue;
    }
    s.say('caller', ANSWER[v], slots);
  }
  s.say(who, opts.isProxy ? CONFIRM_PROXY : CONFIRM, slots);
}

const BACKCHANNEL = ['okay', 'mm hmm', 'okay great', 'yeah', 'alright', 'uh huh', 'okay thanks', 'right', 'okay yeah'];

function runScenario(s: Script, who: 'agent' | 'ai_agent', scenario: Scenario, slots: Record<string, Slot>, maxLines: number, r: Rng): void {
  let lines = 0;
  let lastIndex = 0;
  scenario.steps.forEach((step, i) => {
    const [speaker, templates] = step;
    if (lines >= maxLines) return;
    const nextIsSame = scenario.steps[i + 1]?.[2] === 'same';
    // Now and then the caller skips a step (the agent goes straight on), unless an answer depends on it.
    if (speaker === 'c' && lines > 0 && !nextIsSame && step[2] !== 'same' && r.chance(0.12)) return;
    if (speaker === 'a' && s.lastSpeaker === who && lines + 1 < maxLines && r.chance(0.75)) {
      s.say('caller', BACKCHANNEL, slots);
      lines++;
    }
    lastIndex = step[2] === 'same' ? lastIndex % templates.length : r.int(0, templates.length - 1);
    s.say(speaker === 'a' ? who : 'caller', templates[lastIndex] as string, slots);
    lines++;
  });
}

function contactUpdate(s: Script, who: 'agent' | 'ai_agent', r: Rng, slots: Record<string, Slot>): void {
  const kind = r.pick(['phone', 'address', 'email'] as const);
  if (kind === 'phone') {
    s.say('caller', ['[oh|also|and] i [have|got] a new [phone number|cell|cell phone number]', '{uh} [can you|could you] update my [phone|number] [too|while you\'re in there|]'], slots);
    s.say(who, ['[sure|of course] what\'s the new number', '{ok} go ahead [with the number|]'], slots);
    s.say('caller', ['{newPhone}', '{uh} [it\'s|] {newPhone}'], slots);
  } else if (kind === 'address') {
    s.say('caller', ['[oh|also] i moved [recently|last month|] [can you update my address|]', '{uh} my address [changed|is different now]'], slots);
    s.say(who, ['[sure|okay] what\'s the new address', '{ok} [go ahead|i\'m ready] [with the address|]'], slots);
    s.say('caller', ['{fullAddress}', '{uh} [it\'s|] {street} {city} {zip}'], slots);
  } else {
    s.say(who, ['[do you want|would you like] [reminders|the summary] by email [too|as well|]', '[and|] [is|what\'s] a good email [for you|for the portal]'], slots);
    s.say('caller', ['{uh} [sure|yeah] {email}', '[yes|yeah] [it\'s|] {email}', '{email}'], slots);
  }
}

/** Builds the utterances of one call; returns them and the recording's length. */
export function buildTranscript(r: Rng, opts: TranscriptOptions): { utterances: DemoUtterance[]; durationMs: number } {
  const { ctx, scope, shape, handler } = opts;
  const slots = makeSlots(r, ctx);
  const scenario = r.pick(SCENARIOS[scope]);
  if (scenario.meds) {
    const [med, dose] = r.pick(scenario.meds);
    slots.med = () => med;
    slots.dose = () => dose;
  } else {
    slots.med = () => 'medication';
    slots.dose = () => 'the usual dose';
  }
  const s = new Script(r);
  const first: 'agent' | 'ai_agent' = handler === 'agent' ? 'agent' : 'ai_agent';

  if (shape.kind === 'unidentified') {
    unidentified(s, first, r, slots, shape.variant);
  } else if (shape.direction === 'outbound') {
    const who: 'agent' | 'ai_agent' = handler === 'ai_agent' ? 'ai_agent' : 'agent';
    s.say(who, [
      '[hi|hello|good morning|good afternoon] this is {agent} [calling|] from {org} [may i|can i|could i] [speak with|talk to] {name}',
      '[hi|hello] [i\'m|i am] calling from {org} [for|looking for] {name} [please|]',
      '[hi|hello] [is this|am i speaking with] {name}',
    ], slots);
    s.say('caller', ['[this is she|this is he|speaking|yeah that\'s me|yes]', '{uh} [yeah|yes] [this is|] {first}', '[yes|yeah] [who\'s|who is] [calling|this]'], slots);
    verify(s, who, r, slots, { nameKnown: true, extra: r.int(0, 1) });
    const purpose = r.pick(OUTBOUND);
    s.say(who, purpose.reason, slots);
    runScenario(s, who, purpose, slots, MAX_UTTERANCES - 3 - s.count, r);
    closing(s, who, r, slots, MAX_UTTERANCES - s.count);
  } else {
    openingAgent(s, first, slots);
    let nameKnown = false;
    if (shape.proxy) {
      s.say('caller', [
        '{uh} hi i\'m calling for my {relation} {name} [{pronoun}\'s|{pronoun} is] {age} [and|so] [i help with|i handle] [{possessive} appointments|{possessive} medications|everything]',
        '[hi|] [yeah|] this is {callerName} i\'m calling [about|on behalf of] my {relation} {name}',
      ], slots);
      s.say(first, ['{ok} [and|] [are you|is your name] [listed|on file] [as|on {possessive}] [an authorized contact|a release|the hipaa form]', '{ok} [can i get|what\'s] your name [and|] [are you|is it] on {possessive} [release form|authorization]'], slots);
      s.say('caller', ['[yes|yeah] [it\'s|] {callerName} [i should be on there|i signed it last year|]', '{callerFirst} {uh} [yes i\'m on it|i should be listed]'], slots);
      nameKnown = true;
    } else if (r.chance(0.35)) {
      s.say('caller', ['{uh} hi [yeah|] this is {name} [and|] {reason}', '[hi|hey] my name is {name} {reason}', '{uh} hi it\'s {first} {last} {reason}'].map((t) => t.replace('{reason}', r.pick(scenario.reason))), slots);
      nameKnown = true;
    } else {
      s.say('caller', scenario.reason, slots);
    }
    if (shape.proxy === false && r.chance(0.12)) {
      s.say('caller', ['[i\'m|i am] {age} [so|and] [i|] [don\'t|can\'t] [hear|drive] [that well|much anymore]', '[just so you know|fyi] i\'m {age} [years old|]'], slots);
    }
    const extra = r.weighted<number>([[0, 3], [1, 5], [2, 2]]);
    const handOff = handler === 'ai_then_agent';
    verify(s, first, r, slots, { nameKnown, extra, isProxy: shape.proxy });
    let who: 'agent' | 'ai_agent' = first;
    if (handOff) {
      if (r.chance(0.6)) s.say('caller', ['okay', '[okay|] thanks', 'mm hmm'], slots);
      s.say('ai_agent', ['[okay|alright|thanks] [i\'m|i am] [transferring|connecting] you to [a care coordinator|someone who can help|an agent] [one moment|please hold]', 'i\'ll [connect|transfer] you [now|to a person] [the wait is about|it should be about] {minutes} minutes'], slots);
      s.say('agent', ['[hi|hello] [this is|] {agent} [i have your details here|the assistant verified you] [how can i help|go ahead|what\'s going on]', '[hi|hello] {polite} this is {agent} [thanks for holding|sorry for the wait] [what can i do for you|how can i help]'], slots);
      who = 'agent';
      s.say('caller', scenario.reason, slots);
    } else if (shape.proxy) {
      s.say('caller', ['{uh} [so|yeah] [i\'m calling about|it\'s about] {possessive} [appointment|prescription|bill|results|treatment]', '{uh} [so|] {pronoun} [asked me to call|wanted me to call] [about|because of] [a few things|something]'], slots);
    }
    const contact = r.chance(0.25);
    const reserved = 2 + (contact ? 3 : 0) + 1;
    runScenario(s, who, scenario, slots, Math.max(2, MAX_UTTERANCES - s.count - reserved), r);
    if (contact && MAX_UTTERANCES - s.count >= 5) contactUpdate(s, who, r, slots);
    const closingAt = s.count;
    closing(s, who, r, slots, Math.max(2, MAX_UTTERANCES - s.count));
    // A long verification leaves little room: drop the last lines of the middle, keep the closing.
    for (let at = closingAt - 1; s.count > MAX_UTTERANCES; at--) s.utterances.splice(at, 1);
    s.utterances.forEach((u, i) => {
      u.seq = i + 1;
    });
  }
  while (s.count < 6) s.say('caller', ['okay [thank you|thanks] bye', 'alright bye'], slots);
  return { utterances: s.utterances, durationMs: s.endMs + r.int(600, 3000) };
}

function unidentified(s: Script, who: 'agent' | 'ai_agent', r: Rng, slots: Record<string, Slot>, variant: 'info' | 'not-found' | 'anonymous' | 'no-authorization' | 'wrong-number'): void {
  openingAgent(s, who, slots);
  switch (variant) {
    case 'info':
      s.say('caller', ['{uh} [hi|] [yeah|] [what are|what\'re] your hours [on {weekday}|this week|]', '[hi|] i just [had|have] a quick question [are you|is the clinic] open on saturdays', '{uh} [do you|do you guys] take [medicaid|medicare|blue cross|aetna]'], slots);
      s.say(who, ['[we\'re|we are] open [eight to five|seven thirty to six|eight to four thirty] monday through friday', '[yes|yep] [we do|we accept it] [for most services|for new patients too]'], slots);
      s.say('caller', ['[and|what about] [saturdays|weekends]', '{uh} [are you|is the clinic] [taking|accepting] new patients', 'okay [how long|what] is the wait [for a new patient|to get in]'], slots);
      s.say(who, ['[just|only] [the walk in clinic|urgent care] [from|] [nine to one|nine to noon] [on saturdays|]', '[yes|right now] [the wait is about|it\'s about] [two weeks|three weeks|a month] [for new patients|]', '[you can|just] press {press} [when you call back|from the main menu] [for new patient registration|to register]'], slots);
      if (r.chance(0.5)) {
        s.say('caller', ['okay [and|] [i\'m|this is] {first} [by the way|] [should i|can i] [just|] [come in|call back]', 'great [thanks|thank you] [i\'ll call back|i\'ll come by] [on {weekday}|next week]'], slots);
      }
      s.say(who, ['[sure|of course] [anything else|is there anything else]', '[sounds good|okay] [we\'ll see you|talk to you] [then|soon]'], slots);
      s.say('caller', ['[no|nope] [that\'s it|that\'s all] [thanks|bye]', '[okay|alright] [thank you|thanks] bye'], slots);
      return;
    case 'not-found':
      s.say('caller', ['{uh} [hi|] i\'m calling [about|to check on] [my appointment|a bill|my prescription]', '{uh} [yeah|] i need [to check|help with] [my account|my chart|my portal login]'], slots);
      s.say(who, ['{ok} [can i get|what\'s] your [full name|name] and date of birth', '{ok} [sure|] [can i have|i\'ll need] your name and [birthday|date of birth] [please|]'], slots);
      s.say('caller', ['{name} {dob}', '{uh} {name} [and|born] {dob}', '[it\'s|] {first} {last} [spelled|] {spell} {uh} {dob}'], slots);
      s.say(who, ['{ok} i\'m not [finding|seeing] [anyone|a record|anything] [under that name|with that date of birth]', '[hmm|hm] [nothing|no record] [comes up|is coming up] [for that|under that]'], slots);
      s.say('caller', ['[maybe|oh] [it\'s|try] [under|with] my [maiden|old] name {maiden}', '{uh} [try|it might be under] {phone}', '[maybe|it could be] [under|on] my [husband\'s|wife\'s|mom\'s] [plan|account]'], slots);
      s.say(who, ['[still|i\'m still] not [seeing it|finding it] [do you have|can you read me] [your|the] member id', '[no|] [sorry|] [still nothing|not there either]'], slots);
      if (r.chance(0.6)) s.say('caller', ['{uh} [yeah|] {member}', '[i don\'t have|not with me] [my card|it]'], slots);
      s.say(who, ['[i\'m sorry|sorry] [i can\'t|i\'m not able to] [verify|find] [you|the account] [could you|please] call back with your [insurance card|card] [or|and] [a photo id|your paperwork]', '{ok} [i\'ll|let me] transfer you to registration [they can|they\'ll] [look it up|set you up] [one moment|please hold]'], slots);
      s.say('caller', ['[okay|alright] [thanks|thank you]', 'okay [i\'ll call back|will do]'], slots);
      return;
    case 'anonymous':
      s.say('caller', ['{uh} i [don\'t|do not] [want to|wanna] give my name [i just|i only] [want to|need to] know [how it works|if it\'s confidential|how intake works]', '[hi|] {uh} [can i|is it okay if i] [ask|just ask] [some questions|a question] [without giving my name|anonymously]'], slots);
      s.say(who, ['[that\'s|that is] [fine|okay|completely fine] [what would you like to know|go ahead]', '[of course|sure] [you don\'t have to|no need to] give [your name|any information]'], slots);
      s.say('caller', ['{uh} [is it|will it be] [confidential|private] [like|] will my [job|family|employer] find out', '[how long|what] [is|does] [the program|treatment] [take|involve]'], slots);
      s.say(who, ['[yes|it is] [treatment records|your records] are protected [under federal law|by forty two c f r part two] [we can\'t|we don\'t] [share|release] anything without your [written|signed] consent', '[most people|usually] [come|come in] [every day|daily] [at first|for the first] [thirty|ninety] days [and then|then] [less often|take homes are possible]'], slots);
      s.say('caller', ['okay [and|] [do i|do you] need [insurance|an appointment]', '{uh} okay [that helps|thanks]'], slots);
      s.say(who, ['[no|you don\'t] [walk ins|you can walk in] [monday through friday|weekdays] [from|] [seven to eleven|six thirty to ten] [and|] [we have|there\'s] [a sliding scale|state funding] [if you don\'t have insurance|]', '[call us|you can call] [any time|back] [when you\'re ready|] [or|and] [press {press}|ask for intake]'], slots);
      s.say('caller', ['[okay|alright] [thank you|thanks] [bye|]', '[thanks|thank you] [i\'ll think about it|i might come in {weekday}]'], slots);
      return;
    case 'no-authorization':
      s.say('caller', ['{uh} [hi|] i\'m calling about my {relation} {name} [{pronoun}\'s|{pronoun} is] {age} [and|] [{pronoun} was|{pronoun} has been] [seen|in] there [last week|on {pastVisit}]', '[hi|] this is {callerName} [i\'m calling about|calling for] my {relation} {first} [{pronoun} was born|born|birthday is] {dob}'], slots);
      s.say(who, ['{ok} [are you|is your name] [listed|on file] [as an authorized contact|on {possessive} release]', '{ok} [before i|i can\'t] [can|] share anything [i need|without] [{possessive}|a signed] [authorization|release]'], slots);
      s.say('caller', ['{uh} [no|i don\'t think so] [but|] i\'m [{possessive}|the] {relation}', '[i don\'t know|not sure] [can\'t you|could you] [just tell me|at least tell me] [if {pronoun}\'s okay|when {possessive} appointment is]'], slots);
      s.say(who, ['[i\'m sorry|i understand] [but|] [without|unless there\'s] a [release|signed authorization] [on file|] i [can\'t|can not] [share|confirm] [any|] [information|anything]', '[i\'m sorry|sorry] [the best thing|what you can do] is [have|ask] [{pronoun}|{possessive} doctor] [to|] [call us|sign a release form]'], slots);
      s.say('caller', ['[okay|fine] [i\'ll|i will] [have {pronoun} call|tell {pronoun}]', '{uh} [okay|alright] [thanks|bye]'], slots);
      s.say(who, ['[thank you for understanding|thanks for calling] [have a good day|take care]'], slots);
      return;
    case 'wrong-number':
      s.say('caller', ['{uh} [hi|] is this {name}\'s [phone|number|cell]', '[yeah|hi] i\'m [looking for|trying to reach] {first} [is {pronoun} there|]', '{uh} [hello|hi] [i got a call from|somebody called] this number [about|from] {phone}'], slots);
      s.say(who, ['[no|i\'m sorry] [this is|you\'ve reached] {org}', '{ok} [you\'ve reached|this is] {org} [who are you trying to reach|how can i help]'], slots);
      s.say('caller', ['[oh|oh sorry] [wrong number|i must have the wrong number]', '{uh} [oh|] [did you guys|did someone] [call me|call] [earlier|this morning]'], slots);
      s.say(who, ['[no problem|that\'s okay] [you can|feel free to] [call back|check] [any time|the number]', '[i can\'t|i can not] [look that up|tell] [without verifying|without your details] [can i|could i] [get|have] your name', '[no worries|no problem] [have a good day|take care]'], slots);
      s.say('caller', ['[okay|alright] [thanks|sorry] [bye|]', '{uh} [never mind|no that\'s okay] [bye|thanks]'], slots);
      s.say(who, ['[bye|take care|have a good one]', 'bye [now|]'], slots);
      return;
  }
}
