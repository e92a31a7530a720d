-- The application may choose an audit event's id in advance (audit.append's `id` option), so that
-- the justification's ciphertext is bound to the row that stores it (R-DATA-1, R-AUDIT-1). The id
-- is a primary key: a chosen id can only be new. seq, the hashes and occurred_at stay the sealer's
-- and the database's (0007).
GRANT INSERT (id) ON audit_events TO ward_app;
