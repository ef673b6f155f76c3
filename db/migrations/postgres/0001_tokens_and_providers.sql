-- Tokens: opaque bearer tokens, stored only as a SHA-256 hash (hex).
CREATE TABLE api_tokens (
    id          uuid PRIMARY KEY,
    token_hash  text NOT NULL UNIQUE,
    role        text NOT NULL CHECK (role IN ('provider', 'tra', 'dfe')),
    ukprn       text NULL,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NULL,
    revoked_at  timestamptz NULL,
    CHECK ((role = 'provider') = (ukprn IS NOT NULL))
);

-- One counter per sync scope. Bumping it inside a write transaction hands out change
-- sequence numbers in commit order (the row stays locked until commit), which is what
-- makes cursor pagination gap-free; a PostgreSQL sequence would not be.
CREATE TABLE change_counters (
    scope  text PRIMARY KEY,
    value  bigint NOT NULL
);

CREATE TABLE providers (
    ukprn                       text PRIMARY KEY,
    name                        text NOT NULL,
    approval_status             text NOT NULL CHECK (approval_status IN ('approved', 'suspended', 'withdrawn')),
    inspection_grade            integer NOT NULL CHECK (inspection_grade BETWEEN 1 AND 4),
    inspection_date             date NOT NULL,
    may_exceed_trainee_cap      boolean NOT NULL DEFAULT false,
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL,
    row_version                 integer NOT NULL,
    change_seq                  bigint NOT NULL UNIQUE
);
