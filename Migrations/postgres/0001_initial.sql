-- Greenlight's first schema (PostgreSQL). Times are milliseconds since 1970 (BIGINT), JSON is TEXT,
-- so both engines store and return the same values. Keep in step with ../sqlite/0001_initial.sql.

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('sdr', 'manager', 'admin')),
    created_at BIGINT NOT NULL,
    disabled_at BIGINT
);

CREATE TABLE clients (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    website TEXT NOT NULL DEFAULT '',
    sender_name TEXT NOT NULL DEFAULT '',
    sender_title TEXT NOT NULL DEFAULT '',
    sender_email TEXT NOT NULL DEFAULT '',
    timezone TEXT NOT NULL DEFAULT 'UTC',
    export_hour BIGINT NOT NULL DEFAULT 14,
    phase TEXT NOT NULL DEFAULT 'shadow' CHECK (phase IN ('shadow', 'partial', 'full')),
    thresholds_json TEXT NOT NULL DEFAULT '{}',
    pci TEXT NOT NULL DEFAULT '',
    personas TEXT NOT NULL DEFAULT '',
    pain_points TEXT NOT NULL DEFAULT '',
    competitors_json TEXT NOT NULL DEFAULT '[]',
    sequencer_kind TEXT,
    sequencer_key_encrypted TEXT,
    sending_accounts_json TEXT NOT NULL DEFAULT '[]',
    daily_limit BIGINT,
    slack_webhook_encrypted TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE case_studies (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (client_id, file_name)
);

CREATE TABLE user_clients (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, client_id)
);

CREATE TABLE templates (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    strategy TEXT NOT NULL CHECK (strategy IN ('cold_email', 'linkedin', 'follow_up', 'break_up')),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    min_words BIGINT NOT NULL DEFAULT 150,
    max_words BIGINT NOT NULL DEFAULT 250,
    follow_ups_json TEXT NOT NULL DEFAULT '[]',
    variables_json TEXT NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL,
    UNIQUE (client_id, name)
);

CREATE TABLE contact_batches (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    template_id BIGINT NOT NULL REFERENCES templates(id),
    file_name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('imported', 'generating', 'generated', 'failed')),
    rows_total BIGINT NOT NULL,
    rows_imported BIGINT NOT NULL,
    rows_skipped BIGINT NOT NULL,
    skipped_json TEXT NOT NULL DEFAULT '[]',
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    generated_at BIGINT
);

CREATE TABLE contacts (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    batch_id BIGINT NOT NULL REFERENCES contact_batches(id) ON DELETE CASCADE,
    row_number BIGINT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_normalized TEXT NOT NULL,
    company_name TEXT NOT NULL,
    website TEXT NOT NULL,
    linkedin_url TEXT NOT NULL,
    industry TEXT NOT NULL,
    extra_json TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL CHECK (status IN ('pending', 'enriching', 'completed', 'failed')),
    error TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (client_id, email_normalized)
);

CREATE INDEX contacts_batch ON contacts (batch_id, status);

CREATE TABLE generated_emails (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    template_id BIGINT NOT NULL REFERENCES templates(id),
    batch_id BIGINT NOT NULL REFERENCES contact_batches(id) ON DELETE CASCADE,
    contact_name TEXT NOT NULL,
    company_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    final_body TEXT,
    variables_json TEXT NOT NULL,
    metrics_json TEXT NOT NULL,
    quality_score BIGINT NOT NULL CHECK (quality_score BETWEEN 0 AND 100),
    score_version TEXT NOT NULL,
    search_text TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending_review', 'approved', 'approved_edited', 'approved_auto', 'rejected', 'sent', 'sampled')),
    reviewer_id BIGINT REFERENCES users(id),
    reviewer_name TEXT,
    reviewed_at BIGINT,
    review_ms BIGINT,
    rejection_reason TEXT,
    rejection_details TEXT,
    claimed_by BIGINT REFERENCES users(id),
    claim_expires_at BIGINT,
    claimed_at BIGINT,
    export_campaign_id TEXT,
    export_campaign_name TEXT,
    sequencer_lead_id TEXT,
    sent_at BIGINT,
    generation_note TEXT NOT NULL DEFAULT '',
    generation_ms BIGINT NOT NULL DEFAULT 0,
    tokens BIGINT NOT NULL DEFAULT 0,
    model TEXT NOT NULL DEFAULT '',
    prompt_version TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (contact_id, template_id)
);

CREATE INDEX generated_emails_queue ON generated_emails (status, quality_score, created_at, id);
CREATE INDEX generated_emails_client_queue ON generated_emails (client_id, status, quality_score, created_at, id);
CREATE INDEX generated_emails_batch ON generated_emails (batch_id);

CREATE TABLE review_events (
    id BIGSERIAL PRIMARY KEY,
    email_id BIGINT NOT NULL REFERENCES generated_emails(id) ON DELETE CASCADE,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id),
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    before_text TEXT,
    after_text TEXT,
    reason TEXT,
    details TEXT,
    review_ms BIGINT,
    created_at BIGINT NOT NULL
);

CREATE INDEX review_events_email ON review_events (email_id, id);
CREATE INDEX review_events_client_time ON review_events (client_id, created_at);

CREATE TABLE style_corrections (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    email_id BIGINT NOT NULL REFERENCES generated_emails(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id),
    original TEXT NOT NULL,
    edited TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX style_corrections_client ON style_corrections (client_id, created_at);

CREATE TABLE sessions (
    key_hash TEXT PRIMARY KEY,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    expires_at BIGINT
);

CREATE TABLE api_keys (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    key_prefix TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);

CREATE TABLE daily_analytics (
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    generated BIGINT NOT NULL DEFAULT 0,
    approved BIGINT NOT NULL DEFAULT 0,
    auto_approved BIGINT NOT NULL DEFAULT 0,
    edited BIGINT NOT NULL DEFAULT 0,
    rejected BIGINT NOT NULL DEFAULT 0,
    review_ms_total BIGINT NOT NULL DEFAULT 0,
    score_total BIGINT NOT NULL DEFAULT 0,
    reasons_json TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (client_id, day)
);

CREATE TABLE export_runs (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    campaign_id TEXT,
    campaign_name TEXT,
    error TEXT,
    started_at BIGINT NOT NULL,
    finished_at BIGINT
);

CREATE TABLE export_items (
    run_id BIGINT NOT NULL REFERENCES export_runs(id) ON DELETE CASCADE,
    email_id BIGINT NOT NULL REFERENCES generated_emails(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    sequencer_lead_id TEXT,
    error TEXT,
    PRIMARY KEY (run_id, email_id)
);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT REFERENCES users(id),
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
