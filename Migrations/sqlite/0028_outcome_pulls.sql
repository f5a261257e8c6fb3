-- Reading outcomes back by pull (issue 30): each client's campaigns are read lead by lead once a day
-- (and on demand) to record what the webhooks missed. `outcome_pulls` keeps where each campaign's
-- pull stands (the vendor's cursor after the last page stored), so a pull stopped in the middle goes
-- on from there; `outcome_pull_day` is the client's local day of the last daily pull, claimed by a
-- conditional update so one instance does it; the lease columns say who is pulling now. The webhook
-- Greenlight subscribed for the client itself (`hook_vendor`, `hook_vendor_id`), to show its state.
-- Keep in step with ../postgres/0028_outcome_pulls.sql.
CREATE TABLE outcome_pulls (
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    campaign_id TEXT NOT NULL,
    next_cursor TEXT,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    leads BIGINT NOT NULL DEFAULT 0,
    requests BIGINT NOT NULL DEFAULT 0,
    recorded BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (client_id, campaign_id)
);

ALTER TABLE clients ADD COLUMN outcome_pull_day TEXT;
ALTER TABLE clients ADD COLUMN outcome_pull_owner TEXT;
ALTER TABLE clients ADD COLUMN outcome_pull_expires_at BIGINT;
ALTER TABLE clients ADD COLUMN hook_vendor TEXT;
ALTER TABLE clients ADD COLUMN hook_vendor_id TEXT;
-- The state the vendor last gave for that webhook (`active`, `disabled`, `missing`) and when.
ALTER TABLE clients ADD COLUMN hook_state TEXT;
ALTER TABLE clients ADD COLUMN hook_checked_at BIGINT;
