-- Connect the sequencer and Slack from the export page (issue 27). The secrets stay encrypted; what
-- the page may show of them is kept beside them: the last four characters, when and by whom each was
-- set ("key ending …3f9a, set 7 Dec by Ana"), so showing the page decrypts nothing.
ALTER TABLE clients ADD COLUMN sequencer_key_hint TEXT;
ALTER TABLE clients ADD COLUMN sequencer_key_set_at BIGINT;
ALTER TABLE clients ADD COLUMN sequencer_key_set_by TEXT;
ALTER TABLE clients ADD COLUMN slack_webhook_hint TEXT;
ALTER TABLE clients ADD COLUMN slack_webhook_set_at BIGINT;
ALTER TABLE clients ADD COLUMN slack_webhook_set_by TEXT;
