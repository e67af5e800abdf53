--liquibase formatted sql

-- The eventlog schema for SQLite. Times are INTEGER epoch milliseconds (UTC); booleans are 0/1;
-- attributes and file_paths are JSON text. Each *_view shows the same rows with ISO-8601 times
-- for people using the sqlite3 shell. Every change set has its rollback.

--changeset eventlog:create-git_events
CREATE TABLE git_events (
    id TEXT NOT NULL PRIMARY KEY,
    ts INTEGER NOT NULL,
    session_id TEXT,
    source TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    event_type TEXT,
    repo TEXT,
    branch TEXT,
    commit_hash TEXT,
    message TEXT,
    files_changed INTEGER,
    additions INTEGER,
    deletions INTEGER,
    author TEXT,
    commits INTEGER
);
CREATE INDEX idx_git_events_ts ON git_events (ts);
CREATE INDEX idx_git_events_event_type ON git_events (event_type);
CREATE INDEX idx_git_events_repo ON git_events (repo);
CREATE INDEX idx_git_events_branch ON git_events (branch);
--rollback DROP TABLE git_events;

--changeset eventlog:create-self_heal_events
CREATE TABLE self_heal_events (
    id TEXT NOT NULL PRIMARY KEY,
    ts INTEGER NOT NULL,
    session_id TEXT,
    source TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    error_pattern TEXT,
    fix_applied TEXT,
    success INTEGER CHECK (success IN (0, 1)),
    execution_time_ms INTEGER,
    error_message TEXT,
    context TEXT,
    severity TEXT
);
CREATE INDEX idx_self_heal_events_ts ON self_heal_events (ts);
CREATE INDEX idx_self_heal_events_error_pattern ON self_heal_events (error_pattern);
CREATE INDEX idx_self_heal_events_success ON self_heal_events (success);
CREATE INDEX idx_self_heal_events_severity ON self_heal_events (severity);
--rollback DROP TABLE self_heal_events;

--changeset eventlog:create-recovery_events
CREATE TABLE recovery_events (
    id TEXT NOT NULL PRIMARY KEY,
    ts INTEGER NOT NULL,
    session_id TEXT,
    source TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    error_type TEXT,
    recovery_strategy TEXT,
    success INTEGER CHECK (success IN (0, 1)),
    attempts INTEGER,
    time_to_recover_ms INTEGER,
    error_details TEXT,
    recovery_method TEXT
);
CREATE INDEX idx_recovery_events_ts ON recovery_events (ts);
CREATE INDEX idx_recovery_events_error_type ON recovery_events (error_type);
CREATE INDEX idx_recovery_events_success ON recovery_events (success);
CREATE INDEX idx_recovery_events_recovery_strategy ON recovery_events (recovery_strategy);
--rollback DROP TABLE recovery_events;

--changeset eventlog:create-routing_metrics_events
CREATE TABLE routing_metrics_events (
    id TEXT NOT NULL PRIMARY KEY,
    ts INTEGER NOT NULL,
    session_id TEXT,
    source TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    query_id TEXT,
    predicted_model TEXT,
    actual_model TEXT,
    dq_score REAL,
    complexity REAL,
    accuracy INTEGER CHECK (accuracy IN (0, 1)),
    cost_saved REAL,
    reasoning TEXT,
    query_text TEXT
);
CREATE INDEX idx_routing_metrics_events_ts ON routing_metrics_events (ts);
CREATE INDEX idx_routing_metrics_events_accuracy ON routing_metrics_events (accuracy);
CREATE INDEX idx_routing_metrics_events_predicted_model ON routing_metrics_events (predicted_model);
--rollback DROP TABLE routing_metrics_events;

--changeset eventlog:create-session_outcome_events
CREATE TABLE session_outcome_events (
    id TEXT NOT NULL PRIMARY KEY,
    ts INTEGER NOT NULL,
    session_id TEXT,
    source TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    outcome TEXT,
    quality REAL,
    complexity REAL,
    intent TEXT,
    model TEXT,
    messages_count INTEGER,
    duration_minutes REAL,
    cost_usd REAL,
    success INTEGER CHECK (success IN (0, 1)),
    summary TEXT
);
CREATE INDEX idx_session_outcome_events_ts ON session_outcome_events (ts);
CREATE INDEX idx_session_outcome_events_session_id ON session_outcome_events (session_id);
CREATE INDEX idx_session_outcome_events_outcome ON session_outcome_events (outcome);
--rollback DROP TABLE session_outcome_events;

--changeset eventlog:create-tool_events
CREATE TABLE tool_events (
    id TEXT NOT NULL PRIMARY KEY,
    ts INTEGER NOT NULL,
    session_id TEXT,
    source TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    tool_name TEXT,
    tool_type TEXT,
    success INTEGER CHECK (success IN (0, 1)),
    exit_code INTEGER,
    duration_ms INTEGER,
    file_paths TEXT,
    project_path TEXT
);
CREATE INDEX idx_tool_events_ts ON tool_events (ts);
CREATE INDEX idx_tool_events_tool_name ON tool_events (tool_name);
CREATE INDEX idx_tool_events_session_id ON tool_events (session_id);
--rollback DROP TABLE tool_events;

--changeset eventlog:create-activity_events
CREATE TABLE activity_events (
    id TEXT NOT NULL PRIMARY KEY,
    ts INTEGER NOT NULL,
    session_id TEXT,
    source TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    activity_type TEXT,
    description TEXT,
    project_path TEXT
);
CREATE INDEX idx_activity_events_ts ON activity_events (ts);
CREATE INDEX idx_activity_events_activity_type ON activity_events (activity_type);
--rollback DROP TABLE activity_events;

--changeset eventlog:create-coordinator_events
CREATE TABLE coordinator_events (
    id TEXT NOT NULL PRIMARY KEY,
    ts INTEGER NOT NULL,
    session_id TEXT,
    source TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    agent_id TEXT,
    action TEXT,
    strategy TEXT,
    file_path TEXT,
    result TEXT,
    duration_ms INTEGER,
    exit_code INTEGER
);
CREATE INDEX idx_coordinator_events_ts ON coordinator_events (ts);
CREATE INDEX idx_coordinator_events_agent_id ON coordinator_events (agent_id);
CREATE INDEX idx_coordinator_events_action ON coordinator_events (action);
--rollback DROP TABLE coordinator_events;

--changeset eventlog:create-expertise_routing_events
CREATE TABLE expertise_routing_events (
    id TEXT NOT NULL PRIMARY KEY,
    ts INTEGER NOT NULL,
    session_id TEXT,
    source TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    domain TEXT,
    expertise_level REAL,
    query_complexity REAL,
    chosen_model TEXT,
    reasoning TEXT,
    query_hash TEXT
);
CREATE INDEX idx_expertise_routing_events_ts ON expertise_routing_events (ts);
CREATE INDEX idx_expertise_routing_events_domain ON expertise_routing_events (domain);
CREATE INDEX idx_expertise_routing_events_chosen_model ON expertise_routing_events (chosen_model);
--rollback DROP TABLE expertise_routing_events;

--changeset eventlog:create-custom_events
CREATE TABLE custom_events (
    id TEXT NOT NULL PRIMARY KEY,
    ts INTEGER NOT NULL,
    session_id TEXT,
    source TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    kind TEXT
);
CREATE INDEX idx_custom_events_ts ON custom_events (ts);
CREATE INDEX idx_custom_events_kind ON custom_events (kind);
--rollback DROP TABLE custom_events;

--changeset eventlog:create-iso-time-views
CREATE VIEW git_events_view AS SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', ts / 1000.0, 'unixepoch') AS ts, session_id, source, event_type, repo, branch, commit_hash, message, files_changed, additions, deletions, author, commits, attributes FROM git_events;
CREATE VIEW self_heal_events_view AS SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', ts / 1000.0, 'unixepoch') AS ts, session_id, source, error_pattern, fix_applied, success, execution_time_ms, error_message, context, severity, attributes FROM self_heal_events;
CREATE VIEW recovery_events_view AS SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', ts / 1000.0, 'unixepoch') AS ts, session_id, source, error_type, recovery_strategy, success, attempts, time_to_recover_ms, error_details, recovery_method, attributes FROM recovery_events;
CREATE VIEW routing_metrics_events_view AS SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', ts / 1000.0, 'unixepoch') AS ts, session_id, source, query_id, predicted_model, actual_model, dq_score, complexity, accuracy, cost_saved, reasoning, query_text, attributes FROM routing_metrics_events;
CREATE VIEW session_outcome_events_view AS SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', ts / 1000.0, 'unixepoch') AS ts, session_id, source, outcome, quality, complexity, intent, model, messages_count, duration_minutes, cost_usd, success, summary, attributes FROM session_outcome_events;
CREATE VIEW tool_events_view AS SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', ts / 1000.0, 'unixepoch') AS ts, session_id, source, tool_name, tool_type, success, exit_code, duration_ms, file_paths, project_path, attributes FROM tool_events;
CREATE VIEW activity_events_view AS SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', ts / 1000.0, 'unixepoch') AS ts, session_id, source, activity_type, description, project_path, attributes FROM activity_events;
CREATE VIEW coordinator_events_view AS SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', ts / 1000.0, 'unixepoch') AS ts, session_id, source, agent_id, action, strategy, file_path, result, duration_ms, exit_code, attributes FROM coordinator_events;
CREATE VIEW expertise_routing_events_view AS SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', ts / 1000.0, 'unixepoch') AS ts, session_id, source, domain, expertise_level, query_complexity, chosen_model, reasoning, query_hash, attributes FROM expertise_routing_events;
CREATE VIEW custom_events_view AS SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', ts / 1000.0, 'unixepoch') AS ts, session_id, source, kind, attributes FROM custom_events;
--rollback DROP VIEW git_events_view; DROP VIEW self_heal_events_view; DROP VIEW recovery_events_view; DROP VIEW routing_metrics_events_view; DROP VIEW session_outcome_events_view; DROP VIEW tool_events_view; DROP VIEW activity_events_view; DROP VIEW coordinator_events_view; DROP VIEW expertise_routing_events_view; DROP VIEW custom_events_view;

--changeset eventlog:create-analytics-views
-- What the analytics questions (EventAnalytics) are asked of: one row per event with its time, the
-- column it is grouped by, its flag as 0/1 (a NULL flag is not true, so 0) and the values that are
-- averaged or added. The store applies the time range to ts and groups. epoch_day is the UTC day as
-- days since 1970-01-01 (floored, so also right before 1970); date(epoch_day * 86400, 'unixepoch')
-- shows it. In the sqlite3 shell, e.g.:
--   SELECT error_pattern, count(*), 100.0 * avg(succeeded) FROM analytics_self_heal_view GROUP BY 1;
CREATE VIEW analytics_event_days_view AS
    SELECT 'git' AS kind, ts, (ts - ((ts % 86400000) + 86400000) % 86400000) / 86400000 AS epoch_day FROM git_events
    UNION ALL SELECT 'self_heal', ts, (ts - ((ts % 86400000) + 86400000) % 86400000) / 86400000 FROM self_heal_events
    UNION ALL SELECT 'recovery', ts, (ts - ((ts % 86400000) + 86400000) % 86400000) / 86400000 FROM recovery_events
    UNION ALL SELECT 'routing_metric', ts, (ts - ((ts % 86400000) + 86400000) % 86400000) / 86400000 FROM routing_metrics_events
    UNION ALL SELECT 'session_outcome', ts, (ts - ((ts % 86400000) + 86400000) % 86400000) / 86400000 FROM session_outcome_events
    UNION ALL SELECT 'tool_use', ts, (ts - ((ts % 86400000) + 86400000) % 86400000) / 86400000 FROM tool_events
    UNION ALL SELECT 'activity', ts, (ts - ((ts % 86400000) + 86400000) % 86400000) / 86400000 FROM activity_events
    UNION ALL SELECT 'coordinator', ts, (ts - ((ts % 86400000) + 86400000) % 86400000) / 86400000 FROM coordinator_events
    UNION ALL SELECT 'expertise_routing', ts, (ts - ((ts % 86400000) + 86400000) % 86400000) / 86400000 FROM expertise_routing_events
    UNION ALL SELECT 'custom', ts, (ts - ((ts % 86400000) + 86400000) % 86400000) / 86400000 FROM custom_events;
CREATE VIEW analytics_routing_view AS SELECT ts, predicted_model, CASE WHEN accuracy = 1 THEN 1 ELSE 0 END AS accurate FROM routing_metrics_events;
CREATE VIEW analytics_self_heal_view AS SELECT ts, error_pattern, CASE WHEN success = 1 THEN 1 ELSE 0 END AS succeeded FROM self_heal_events;
CREATE VIEW analytics_recovery_view AS SELECT ts, recovery_strategy, CASE WHEN success = 1 THEN 1 ELSE 0 END AS succeeded, time_to_recover_ms FROM recovery_events;
CREATE VIEW analytics_session_view AS SELECT ts, outcome, quality, cost_usd FROM session_outcome_events;
CREATE VIEW analytics_tool_use_view AS SELECT ts, tool_name, CASE WHEN success = 1 THEN 1 ELSE 0 END AS succeeded, duration_ms FROM tool_events;
CREATE VIEW analytics_git_commits_view AS SELECT ts, repo FROM git_events WHERE event_type = 'commit';
--rollback DROP VIEW analytics_event_days_view; DROP VIEW analytics_routing_view; DROP VIEW analytics_self_heal_view; DROP VIEW analytics_recovery_view; DROP VIEW analytics_session_view; DROP VIEW analytics_tool_use_view; DROP VIEW analytics_git_commits_view;

--changeset eventlog:analytics-covering-indexes
-- Each analytics question reads one of these indexes alone, in the order it groups by, instead of
-- the table: a whole-table answer on 1 000 000 rows takes tens of milliseconds instead of a second.
-- Each replaces the single-column index on its leading column, so appends maintain no more indexes.
DROP INDEX idx_git_events_event_type;
CREATE INDEX idx_git_events_analytics ON git_events (event_type, repo, ts);
DROP INDEX idx_self_heal_events_error_pattern;
CREATE INDEX idx_self_heal_events_analytics ON self_heal_events (error_pattern, success, ts);
DROP INDEX idx_recovery_events_recovery_strategy;
CREATE INDEX idx_recovery_events_analytics ON recovery_events (recovery_strategy, success, time_to_recover_ms, ts);
DROP INDEX idx_routing_metrics_events_predicted_model;
CREATE INDEX idx_routing_metrics_events_analytics ON routing_metrics_events (predicted_model, accuracy, ts);
DROP INDEX idx_session_outcome_events_outcome;
CREATE INDEX idx_session_outcome_events_analytics ON session_outcome_events (outcome, quality, cost_usd, ts);
DROP INDEX idx_tool_events_tool_name;
CREATE INDEX idx_tool_events_analytics ON tool_events (tool_name, duration_ms, success, ts);
--rollback DROP INDEX idx_git_events_analytics; CREATE INDEX idx_git_events_event_type ON git_events (event_type); DROP INDEX idx_self_heal_events_analytics; CREATE INDEX idx_self_heal_events_error_pattern ON self_heal_events (error_pattern); DROP INDEX idx_recovery_events_analytics; CREATE INDEX idx_recovery_events_recovery_strategy ON recovery_events (recovery_strategy); DROP INDEX idx_routing_metrics_events_analytics; CREATE INDEX idx_routing_metrics_events_predicted_model ON routing_metrics_events (predicted_model); DROP INDEX idx_session_outcome_events_analytics; CREATE INDEX idx_session_outcome_events_outcome ON session_outcome_events (outcome); DROP INDEX idx_tool_events_analytics; CREATE INDEX idx_tool_events_tool_name ON tool_events (tool_name);
