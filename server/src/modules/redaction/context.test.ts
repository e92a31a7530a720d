import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectationOf, nearestCue } from './context.ts';

/** One form of every alternative of context.ts CUES, with its label. */
const FORMS: Array<[string, string]> = [
  ['fax', 'FAX'], ['faxed', 'FAX'], ['phone', 'PHONE'], ['cell', 'PHONE'], ['mobile', 'PHONE'], ['telephone', 'PHONE'], ['tel', 'PHONE'],
  ['called me back at', 'PHONE'], ['call on', 'PHONE'], ['callback', 'PHONE'], ['number to reach', 'PHONE'], ['reach her at', 'PHONE'],
  ['contact number', 'PHONE'], ['text me at', 'PHONE'], ['pager', 'PHONE'], ['paged', 'PHONE'], ['beeper', 'PHONE'], ['pgr', 'PHONE'],
  ['bpr', 'PHONE'], ['beeped', 'PHONE'], ['area code', 'PHONE'], ['p#', 'PHONE'], ['p #', 'PHONE'], ['ssn', 'SSN'], ['social security', 'SSN'],
  ['ss#', 'SSN'], ['mrn', 'MRN'], ['medical record', 'MRN'], ['chart', 'MRN'], ['record number', 'MRN'], ['patient id', 'MRN'], ['m r n', 'MRN'],
  ['member id', 'HEALTH_PLAN'], ['member number', 'HEALTH_PLAN'], ['member #', 'HEALTH_PLAN'], ['insurance', 'HEALTH_PLAN'], ['insured', 'HEALTH_PLAN'], ['policy', 'HEALTH_PLAN'], ['medicare', 'HEALTH_PLAN'],
  ['medicaid', 'HEALTH_PLAN'], ['mbi', 'HEALTH_PLAN'], ['subscriber', 'HEALTH_PLAN'], ['health plan', 'HEALTH_PLAN'], ['beneficiary', 'HEALTH_PLAN'],
  ['group number', 'HEALTH_PLAN'], ['plan id', 'HEALTH_PLAN'], ['payer', 'HEALTH_PLAN'], ['account', 'ACCOUNT'], ['acct', 'ACCOUNT'], ['a/c', 'ACCOUNT'],
  ['card', 'ACCOUNT'], ['iban', 'ACCOUNT'], ['routing', 'ACCOUNT'], ['visa', 'ACCOUNT'], ['mastercard', 'ACCOUNT'], ['amex', 'ACCOUNT'],
  ['billing number', 'ACCOUNT'], ['licence', 'LICENSE'], ['license', 'LICENSE'], ['certificate', 'LICENSE'], ['dl', 'LICENSE'], ["driver's", 'LICENSE'],
  ['drivers', 'LICENSE'], ['permit', 'LICENSE'], ['passport', 'LICENSE'], ['plate', 'VEHICLE'], ['vin', 'VEHICLE'], ['vehicle', 'VEHICLE'],
  ['tag number', 'VEHICLE'], ['serial', 'DEVICE'], ['device', 'DEVICE'], ['imei', 'DEVICE'], ['udi', 'DEVICE'], ['implant', 'DEVICE'],
  ['pacemaker', 'DEVICE'], ['pump', 'DEVICE'], ['lot number', 'DEVICE'], ['mac address', 'ADDRESS' /* the nearest cue wins */], ['job #', 'ID'], ['job no', 'ID'],
  ['ending in', 'ID'], ['npi', 'ID'], ['dea', 'ID'], ['claim', 'ID'], ['reference', 'ID'], ['ref', 'ID'], ['confirmation', 'ID'], ['case id', 'ID'],
  ['ticket', 'ID'], ['order number', 'ID'], ['identifier', 'ID'], ['tracking', 'ID'], ['authorization', 'ID'], ['auth number', 'ID'],
  ['prior auth', 'ID'], ['fingerprint', 'ID'], ['voiceprint', 'ID'], ['biometric', 'ID'], ['retina', 'ID'], ['iris', 'ID'], ['zip', 'ADDRESS'],
  ['postal', 'ADDRESS'], ['postcode', 'ADDRESS'], ['address', 'ADDRESS'], ['live at', 'ADDRESS'], ['lives at', 'ADDRESS'], ['living at', 'ADDRESS'],
  ['reside at', 'ADDRESS'], ['street', 'ADDRESS'], ['apartment', 'ADDRESS'], ['apt', 'ADDRESS'], ['p o box', 'ADDRESS'], ['po box', 'ADDRESS'],
  ['date of birth', 'DATE'], ['dob', 'DATE'], ['d o b', 'DATE'], ['birthday', 'DATE'], ['birth day', 'DATE'], ['born', 'DATE'], ['birth date', 'DATE'],
  ['birthdate', 'DATE'], ['admitted', 'DATE'], ['discharged', 'DATE'], ['admission', 'DATE'], ['discharge', 'DATE'], ['appointment on', 'DATE'],
  ['date of service', 'DATE'], ['seen on', 'DATE'], ['visit on', 'DATE'], ['how old', 'AGE'], ['age', 'AGE'], ['aged', 'AGE'], ['years old', 'AGE'],
  ['year old', 'AGE'], ['email', 'EMAIL'], ['e-mail', 'EMAIL'], ['name', 'NAME'], ['spell', 'NAME'], ['spelled', 'NAME'], ['spelling', 'NAME'],
  ['who am i speaking', 'NAME'], ['who is calling', 'NAME'], ["who's calling", 'NAME'],
];

describe('context cues (R-DATA-2: what the words before a number say it is)', () => {
  test('every cue is found, alone, after other words and after punctuation', () => {
    for (const [form, label] of FORMS) {
      for (const window of [form, `the ${form} `, `(${form}: `, `x-${form}`]) assert.equal(nearestCue(window)?.label, label, window);
    }
  });

  test('"member" alone is a speaker\'s role, no cue; "the name on the account" asks for no account', () => {
    assert.equal(nearestCue('member:'), undefined);
    assert.equal(nearestCue('can i get the name on the account')?.label, 'NAME');
    assert.equal(nearestCue('can i get the name on the card')?.label, 'NAME');
  });

  test('a cue inside a word is none; reading starts where asked', () => {
    assert.equal(nearestCue('prefax'), undefined);
    assert.equal(nearestCue('9fax _fax'), undefined);
    assert.equal(nearestCue('alert and oriented x3, follows commands'), undefined);
    assert.equal(nearestCue('the fax', 4)?.label, 'FAX');
    assert.equal(nearestCue('the fax', 5), undefined);
  });

  test('a question carries its cue to the next utterance; an answer does not', () => {
    assert.equal(expectationOf('can I get your date of birth'), 'DATE');
    assert.equal(expectationOf('my date of birth is 3 4 1990'), undefined);
  });
});
