-- Token checks are answered from memory; a revocation reaches every instance through its number in the
-- token_revocations change sequence (handed out in commit order), which instances poll or are notified of.
ALTER TABLE api_tokens ADD COLUMN revoked_seq INTEGER NULL;
CREATE INDEX ix_api_tokens_revoked_seq ON api_tokens (revoked_seq);
