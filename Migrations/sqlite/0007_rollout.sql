-- Rollout: each client's gate settings, every change to them, a global kill switch,
-- and on every draft what the gate decided and why.
CREATE TABLE rollout_settings (
    client_id BIGINT NOT NULL PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
    partial_threshold BIGINT NOT NULL DEFAULT 90 CHECK (partial_threshold BETWEEN 0 AND 100),
    full_threshold BIGINT NOT NULL DEFAULT 85 CHECK (full_threshold BETWEEN 0 AND 100),
    sample_rate_bp BIGINT NOT NULL DEFAULT 500 CHECK (sample_rate_bp BETWEEN 0 AND 10000),
    sample_seed TEXT NOT NULL,
    min_reviewed BIGINT NOT NULL DEFAULT 200,
    approval_target_bp BIGINT NOT NULL DEFAULT 9500,
    edit_limit_bp BIGINT NOT NULL DEFAULT 500,
    review_seconds_limit BIGINT NOT NULL DEFAULT 60,
    reason_share_limit_bp BIGINT NOT NULL DEFAULT 3000,
    shadow_window_days BIGINT NOT NULL DEFAULT 30,
    auto_rate_target_bp BIGINT NOT NULL DEFAULT 7000,
    partial_rejection_limit_bp BIGINT NOT NULL DEFAULT 500,
    partial_window_days BIGINT NOT NULL DEFAULT 14,
    demotion_window BIGINT NOT NULL DEFAULT 100,
    demotion_limit_bp BIGINT NOT NULL DEFAULT 1000,
    paused_at BIGINT,
    paused_by TEXT,
    updated_at BIGINT NOT NULL
);

CREATE TABLE rollout_changes (
    id INTEGER PRIMARY KEY,
    client_id BIGINT REFERENCES clients(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id),
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('promote', 'demote', 'restore', 'settings', 'pause', 'resume')),
    before_json TEXT NOT NULL DEFAULT '{}',
    after_json TEXT NOT NULL DEFAULT '{}',
    reason TEXT,
    created_at BIGINT NOT NULL
);

CREATE INDEX rollout_changes_client ON rollout_changes (client_id, id);

CREATE TABLE app_settings (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

ALTER TABLE generated_emails ADD COLUMN gate_phase TEXT CHECK (gate_phase IN ('shadow', 'partial', 'full'));

ALTER TABLE generated_emails ADD COLUMN gate_threshold BIGINT;

ALTER TABLE generated_emails ADD COLUMN gate_verdict TEXT CHECK (gate_verdict IN ('auto', 'review'));

ALTER TABLE generated_emails ADD COLUMN gate_outcome TEXT CHECK (gate_outcome IN ('auto', 'sampled', 'review', 'paused', 'blocked'));

ALTER TABLE generated_emails ADD COLUMN auto_block TEXT;

CREATE INDEX generated_emails_client_reviewed ON generated_emails (client_id, reviewed_at);

ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'reviewer' CHECK (role IN ('reviewer', 'manager'));
