-- Agent answers that hold for a whole company (competitor, pain point, case study), kept per
-- company, template and prompt version for a while: a second contact at the same company costs no
-- model call for them. And each site's text, kept per domain for a while.
CREATE TABLE agent_cache (
    company_key TEXT NOT NULL,
    template_id BIGINT NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
    prompt_version TEXT NOT NULL,
    agent TEXT NOT NULL,
    variables_json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (company_key, template_id, prompt_version, agent)
);

CREATE TABLE website_cache (
    domain TEXT PRIMARY KEY,
    text TEXT,
    problem TEXT,
    fetched_at BIGINT NOT NULL
);

-- Every model call: who it was for, what it cost, how long it took and how it ended (the spend
-- guard sums these per client and hour or day). Budgets per client, in dollars; none: no limit.
CREATE TABLE model_calls (
    id INTEGER PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    agent TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_tokens BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    cost_microdollars BIGINT NOT NULL,
    latency_ms BIGINT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'invalid', 'failed')),
    created_at BIGINT NOT NULL
);
CREATE INDEX model_calls_client_time ON model_calls (client_id, created_at);

ALTER TABLE clients ADD COLUMN llm_budget_hourly_microdollars BIGINT;
ALTER TABLE clients ADD COLUMN llm_budget_daily_microdollars BIGINT;
