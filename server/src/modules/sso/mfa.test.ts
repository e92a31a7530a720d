import assert from 'node:assert/strict';
import { test } from 'node:test';
import { provedMfa } from './mfa.ts';

test('R-AUTHN-2: amr "mfa", two factor classes, or a listed acr prove MFA', () => {
  assert.equal(provedMfa({ amr: ['pwd', 'mfa'] }, []), true);
  assert.equal(provedMfa({ amr: ['pwd', 'otp'] }, []), true);
  assert.equal(provedMfa({ amr: ['hwk', 'fpt'] }, []), true);
  assert.equal(provedMfa({ amr: ['pwd'], acr: 'http://schemas.openid.net/pape/policies/2007/06/multi-factor' }, ['http://schemas.openid.net/pape/policies/2007/06/multi-factor']), true);
});

test('R-AUTHN-2: a lone pwd or otp, two methods of one class, an unlisted acr or junk are not MFA', () => {
  assert.equal(provedMfa({ amr: ['pwd'] }, []), false);
  assert.equal(provedMfa({ amr: ['otp'] }, []), false);
  assert.equal(provedMfa({ amr: ['pwd', 'pin'] }, []), false);
  assert.equal(provedMfa({ amr: ['sms', 'otp'] }, []), false);
  assert.equal(provedMfa({ amr: ['pwd'], acr: 'urn:other' }, ['urn:mfa']), false);
  assert.equal(provedMfa({ amr: 'mfa' }, []), false, 'amr is an array, never a string');
  assert.equal(provedMfa({ amr: [{ mfa: true }, 1] }, []), false);
  assert.equal(provedMfa({}, []), false);
});
