-- Login throttling: failed attempts per account and per address. Keep in step with ../postgres/0002_security.sql.

CREATE TABLE login_attempts (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX audit_log_time ON audit_log (created_at);
