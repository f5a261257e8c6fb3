-- What prospects answered (issue 30). Each client's sequencer webhooks reach
-- `/hooks/{vendor}/{token}`: the token, and the `secret_key` Smartlead repeats in every delivery,
-- are stored as SHA-256 hashes. Every outcome event (a step sent, a reply, a bounce, an unsubscribe,
-- an interest change…) is stored once, keyed by what the vendor says of it (its kind, campaign, lead,
-- step and timestamp), from a webhook, a pull or an uploaded lead export; `email_id` names the email
-- Greenlight sent, or stays NULL for a lead it did not send (kept aside, counted, never guessed).
-- `email_outcomes` holds each sent email's outcome as its events make it, whatever their order.
-- Suppressions: addresses and domains never exported again for the client.
-- Keep in step with ../sqlite/0027_outcomes.sql.
ALTER TABLE clients ADD COLUMN hook_token_hash TEXT;
ALTER TABLE clients ADD COLUMN hook_secret_hash TEXT;
ALTER TABLE clients ADD COLUMN hook_created_at BIGINT;
CREATE UNIQUE INDEX clients_hook_token ON clients (hook_token_hash) WHERE hook_token_hash IS NOT NULL;

CREATE TABLE outcome_events (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    vendor TEXT NOT NULL CHECK (vendor IN ('instantly', 'smartlead', 'csv')),
    source TEXT NOT NULL CHECK (source IN ('webhook', 'pull', 'upload')),
    event_type TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('sent', 'opened', 'clicked', 'reply', 'auto_reply', 'bounce', 'unsubscribe', 'interest', 'label', 'other')),
    label TEXT NOT NULL DEFAULT '',
    campaign_id TEXT NOT NULL DEFAULT '',
    lead_email TEXT NOT NULL DEFAULT '',
    step BIGINT NOT NULL DEFAULT 0,
    occurred_at BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    email_id BIGINT REFERENCES generated_emails(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX outcome_events_once ON outcome_events (client_id, vendor, kind, label, campaign_id, lead_email, step, occurred_at);
CREATE INDEX outcome_events_email ON outcome_events (email_id);
CREATE INDEX outcome_events_unmatched ON outcome_events (client_id, campaign_id, lead_email) WHERE email_id IS NULL;

CREATE TABLE email_outcomes (
    email_id BIGINT PRIMARY KEY REFERENCES generated_emails(id) ON DELETE CASCADE,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    replied_at BIGINT,
    auto_replied_at BIGINT,
    bounced_at BIGINT,
    unsubscribed_at BIGINT,
    opened_at BIGINT,
    clicked_at BIGINT,
    interest TEXT,
    interest_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX email_outcomes_client ON email_outcomes (client_id);

CREATE TABLE suppressions (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('email', 'domain')),
    address TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('bounced', 'unsubscribed', 'wrong_person', 'do_not_contact')),
    source TEXT NOT NULL CHECK (source IN ('webhook', 'pull', 'upload', 'manager')),
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (client_id, kind, address)
);

-- The emails sent to a campaign, found by the campaign and address a delivery names.
CREATE INDEX generated_emails_campaign ON generated_emails (client_id, export_campaign_id) WHERE export_campaign_id IS NOT NULL;
