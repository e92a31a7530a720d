import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idpAuthenticatedAt, provedMfa } from './mfa.ts';

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

test('R-SESS-3: an SSO login was verified at its auth_time; without a usable one, never (the epoch)', () => {
  assert.equal(idpAuthenticatedAt({ auth_time: 1_796_000_000 }).toISOString(), new Date(1_796_000_000_000).toISOString());
  for (const claims of [{}, { auth_time: '1796000000' }, { auth_time: Number.NaN }, { auth_time: -5 }, { auth_time: null }]) {
    assert.equal(idpAuthenticatedAt(claims).getTime(), 0, JSON.stringify(claims));
  }
});
