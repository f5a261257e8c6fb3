-- Export trust (issue 27). The client's export lease belongs to one running task: its owner names
-- the task (host, process, a random token), `export_lease_process` says how to tell for sure that
-- the holder's process is gone (boot id, PID namespace, pid and start time), and whoever is refused
-- is told who started the run (`export_lease_by`) and since when (`export_lease_since`).
ALTER TABLE clients ADD COLUMN export_lease_process TEXT;
ALTER TABLE clients ADD COLUMN export_lease_since BIGINT;
ALTER TABLE clients ADD COLUMN export_lease_by TEXT;

-- Starting a campaign is a step of the ledger: `to_activate` is written before the call and cleared
-- (status `activated`) after it; a run is finished only once none of its campaigns is still to
-- activate, and a later run finishes what an earlier one left. `activation_error` keeps why the
-- last try failed, for the export page.
ALTER TABLE export_campaigns ADD COLUMN to_activate BIGINT NOT NULL DEFAULT 0;
ALTER TABLE export_campaigns ADD COLUMN activation_error TEXT;
