-- Export to the sequencer: each client's sequencer settings beside its stored key, a lease
-- so one exporter at a time works on a client (several app instances may share the database), and
-- the ledger of every run — the emails it claimed, the campaigns it created, each lead batch before
-- and after its call — from which a run killed at any instant is resumed.
ALTER TABLE clients ADD COLUMN sequencer_accounts TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN sequencer_daily_limit BIGINT NOT NULL DEFAULT 50 CHECK (sequencer_daily_limit BETWEEN 1 AND 100000);
ALTER TABLE clients ADD COLUMN schedule_days TEXT NOT NULL DEFAULT '1,2,3,4,5';
ALTER TABLE clients ADD COLUMN schedule_from TEXT NOT NULL DEFAULT '09:00';
ALTER TABLE clients ADD COLUMN schedule_to TEXT NOT NULL DEFAULT '17:00';
ALTER TABLE clients ADD COLUMN activate_campaigns BIGINT NOT NULL DEFAULT 0 CHECK (activate_campaigns IN (0, 1));
ALTER TABLE clients ADD COLUMN stop_on_reply BIGINT NOT NULL DEFAULT 1 CHECK (stop_on_reply IN (0, 1));
ALTER TABLE clients ADD COLUMN export_lease_owner TEXT;
ALTER TABLE clients ADD COLUMN export_lease_expires_at BIGINT;

ALTER TABLE generated_emails ADD COLUMN export_error TEXT;

-- A run is `running` until it ends `finished`, `failed` (the sequencer refused it: emails stay
-- approved with the error) or `stopped` (the kill switch). `local_day` is the client's day a
-- scheduled run belongs to: one scheduled run per client and day.
ALTER TABLE export_runs ADD COLUMN run_trigger TEXT NOT NULL DEFAULT 'manual' CHECK (run_trigger IN ('schedule', 'manual', 'command'));
ALTER TABLE export_runs ADD COLUMN local_day TEXT;
ALTER TABLE export_runs ADD COLUMN claimed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE export_runs ADD COLUMN sent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE export_runs ADD COLUMN failed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE export_runs ADD COLUMN requests BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX export_runs_scheduled_day ON export_runs (client_id, local_day) WHERE local_day IS NOT NULL;
CREATE INDEX export_runs_client_status ON export_runs (client_id, status, id);

-- One campaign per run and template: `creating` is written before the remote call, `created` with
-- the sequencer's id after it (a run killed in between looks the campaign up by its name).
CREATE TABLE export_campaigns (
    id INTEGER PRIMARY KEY,
    run_id BIGINT NOT NULL REFERENCES export_runs(id) ON DELETE CASCADE,
    template_id BIGINT NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    campaign_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('creating', 'created', 'activated')),
    UNIQUE (run_id, template_id)
);

-- Items: `claimed` by the run, `sending` while their batch's call is out (a run killed then asks
-- the sequencer which of them it holds), then `sent`, `failed` (error kept, email stays approved)
-- or `released` (no longer approved, or the kill switch). An email is open in one run at most.
ALTER TABLE export_items ADD COLUMN batch BIGINT;
ALTER TABLE export_items ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX export_items_open ON export_items (email_id) WHERE status IN ('claimed', 'sending');
CREATE INDEX export_items_run_status ON export_items (run_id, status, email_id);
