-- The team, run from the browser (issue 31): when each user last signed in; one-time links that let
-- an invited person set their first password, or a user a new one (stored as SHA-256 hashes, valid
-- 72 hours, used once); the last four characters of each API key, all a page shows after creation;
-- when a template was retired (no new drafts use it; the drafts it made keep their link); when a
-- client was archived (out of every list, queue and export; its data kept).
-- Keep in step with ../postgres/0026_team_links.sql.
ALTER TABLE users ADD COLUMN last_sign_in_at BIGINT;

CREATE TABLE user_links (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    email TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('sdr', 'manager', 'admin')),
    client_ids_json TEXT NOT NULL DEFAULT '[]',
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX user_links_email ON user_links (email);

ALTER TABLE api_keys ADD COLUMN key_last_four TEXT;

ALTER TABLE templates ADD COLUMN retired_at BIGINT;
ALTER TABLE clients ADD COLUMN archived_at BIGINT;
