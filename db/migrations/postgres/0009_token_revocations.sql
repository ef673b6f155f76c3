-- Token checks are answered from memory; a revocation reaches every instance through its number in the
-- token_revocations change sequence (handed out in commit order) and a NOTIFY on iqts_token_revoked.
ALTER TABLE api_tokens ADD COLUMN revoked_seq bigint NULL;
CREATE INDEX ix_api_tokens_revoked_seq ON api_tokens (revoked_seq);
