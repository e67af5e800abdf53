package dev.eventlog;

import java.util.List;
import java.util.Objects;

/**
 * One use of a tool: which, whether it succeeded, how long it took and what it touched.
 *
 * <p>Stored as {@link EventKind#TOOL_USE}. Any typed field may be {@code null} in an
 * event read back or imported; {@link #builder()} requires {@code tool_name}, {@code success}. Immutable and thread-safe.
 */
public record ToolUseEvent(Envelope envelope, String toolName, String toolType, Boolean success, Long exitCode, Long durationMs, List<String> filePaths, String projectPath) implements Event {

    /** @throws InvalidEventException when a number is not finite */
    public ToolUseEvent {
        Objects.requireNonNull(envelope, "envelope");
        toolName = Values.text("tool_name", toolName);
        toolType = Values.text("tool_type", toolType);
        filePaths = Values.textList("file_paths", filePaths);
        projectPath = Values.text("project_path", projectPath);
    }

    @Override
    public EventKind kind() {
        return EventKind.TOOL_USE;
    }

    /** A builder for this event; the envelope defaults to now and a new id. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ToolUseEvent}; not thread-safe. */
    public static final class Builder extends EventBuilder<Builder> {
        private String toolName;
        private String toolType;
        private Boolean success;
        private Long exitCode;
        private Long durationMs;
        private List<String> filePaths;
        private String projectPath;

        Builder() {
        }

        /** Sets tool_name (required). */
        public Builder toolName(String toolName) {
            this.toolName = toolName;
            return this;
        }

        /** Sets tool_type. */
        public Builder toolType(String toolType) {
            this.toolType = toolType;
            return this;
        }

        /** Sets success (required). */
        public Builder success(boolean success) {
            this.success = success;
            return this;
        }

        /** Sets exit_code. */
        public Builder exitCode(long exitCode) {
            this.exitCode = exitCode;
            return this;
        }

        /** Sets duration_ms. */
        public Builder durationMs(long durationMs) {
            this.durationMs = durationMs;
            return this;
        }

        /** Sets file_paths. */
        public Builder filePaths(List<String> filePaths) {
            this.filePaths = filePaths;
            return this;
        }

        /** Sets project_path. */
        public Builder projectPath(String projectPath) {
            this.projectPath = projectPath;
            return this;
        }

        /**
         * The event.
         *
         * @throws InvalidEventException when a required field is missing or a number is not finite
         */
        public ToolUseEvent build() {
            Values.require("tool_name", toolName);
            Values.require("success", success);
            return new ToolUseEvent(envelope(), toolName, toolType, success, exitCode, durationMs, filePaths, projectPath);
        }
    }
}
