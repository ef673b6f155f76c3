-- Tokens: opaque bearer tokens, stored only as a SHA-256 hash (hex).
CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('provider', 'tra', 'dfe')),
    ukprn       TEXT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NULL,
    revoked_at  TEXT NULL,
    CHECK ((role = 'provider') = (ukprn IS NOT NULL))
);

-- One counter per sync scope. Bumping it inside a write transaction hands out change
-- sequence numbers in commit order (the row stays locked until commit), which is what
-- makes cursor pagination gap-free.
CREATE TABLE change_counters (
    scope  TEXT PRIMARY KEY,
    value  INTEGER NOT NULL
);

CREATE TABLE providers (
    ukprn                       TEXT PRIMARY KEY,
    name                        TEXT NOT NULL,
    approval_status             TEXT NOT NULL CHECK (approval_status IN ('approved', 'suspended', 'withdrawn')),
    inspection_grade            INTEGER NOT NULL CHECK (inspection_grade BETWEEN 1 AND 4),
    inspection_date             TEXT NOT NULL,
    may_exceed_trainee_cap      INTEGER NOT NULL DEFAULT 0,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    row_version                 INTEGER NOT NULL,
    change_seq                  INTEGER NOT NULL UNIQUE
);
