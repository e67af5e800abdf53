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

--changeset eventlog:session-indexes
-- Sessions (README, "Sessions") gather the events of every table by session_id: each table has an
-- index on it, so one session's summary reads only its own rows.
CREATE INDEX idx_git_events_session_id ON git_events (session_id);
CREATE INDEX idx_self_heal_events_session_id ON self_heal_events (session_id);
CREATE INDEX idx_recovery_events_session_id ON recovery_events (session_id);
CREATE INDEX idx_routing_metrics_events_session_id ON routing_metrics_events (session_id);
CREATE INDEX idx_activity_events_session_id ON activity_events (session_id);
CREATE INDEX idx_coordinator_events_session_id ON coordinator_events (session_id);
CREATE INDEX idx_expertise_routing_events_session_id ON expertise_routing_events (session_id);
CREATE INDEX idx_custom_events_session_id ON custom_events (session_id);
--rollback DROP INDEX idx_git_events_session_id; DROP INDEX idx_self_heal_events_session_id; DROP INDEX idx_recovery_events_session_id; DROP INDEX idx_routing_metrics_events_session_id; DROP INDEX idx_activity_events_session_id; DROP INDEX idx_coordinator_events_session_id; DROP INDEX idx_expertise_routing_events_session_id; DROP INDEX idx_custom_events_session_id;

--changeset eventlog:create-session-views
-- The session questions, defined once for every store (README, "Sessions"); the library reads
-- them, and so can anyone at the sqlite3 prompt, e.g.:
--   SELECT * FROM session_summary_view ORDER BY last_ts DESC LIMIT 10;
-- session_summary_view: one row per non-null session_id. Its success_score is computed with the same
-- double-precision operations, in the same order, as the library's SessionScore.
-- Times are epoch milliseconds, as in the tables: datetime(last_ts / 1000, 'unixepoch') shows them.
-- CAST(x AS INTEGER) rounds the positive score down, as floor() does.
CREATE VIEW session_summary_view AS
SELECT session_id, first_ts, last_ts, events, tool_calls, tool_failures, tool_success_rate, distinct_tools,
    outcome, quality, cost_usd, model, messages_count, workflow,
    CASE WHEN tool_success_rate IS NULL AND outcome IS NULL AND quality IS NULL THEN NULL
        ELSE CAST(100 * ((CASE WHEN tool_success_rate IS NULL THEN 0 ELSE CAST(0.4 AS DOUBLE PRECISION) * tool_success_rate END)
            + (CASE WHEN outcome IS NULL THEN 0 ELSE CAST(0.35 AS DOUBLE PRECISION) * (CASE outcome WHEN 'success' THEN 1.0 WHEN 'partial' THEN 0.5 ELSE 0.0 END) END)
            + (CASE WHEN quality IS NULL THEN 0 ELSE CAST(0.25 AS DOUBLE PRECISION) * (CASE WHEN quality < 0 THEN 0.0 WHEN quality > 1 THEN 1.0 ELSE quality END) END))
            / ((CASE WHEN tool_success_rate IS NULL THEN 0 ELSE CAST(0.4 AS DOUBLE PRECISION) END)
            + (CASE WHEN outcome IS NULL THEN 0 ELSE CAST(0.35 AS DOUBLE PRECISION) END)
            + (CASE WHEN quality IS NULL THEN 0 ELSE CAST(0.25 AS DOUBLE PRECISION) END)) * 10 + 0.5 AS INTEGER) / 10.0 END AS success_score
FROM (
    SELECT e.session_id, e.first_ts, e.last_ts, e.events, e.tool_calls, e.tool_failures,
        CASE WHEN e.tool_successes + e.tool_failures = 0 THEN NULL
            ELSE CAST(e.tool_successes AS DOUBLE PRECISION) / (e.tool_successes + e.tool_failures) END AS tool_success_rate,
        e.distinct_tools, o.outcome, o.quality, o.cost_usd, o.model, o.messages_count,
        (SELECT max(CASE WHEN step = 1 THEN tool_name END)
                || coalesce('>' || max(CASE WHEN step = 2 THEN tool_name END), '')
                || coalesce('>' || max(CASE WHEN step = 3 THEN tool_name END), '')
                || coalesce('>' || max(CASE WHEN step = 4 THEN tool_name END), '')
                || coalesce('>' || max(CASE WHEN step = 5 THEN tool_name END), '')
            FROM (SELECT tool_name, row_number() OVER (ORDER BY ts, id) AS step
                FROM (SELECT tool_name, ts, id, lag(tool_name) OVER (ORDER BY ts, id) AS previous
                    FROM tool_events t WHERE t.session_id = e.session_id AND t.tool_name IS NOT NULL) named
                WHERE previous IS NULL OR previous <> tool_name) collapsed
            WHERE step <= 5) AS workflow
    FROM (SELECT session_id, min(ts) AS first_ts, max(ts) AS last_ts, count(*) AS events, sum(is_tool) AS tool_calls,
            sum(ok) AS tool_successes, sum(failed) AS tool_failures, count(DISTINCT tool_name) AS distinct_tools
        FROM (
            SELECT session_id, ts, 1 AS is_tool, tool_name, CASE WHEN success THEN 1 ELSE 0 END AS ok, CASE WHEN NOT success THEN 1 ELSE 0 END AS failed FROM tool_events WHERE session_id IS NOT NULL
            UNION ALL SELECT session_id, ts, 0, CAST(NULL AS TEXT), 0, 0 FROM git_events WHERE session_id IS NOT NULL
            UNION ALL SELECT session_id, ts, 0, CAST(NULL AS TEXT), 0, 0 FROM self_heal_events WHERE session_id IS NOT NULL
            UNION ALL SELECT session_id, ts, 0, CAST(NULL AS TEXT), 0, 0 FROM recovery_events WHERE session_id IS NOT NULL
            UNION ALL SELECT session_id, ts, 0, CAST(NULL AS TEXT), 0, 0 FROM routing_metrics_events WHERE session_id IS NOT NULL
            UNION ALL SELECT session_id, ts, 0, CAST(NULL AS TEXT), 0, 0 FROM session_outcome_events WHERE session_id IS NOT NULL
            UNION ALL SELECT session_id, ts, 0, CAST(NULL AS TEXT), 0, 0 FROM activity_events WHERE session_id IS NOT NULL
            UNION ALL SELECT session_id, ts, 0, CAST(NULL AS TEXT), 0, 0 FROM coordinator_events WHERE session_id IS NOT NULL
            UNION ALL SELECT session_id, ts, 0, CAST(NULL AS TEXT), 0, 0 FROM expertise_routing_events WHERE session_id IS NOT NULL
            UNION ALL SELECT session_id, ts, 0, CAST(NULL AS TEXT), 0, 0 FROM custom_events WHERE session_id IS NOT NULL) session_events
        GROUP BY session_id) e
    LEFT JOIN session_outcome_events o ON o.id = (SELECT x.id FROM session_outcome_events x
        WHERE x.session_id = e.session_id ORDER BY x.ts DESC, x.id DESC LIMIT 1)
) scored;
CREATE VIEW workflow_pattern_view AS
SELECT workflow, count(*) AS sessions, avg(success_score) AS mean_success_score
FROM session_summary_view WHERE workflow IS NOT NULL GROUP BY workflow;
CREATE VIEW agent_usage_view AS
SELECT a.agent_id, a.events,
    (SELECT coalesce(json_group_object(action, n), '{}') FROM (SELECT action, count(*) AS n FROM coordinator_events c
        WHERE c.agent_id = a.agent_id AND c.action IS NOT NULL GROUP BY action) per_action) AS actions,
    a.mean_duration_ms, a.sessions
FROM (SELECT agent_id, count(*) AS events,
        CAST(sum(duration_ms) AS DOUBLE PRECISION) / NULLIF(count(duration_ms), 0) AS mean_duration_ms,
        count(DISTINCT session_id) AS sessions
    FROM coordinator_events WHERE agent_id IS NOT NULL GROUP BY agent_id) a;
CREATE VIEW session_quality_view AS
SELECT count(*) AS sessions, count(success_score) AS scored, avg(success_score) AS mean_success_score,
    avg(CASE WHEN success_score IS NOT NULL AND rn IN ((n + 1) / 2, (n + 2) / 2) THEN success_score END) AS median_success_score,
    min(CASE WHEN success_score IS NOT NULL AND rn = (9 * n + 9) / 10 THEN success_score END) AS p90_success_score,
    sum(CASE WHEN success_score >= 80 THEN 1 ELSE 0 END) AS high,
    sum(CASE WHEN success_score >= 50 AND success_score < 80 THEN 1 ELSE 0 END) AS medium,
    sum(CASE WHEN success_score < 50 THEN 1 ELSE 0 END) AS low
FROM (SELECT success_score, row_number() OVER (PARTITION BY success_score IS NULL ORDER BY success_score) AS rn,
    count(success_score) OVER () AS n FROM session_summary_view) ranked;
--rollback DROP VIEW agent_usage_view; DROP VIEW session_quality_view; DROP VIEW workflow_pattern_view; DROP VIEW session_summary_view;

--changeset eventlog:analytics-routing-matrix
-- The predicted-vs-actual matrix of routing decisions: one row per event whose predicted and actual
-- models are both known. The routing index gains actual_model, second, so that this question, like the
-- others, reads the index alone and already in the order it groups by.
DROP INDEX idx_routing_metrics_events_analytics;
CREATE INDEX idx_routing_metrics_events_analytics ON routing_metrics_events (predicted_model, actual_model, accuracy, ts);
CREATE VIEW analytics_routing_matrix_view AS SELECT ts, predicted_model, actual_model FROM routing_metrics_events
    WHERE predicted_model IS NOT NULL AND actual_model IS NOT NULL;
--rollback DROP VIEW analytics_routing_matrix_view; DROP INDEX idx_routing_metrics_events_analytics; CREATE INDEX idx_routing_metrics_events_analytics ON routing_metrics_events (predicted_model, accuracy, ts);

--changeset eventlog:create-follow-checkpoints
-- Where 'eventlog serve --follow' keeps how far each followed file is stored (README, "Following legacy
-- files"): one row per followed folder (follower_key) and file identity (file_key), its checkpoint a JSON
-- object, written in the same transaction as the events it describes.
CREATE TABLE eventlog_follow_checkpoints (
    follower_key TEXT NOT NULL,
    file_key TEXT NOT NULL,
    checkpoint TEXT NOT NULL,
    PRIMARY KEY (follower_key, file_key)
);
--rollback DROP TABLE eventlog_follow_checkpoints;

--changeset eventlog:create-session-summary
-- derived: session_summary, workflow_summary, session_summary_marks, session_dirty
-- The session questions over many sessions (README, "Sessions") read session_summary, one row per
-- session with the fields of session_summary_view, instead of grouping every event on each call.
-- Appends never touch it: before a question is answered the library recomputes, from their events,
-- the sessions of the rows whose rowid is above each table's mark in session_summary_marks (SQLite
-- has one writer at a time, so rowids grow in commit order) and those listed in session_dirty (the
-- sessions of removed events), then advances the marks, in one transaction. The three tables hold
-- nothing that the events do not, so rolling this change set back loses nothing.
CREATE TABLE session_summary (
    session_id TEXT NOT NULL PRIMARY KEY,
    first_ts INTEGER NOT NULL,
    last_ts INTEGER NOT NULL,
    events INTEGER NOT NULL,
    tool_calls INTEGER NOT NULL,
    tool_failures INTEGER NOT NULL,
    tool_success_rate REAL,
    distinct_tools INTEGER NOT NULL,
    outcome TEXT,
    quality REAL,
    cost_usd REAL,
    model TEXT,
    messages_count INTEGER,
    workflow TEXT,
    success_score REAL
);
CREATE INDEX idx_session_summary_last_ts ON session_summary (last_ts DESC, session_id);
CREATE INDEX idx_session_summary_workflow ON session_summary (workflow, success_score, last_ts);
CREATE INDEX idx_session_summary_score ON session_summary (success_score, last_ts);
CREATE TABLE session_summary_marks (
    table_name TEXT NOT NULL PRIMARY KEY,
    last_rowid INTEGER NOT NULL
);
-- workflow_summary: per workflow, its sessions and their scores (a sum of integer tenths, so that the
-- refresh adds and subtracts sessions exactly), which the all-time workflow question reads.
CREATE TABLE workflow_summary (
    workflow TEXT NOT NULL PRIMARY KEY,
    sessions INTEGER NOT NULL,
    score_tenths INTEGER NOT NULL,
    scored INTEGER NOT NULL
);
CREATE TABLE session_dirty (
    session_id TEXT NOT NULL
);
-- Agent usage reads the coordinator events grouped by agent and action, and each agent's distinct
-- sessions, from these two indexes alone, already in order (no temporary b-tree for the distinct
-- count); they replace the index on agent_id, their first column: one index more on this table.
DROP INDEX idx_coordinator_events_agent_id;
CREATE INDEX idx_coordinator_events_agents ON coordinator_events (agent_id, action, duration_ms, ts);
CREATE INDEX idx_coordinator_events_agent_sessions ON coordinator_events (agent_id, session_id, ts);
INSERT INTO session_summary (session_id, first_ts, last_ts, events, tool_calls, tool_failures, tool_success_rate,
    distinct_tools, outcome, quality, cost_usd, model, messages_count, workflow, success_score)
SELECT session_id, first_ts, last_ts, events, tool_calls, tool_failures, tool_success_rate, distinct_tools, outcome,
    quality, cost_usd, model, messages_count, workflow, success_score FROM session_summary_view;
INSERT INTO session_summary_marks (table_name, last_rowid)
SELECT 'git_events', coalesce(max(rowid), 0) FROM git_events
UNION ALL SELECT 'self_heal_events', coalesce(max(rowid), 0) FROM self_heal_events
UNION ALL SELECT 'recovery_events', coalesce(max(rowid), 0) FROM recovery_events
UNION ALL SELECT 'routing_metrics_events', coalesce(max(rowid), 0) FROM routing_metrics_events
UNION ALL SELECT 'session_outcome_events', coalesce(max(rowid), 0) FROM session_outcome_events
UNION ALL SELECT 'tool_events', coalesce(max(rowid), 0) FROM tool_events
UNION ALL SELECT 'activity_events', coalesce(max(rowid), 0) FROM activity_events
UNION ALL SELECT 'coordinator_events', coalesce(max(rowid), 0) FROM coordinator_events
UNION ALL SELECT 'expertise_routing_events', coalesce(max(rowid), 0) FROM expertise_routing_events
UNION ALL SELECT 'custom_events', coalesce(max(rowid), 0) FROM custom_events;
INSERT INTO workflow_summary (workflow, sessions, score_tenths, scored)
SELECT workflow, count(*), coalesce(sum(CAST(round(success_score * 10) AS INTEGER)), 0), count(success_score)
FROM session_summary WHERE workflow IS NOT NULL GROUP BY workflow;
--rollback DROP INDEX idx_coordinator_events_agent_sessions; DROP INDEX idx_coordinator_events_agents; CREATE INDEX idx_coordinator_events_agent_id ON coordinator_events (agent_id); DROP TABLE session_dirty; DROP TABLE workflow_summary; DROP TABLE session_summary_marks; DROP TABLE session_summary;

--changeset eventlog:create-analytics-rollup
-- derived: analytics_day_kinds, analytics_day_groups, analytics_day_buckets, analytics_day_durations, analytics_day_dirty, analytics_day_marks
-- The analytics questions over a range (README, "Analytics") read the whole UTC days of the range
-- from these per-day summaries and only the partial days at its edges from the events, so that a
-- month is answered from a few thousand rows instead of every event of the month:
--   analytics_day_kinds      events per day and kind;
--   analytics_day_groups     per day, question and group: events, true flags, sums and counts of the
--                            measured values (question: routing, routing_matrix, self_heal, recovery,
--                            sessions, tools, git; group_key2 is the actual model of routing_matrix);
--   analytics_day_durations  per day, tool and distinct duration: how many tool uses took it, so the
--                            nearest-rank percentiles stay exact;
--   analytics_day_buckets    the same counts per day, tool and bucket (8 buckets per doubling of the
--                            duration), which locate a percentile's rank before its bucket's
--                            distinct durations are read.
-- Appends never touch them: before a question is answered the library recomputes, from the events,
-- the days of the rows whose rowid is above each table's mark in analytics_day_marks (one writer at
-- a time, so rowids grow in commit order) and the days listed in analytics_day_dirty (those of
-- removed events), then advances the marks, in one transaction. The marks start at 0, so the first
-- question after this change set fills the summaries. The tables hold nothing that the events do
-- not, so rolling back loses nothing.
CREATE TABLE analytics_day_kinds (
    epoch_day INTEGER NOT NULL,
    kind TEXT NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (epoch_day, kind)
);
CREATE TABLE analytics_day_groups (
    epoch_day INTEGER NOT NULL,
    question TEXT NOT NULL,
    group_key TEXT,
    group_key2 TEXT,
    events INTEGER NOT NULL,
    hits INTEGER NOT NULL,
    long_sum INTEGER NOT NULL,
    long_count INTEGER NOT NULL,
    real_sum REAL NOT NULL,
    real_count INTEGER NOT NULL,
    real_sum2 REAL NOT NULL
);
CREATE INDEX idx_analytics_day_groups ON analytics_day_groups (epoch_day);
CREATE TABLE analytics_day_durations (
    epoch_day INTEGER NOT NULL,
    tool_name TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (tool_name, bucket, epoch_day, duration_ms)
);
CREATE INDEX idx_analytics_day_durations_day ON analytics_day_durations (epoch_day);
CREATE TABLE analytics_day_buckets (
    epoch_day INTEGER NOT NULL,
    tool_name TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (epoch_day, tool_name, bucket)
);
CREATE TABLE analytics_day_dirty (
    epoch_day INTEGER NOT NULL
);
CREATE TABLE analytics_day_marks (
    table_name TEXT NOT NULL PRIMARY KEY,
    last_rowid INTEGER NOT NULL
);
--rollback DROP TABLE analytics_day_marks; DROP TABLE analytics_day_dirty; DROP TABLE analytics_day_buckets; DROP TABLE analytics_day_durations; DROP TABLE analytics_day_groups; DROP TABLE analytics_day_kinds;
