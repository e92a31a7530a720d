-- R-AUTHN-2: whether the login proved multi-factor authentication is decided by the login method
-- when it issues the session (a passkey with user verification; an OIDC login by its amr/acr) and
-- kept on the row, instead of being inferred from the method on every request.
ALTER TABLE sessions ADD COLUMN mfa boolean NOT NULL DEFAULT false;
UPDATE sessions SET mfa = true WHERE auth_method = 'passkey' AND 'user' = ANY (amr);
