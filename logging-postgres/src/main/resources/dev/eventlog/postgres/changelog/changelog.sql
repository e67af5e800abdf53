--liquibase formatted sql

-- The eventlog schema for PostgreSQL. Ids are uuid primary keys, times timestamptz (millisecond
-- precision, UTC), attributes jsonb with a GIN index, file_paths a jsonb array, booleans boolean.
-- Each *_view shows the same rows with ISO-8601 UTC text times, as in the SQLite store, so a query
-- against the views reads the same in both. Tables are created unqualified: the store runs
-- Liquibase with the search_path set to its schema. Every change set has its rollback.

--changeset eventlog:create-git_events
CREATE TABLE git_events (
    id uuid NOT NULL PRIMARY KEY,
    ts timestamptz NOT NULL,
    session_id text,
    source text,
    attributes jsonb NOT NULL DEFAULT '{}',
    event_type text,
    repo text,
    branch text,
    commit_hash text,
    message text,
    files_changed bigint,
    additions bigint,
    deletions bigint,
    author text,
    commits bigint
);
CREATE INDEX idx_git_events_ts ON git_events (ts);
CREATE INDEX idx_git_events_event_type ON git_events (event_type);
CREATE INDEX idx_git_events_repo ON git_events (repo);
CREATE INDEX idx_git_events_branch ON git_events (branch);
CREATE INDEX idx_git_events_attributes ON git_events USING gin (attributes);
--rollback DROP TABLE git_events;

--changeset eventlog:create-self_heal_events
CREATE TABLE self_heal_events (
    id uuid NOT NULL PRIMARY KEY,
    ts timestamptz NOT NULL,
    session_id text,
    source text,
    attributes jsonb NOT NULL DEFAULT '{}',
    error_pattern text,
    fix_applied text,
    success boolean,
    execution_time_ms bigint,
    error_message text,
    context text,
    severity text
);
CREATE INDEX idx_self_heal_events_ts ON self_heal_events (ts);
CREATE INDEX idx_self_heal_events_error_pattern ON self_heal_events (error_pattern);
CREATE INDEX idx_self_heal_events_success ON self_heal_events (success);
CREATE INDEX idx_self_heal_events_severity ON self_heal_events (severity);
CREATE INDEX idx_self_heal_events_attributes ON self_heal_events USING gin (attributes);
--rollback DROP TABLE self_heal_events;

--changeset eventlog:create-recovery_events
CREATE TABLE recovery_events (
    id uuid NOT NULL PRIMARY KEY,
    ts timestamptz NOT NULL,
    session_id text,
    source text,
    attributes jsonb NOT NULL DEFAULT '{}',
    error_type text,
    recovery_strategy text,
    success boolean,
    attempts bigint,
    time_to_recover_ms bigint,
    error_details text,
    recovery_method text
);
CREATE INDEX idx_recovery_events_ts ON recovery_events (ts);
CREATE INDEX idx_recovery_events_error_type ON recovery_events (error_type);
CREATE INDEX idx_recovery_events_success ON recovery_events (success);
CREATE INDEX idx_recovery_events_recovery_strategy ON recovery_events (recovery_strategy);
CREATE INDEX idx_recovery_events_attributes ON recovery_events USING gin (attributes);
--rollback DROP TABLE recovery_events;

--changeset eventlog:create-routing_metrics_events
CREATE TABLE routing_metrics_events (
    id uuid NOT NULL PRIMARY KEY,
    ts timestamptz NOT NULL,
    session_id text,
    source text,
    attributes jsonb NOT NULL DEFAULT '{}',
    query_id text,
    predicted_model text,
    actual_model text,
    dq_score double precision,
    complexity double precision,
    accuracy boolean,
    cost_saved double precision,
    reasoning text,
    query_text text
);
CREATE INDEX idx_routing_metrics_events_ts ON routing_metrics_events (ts);
CREATE INDEX idx_routing_metrics_events_accuracy ON routing_metrics_events (accuracy);
CREATE INDEX idx_routing_metrics_events_predicted_model ON routing_metrics_events (predicted_model);
CREATE INDEX idx_routing_metrics_events_attributes ON routing_metrics_events USING gin (attributes);
--rollback DROP TABLE routing_metrics_events;

--changeset eventlog:create-session_outcome_events
CREATE TABLE session_outcome_events (
    id uuid NOT NULL PRIMARY KEY,
    ts timestamptz NOT NULL,
    session_id text,
    source text,
    attributes jsonb NOT NULL DEFAULT '{}',
    outcome text,
    quality double precision,
    complexity double precision,
    intent text,
    model text,
    messages_count bigint,
    duration_minutes double precision,
    cost_usd double precision,
    success boolean,
    summary text
);
CREATE INDEX idx_session_outcome_events_ts ON session_outcome_events (ts);
CREATE INDEX idx_session_outcome_events_session_id ON session_outcome_events (session_id);
CREATE INDEX idx_session_outcome_events_outcome ON session_outcome_events (outcome);
CREATE INDEX idx_session_outcome_events_attributes ON session_outcome_events USING gin (attributes);
--rollback DROP TABLE session_outcome_events;

--changeset eventlog:create-tool_events
CREATE TABLE tool_events (
    id uuid NOT NULL PRIMARY KEY,
    ts timestamptz NOT NULL,
    session_id text,
    source text,
    attributes jsonb NOT NULL DEFAULT '{}',
    tool_name text,
    tool_type text,
    success boolean,
    exit_code bigint,
    duration_ms bigint,
    file_paths jsonb,
    project_path text
);
CREATE INDEX idx_tool_events_ts ON tool_events (ts);
CREATE INDEX idx_tool_events_tool_name ON tool_events (tool_name);
CREATE INDEX idx_tool_events_session_id ON tool_events (session_id);
CREATE INDEX idx_tool_events_attributes ON tool_events USING gin (attributes);
--rollback DROP TABLE tool_events;

--changeset eventlog:create-activity_events
CREATE TABLE activity_events (
    id uuid NOT NULL PRIMARY KEY,
    ts timestamptz NOT NULL,
    session_id text,
    source text,
    attributes jsonb NOT NULL DEFAULT '{}',
    activity_type text,
    description text,
    project_path text
);
CREATE INDEX idx_activity_events_ts ON activity_events (ts);
CREATE INDEX idx_activity_events_activity_type ON activity_events (activity_type);
CREATE INDEX idx_activity_events_attributes ON activity_events USING gin (attributes);
--rollback DROP TABLE activity_events;

--changeset eventlog:create-coordinator_events
CREATE TABLE coordinator_events (
    id uuid NOT NULL PRIMARY KEY,
    ts timestamptz NOT NULL,
    session_id text,
    source text,
    attributes jsonb NOT NULL DEFAULT '{}',
    agent_id text,
    action text,
    strategy text,
    file_path text,
    result text,
    duration_ms bigint,
    exit_code bigint
);
CREATE INDEX idx_coordinator_events_ts ON coordinator_events (ts);
CREATE INDEX idx_coordinator_events_agent_id ON coordinator_events (agent_id);
CREATE INDEX idx_coordinator_events_action ON coordinator_events (action);
CREATE INDEX idx_coordinator_events_attributes ON coordinator_events USING gin (attributes);
--rollback DROP TABLE coordinator_events;

--changeset eventlog:create-expertise_routing_events
CREATE TABLE expertise_routing_events (
    id uuid NOT NULL PRIMARY KEY,
    ts timestamptz NOT NULL,
    session_id text,
    source text,
    attributes jsonb NOT NULL DEFAULT '{}',
    domain text,
    expertise_level double precision,
    query_complexity double precision,
    chosen_model text,
    reasoning text,
    query_hash text
);
CREATE INDEX idx_expertise_routing_events_ts ON expertise_routing_events (ts);
CREATE INDEX idx_expertise_routing_events_domain ON expertise_routing_events (domain);
CREATE INDEX idx_expertise_routing_events_chosen_model ON expertise_routing_events (chosen_model);
CREATE INDEX idx_expertise_routing_events_attributes ON expertise_routing_events USING gin (attributes);
--rollback DROP TABLE expertise_routing_events;

--changeset eventlog:create-custom_events
CREATE TABLE custom_events (
    id uuid NOT NULL PRIMARY KEY,
    ts timestamptz NOT NULL,
    session_id text,
    source text,
    attributes jsonb NOT NULL DEFAULT '{}',
    kind text
);
CREATE INDEX idx_custom_events_ts ON custom_events (ts);
CREATE INDEX idx_custom_events_kind ON custom_events (kind);
CREATE INDEX idx_custom_events_attributes ON custom_events USING gin (attributes);
--rollback DROP TABLE custom_events;

--changeset eventlog:create-iso-time-views
CREATE VIEW git_events_view AS SELECT id, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, session_id, source, event_type, repo, branch, commit_hash, message, files_changed, additions, deletions, author, commits, attributes FROM git_events;
CREATE VIEW self_heal_events_view AS SELECT id, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, session_id, source, error_pattern, fix_applied, success, execution_time_ms, error_message, context, severity, attributes FROM self_heal_events;
CREATE VIEW recovery_events_view AS SELECT id, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, session_id, source, error_type, recovery_strategy, success, attempts, time_to_recover_ms, error_details, recovery_method, attributes FROM recovery_events;
CREATE VIEW routing_metrics_events_view AS SELECT id, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, session_id, source, query_id, predicted_model, actual_model, dq_score, complexity, accuracy, cost_saved, reasoning, query_text, attributes FROM routing_metrics_events;
CREATE VIEW session_outcome_events_view AS SELECT id, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, session_id, source, outcome, quality, complexity, intent, model, messages_count, duration_minutes, cost_usd, success, summary, attributes FROM session_outcome_events;
CREATE VIEW tool_events_view AS SELECT id, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, session_id, source, tool_name, tool_type, success, exit_code, duration_ms, file_paths, project_path, attributes FROM tool_events;
CREATE VIEW activity_events_view AS SELECT id, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, session_id, source, activity_type, description, project_path, attributes FROM activity_events;
CREATE VIEW coordinator_events_view AS SELECT id, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, session_id, source, agent_id, action, strategy, file_path, result, duration_ms, exit_code, attributes FROM coordinator_events;
CREATE VIEW expertise_routing_events_view AS SELECT id, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, session_id, source, domain, expertise_level, query_complexity, chosen_model, reasoning, query_hash, attributes FROM expertise_routing_events;
CREATE VIEW custom_events_view AS SELECT id, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, session_id, source, kind, attributes FROM custom_events;
--rollback DROP VIEW git_events_view; DROP VIEW self_heal_events_view; DROP VIEW recovery_events_view; DROP VIEW routing_metrics_events_view; DROP VIEW session_outcome_events_view; DROP VIEW tool_events_view; DROP VIEW activity_events_view; DROP VIEW coordinator_events_view; DROP VIEW expertise_routing_events_view; DROP VIEW custom_events_view;

--changeset eventlog:create-analytics-views
-- What the analytics questions (EventAnalytics) are asked of, as in the SQLite store: one row per
-- event with its time, the column it is grouped by, its flag as 0/1 (a NULL flag is not true, so 0)
-- and the values that are averaged or added. The store applies the time range to ts and groups.
-- epoch_day is the UTC day as days since 1970-01-01. In psql, e.g.:
--   SELECT error_pattern, count(*), 100.0 * avg(succeeded) FROM analytics_self_heal_view GROUP BY 1;
CREATE VIEW analytics_event_days_view AS
    SELECT text 'git' AS kind, ts, (ts AT TIME ZONE 'UTC')::date - DATE '1970-01-01' AS epoch_day FROM git_events
    UNION ALL SELECT 'self_heal', ts, (ts AT TIME ZONE 'UTC')::date - DATE '1970-01-01' FROM self_heal_events
    UNION ALL SELECT 'recovery', ts, (ts AT TIME ZONE 'UTC')::date - DATE '1970-01-01' FROM recovery_events
    UNION ALL SELECT 'routing_metric', ts, (ts AT TIME ZONE 'UTC')::date - DATE '1970-01-01' FROM routing_metrics_events
    UNION ALL SELECT 'session_outcome', ts, (ts AT TIME ZONE 'UTC')::date - DATE '1970-01-01' FROM session_outcome_events
    UNION ALL SELECT 'tool_use', ts, (ts AT TIME ZONE 'UTC')::date - DATE '1970-01-01' FROM tool_events
    UNION ALL SELECT 'activity', ts, (ts AT TIME ZONE 'UTC')::date - DATE '1970-01-01' FROM activity_events
    UNION ALL SELECT 'coordinator', ts, (ts AT TIME ZONE 'UTC')::date - DATE '1970-01-01' FROM coordinator_events
    UNION ALL SELECT 'expertise_routing', ts, (ts AT TIME ZONE 'UTC')::date - DATE '1970-01-01' FROM expertise_routing_events
    UNION ALL SELECT 'custom', ts, (ts AT TIME ZONE 'UTC')::date - DATE '1970-01-01' FROM custom_events;
CREATE VIEW analytics_routing_view AS SELECT ts, predicted_model, CASE WHEN accuracy THEN 1 ELSE 0 END AS accurate FROM routing_metrics_events;
CREATE VIEW analytics_self_heal_view AS SELECT ts, error_pattern, CASE WHEN success THEN 1 ELSE 0 END AS succeeded FROM self_heal_events;
CREATE VIEW analytics_recovery_view AS SELECT ts, recovery_strategy, CASE WHEN success THEN 1 ELSE 0 END AS succeeded, time_to_recover_ms FROM recovery_events;
CREATE VIEW analytics_session_view AS SELECT ts, outcome, quality, cost_usd FROM session_outcome_events;
CREATE VIEW analytics_tool_use_view AS SELECT ts, tool_name, CASE WHEN success THEN 1 ELSE 0 END AS succeeded, duration_ms FROM tool_events;
CREATE VIEW analytics_git_commits_view AS SELECT ts, repo FROM git_events WHERE event_type = 'commit';
--rollback DROP VIEW analytics_event_days_view; DROP VIEW analytics_routing_view; DROP VIEW analytics_self_heal_view; DROP VIEW analytics_recovery_view; DROP VIEW analytics_session_view; DROP VIEW analytics_tool_use_view; DROP VIEW analytics_git_commits_view;

--changeset eventlog:analytics-tool-index
-- The duration percentiles read each tool's durations in order: with this index PostgreSQL reads
-- them from the index alone, already sorted (on 1 000 000 tool events about 0.3 s instead of 1.1 s).
-- The other questions are hashed aggregates over a sequential scan and need no index. It replaces
-- the single-column index on tool_name, so appends maintain no more indexes.
DROP INDEX idx_tool_events_tool_name;
CREATE INDEX idx_tool_events_analytics ON tool_events (tool_name, duration_ms) INCLUDE (success, ts);
--rollback DROP INDEX idx_tool_events_analytics; CREATE INDEX idx_tool_events_tool_name ON tool_events (tool_name);

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
-- them, and so can anyone at the psql prompt, e.g.:
--   SELECT * FROM session_summary_view ORDER BY last_ts DESC LIMIT 10;
-- session_summary_view: one row per non-null session_id. Its success_score is computed with the same
-- double-precision operations, in the same order, as the library's SessionScore.
CREATE VIEW session_summary_view AS
SELECT session_id, first_ts, last_ts, events, tool_calls, tool_failures, tool_success_rate, distinct_tools,
    outcome, quality, cost_usd, model, messages_count, workflow,
    CASE WHEN tool_success_rate IS NULL AND outcome IS NULL AND quality IS NULL THEN NULL
        ELSE floor(100 * ((CASE WHEN tool_success_rate IS NULL THEN 0 ELSE CAST(0.4 AS DOUBLE PRECISION) * tool_success_rate END)
            + (CASE WHEN outcome IS NULL THEN 0 ELSE CAST(0.35 AS DOUBLE PRECISION) * (CASE outcome WHEN 'success' THEN 1.0 WHEN 'partial' THEN 0.5 ELSE 0.0 END) END)
            + (CASE WHEN quality IS NULL THEN 0 ELSE CAST(0.25 AS DOUBLE PRECISION) * (CASE WHEN quality < 0 THEN 0.0 WHEN quality > 1 THEN 1.0 ELSE quality END) END))
            / ((CASE WHEN tool_success_rate IS NULL THEN 0 ELSE CAST(0.4 AS DOUBLE PRECISION) END)
            + (CASE WHEN outcome IS NULL THEN 0 ELSE CAST(0.35 AS DOUBLE PRECISION) END)
            + (CASE WHEN quality IS NULL THEN 0 ELSE CAST(0.25 AS DOUBLE PRECISION) END)) * 10 + 0.5) / 10.0 END AS success_score
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
    (SELECT coalesce(jsonb_object_agg(action, n), '{}'::jsonb) FROM (SELECT action, count(*) AS n FROM coordinator_events c
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

--changeset eventlog:create-session-functions
-- For the psql prompt: SELECT * FROM session_stats('s-1'); SELECT session_success_score('s-1');
-- They read the views of the schema they were created in, whatever the caller's search_path.
CREATE FUNCTION session_stats(session_id text) RETURNS SETOF session_summary_view LANGUAGE sql STABLE SET search_path FROM CURRENT AS 'SELECT s.* FROM session_summary_view s WHERE s.session_id = $1';
CREATE FUNCTION session_success_score(session_id text) RETURNS double precision LANGUAGE sql STABLE SET search_path FROM CURRENT AS 'SELECT s.success_score FROM session_summary_view s WHERE s.session_id = $1';
--rollback DROP FUNCTION session_success_score(text); DROP FUNCTION session_stats(text);

--changeset eventlog:analytics-routing-matrix
-- The predicted-vs-actual matrix of routing decisions: one row per event whose predicted and actual
-- models are both known, as in the SQLite store. In psql, e.g.:
--   SELECT predicted_model, actual_model, count(*) FROM analytics_routing_matrix_view GROUP BY 1, 2;
CREATE VIEW analytics_routing_matrix_view AS SELECT ts, predicted_model, actual_model FROM routing_metrics_events
    WHERE predicted_model IS NOT NULL AND actual_model IS NOT NULL;
--rollback DROP VIEW analytics_routing_matrix_view;

--changeset eventlog:create-follow-checkpoints
-- Where 'eventlog serve --follow' keeps how far each followed file is stored (README, "Following legacy
-- files"), as in the SQLite store: one row per followed folder (follower_key) and file identity
-- (file_key), its checkpoint a JSON object, written in the same transaction as the events it describes.
CREATE TABLE eventlog_follow_checkpoints (
    follower_key text NOT NULL,
    file_key text NOT NULL,
    checkpoint text NOT NULL,
    PRIMARY KEY (follower_key, file_key)
);
--rollback DROP TABLE eventlog_follow_checkpoints;

--changeset eventlog:create-session-summary
-- derived: session_summary, workflow_summary, session_dirty
-- The session questions over many sessions (README, "Sessions") read session_summary, one row per
-- session with the fields of session_summary_view, instead of grouping every event on each call.
-- Many processes append at once, so a sequence or a high-water mark would miss a transaction that
-- commits late; instead each append inserts the distinct session ids of its batch into session_dirty
-- (one multi-row insert per batch), committed with the events. Before a question is answered the
-- library takes those rows (DELETE ... RETURNING), recomputes their sessions from their events and
-- replaces their rows, in one transaction under an advisory lock, so a late commit is found by the
-- next refresh and two refreshes never overwrite each other. Removing events lists their sessions
-- there too. Rows written by other means than the library are not listed.
-- session_summary and session_dirty hold nothing that the events do not, so rolling back loses nothing.
CREATE TABLE session_summary (
    session_id text NOT NULL PRIMARY KEY,
    first_ts timestamptz NOT NULL,
    last_ts timestamptz NOT NULL,
    events bigint NOT NULL,
    tool_calls bigint NOT NULL,
    tool_failures bigint NOT NULL,
    tool_success_rate double precision,
    distinct_tools bigint NOT NULL,
    outcome text,
    quality double precision,
    cost_usd double precision,
    model text,
    messages_count bigint,
    workflow text,
    success_score double precision
);
CREATE INDEX idx_session_summary_last_ts ON session_summary (last_ts DESC, session_id COLLATE "C");
CREATE INDEX idx_session_summary_workflow ON session_summary (workflow, success_score, last_ts);
CREATE INDEX idx_session_summary_score ON session_summary (success_score, last_ts);
-- workflow_summary: per workflow, its sessions and their scores (a sum of integer tenths, so that the
-- refresh adds and subtracts sessions exactly), which the all-time workflow question reads.
CREATE TABLE workflow_summary (
    workflow text NOT NULL PRIMARY KEY,
    sessions bigint NOT NULL,
    score_tenths bigint NOT NULL,
    scored bigint NOT NULL
);
CREATE TABLE session_dirty (
    session_id text NOT NULL
);
-- Agent usage reads the coordinator events grouped by agent and action, and each agent's distinct
-- sessions, from these two indexes alone, already in order (no temporary b-tree for the distinct
-- count); they replace the index on agent_id, their first column: one index more on this table.
DROP INDEX idx_coordinator_events_agent_id;
CREATE INDEX idx_coordinator_events_agents ON coordinator_events (agent_id, action) INCLUDE (duration_ms, ts);
CREATE INDEX idx_coordinator_events_agent_sessions ON coordinator_events (agent_id, session_id) INCLUDE (ts);
INSERT INTO session_summary (session_id, first_ts, last_ts, events, tool_calls, tool_failures, tool_success_rate,
    distinct_tools, outcome, quality, cost_usd, model, messages_count, workflow, success_score)
SELECT session_id, first_ts, last_ts, events, tool_calls, tool_failures, tool_success_rate, distinct_tools, outcome,
    quality, cost_usd, model, messages_count, workflow, success_score FROM session_summary_view;
INSERT INTO workflow_summary (workflow, sessions, score_tenths, scored)
SELECT workflow, count(*), coalesce(sum(CAST(round(success_score * 10) AS bigint)), 0), count(success_score)
FROM session_summary WHERE workflow IS NOT NULL GROUP BY workflow;
--rollback DROP INDEX idx_coordinator_events_agent_sessions; DROP INDEX idx_coordinator_events_agents; CREATE INDEX idx_coordinator_events_agent_id ON coordinator_events (agent_id); DROP TABLE session_dirty; DROP TABLE workflow_summary; DROP TABLE session_summary;

--changeset eventlog:create-analytics-rollup
-- derived: analytics_day_kinds, analytics_day_groups, analytics_day_buckets, analytics_day_durations, analytics_day_dirty
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
-- Each append inserts the distinct days of its batch into analytics_day_dirty, committed with the
-- events, as it does its sessions into session_dirty; removing events lists their days too. Before a
-- question is answered the library takes those rows (DELETE ... RETURNING) and recomputes their days
-- from the events under the advisory lock of the session refresh. The tables hold nothing that the
-- events do not, so rolling back loses nothing; every day with events is listed as dirty here, so
-- the first question after this change set fills the summaries.
CREATE TABLE analytics_day_kinds (
    epoch_day integer NOT NULL,
    kind text NOT NULL,
    events bigint NOT NULL,
    PRIMARY KEY (epoch_day, kind)
);
CREATE TABLE analytics_day_groups (
    epoch_day integer NOT NULL,
    question text NOT NULL,
    group_key text,
    group_key2 text,
    events bigint NOT NULL,
    hits bigint NOT NULL,
    long_sum bigint NOT NULL,
    long_count bigint NOT NULL,
    real_sum double precision NOT NULL,
    real_count bigint NOT NULL,
    real_sum2 double precision NOT NULL
);
CREATE INDEX idx_analytics_day_groups ON analytics_day_groups (epoch_day);
CREATE TABLE analytics_day_durations (
    epoch_day integer NOT NULL,
    tool_name text NOT NULL,
    bucket bigint NOT NULL,
    duration_ms bigint NOT NULL,
    events bigint NOT NULL,
    PRIMARY KEY (tool_name, bucket, epoch_day, duration_ms)
);
CREATE INDEX idx_analytics_day_durations_day ON analytics_day_durations (epoch_day);
CREATE TABLE analytics_day_buckets (
    epoch_day integer NOT NULL,
    tool_name text NOT NULL,
    bucket bigint NOT NULL,
    events bigint NOT NULL,
    PRIMARY KEY (epoch_day, tool_name, bucket)
);
CREATE TABLE analytics_day_dirty (
    epoch_day integer NOT NULL
);
INSERT INTO analytics_day_dirty (epoch_day) SELECT DISTINCT epoch_day FROM analytics_event_days_view;
--rollback DROP TABLE analytics_day_dirty; DROP TABLE analytics_day_buckets; DROP TABLE analytics_day_durations; DROP TABLE analytics_day_groups; DROP TABLE analytics_day_kinds;
