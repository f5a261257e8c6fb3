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
