package dev.eventlog;

import java.util.Objects;

/**
 * Git activity: a commit, push, pull request, merge or branch event.
 *
 * <p>Stored as {@link EventKind#GIT}. Any typed field may be {@code null} in an
 * event read back or imported; {@link #builder()} requires {@code event_type}, {@code repo}. Immutable and thread-safe.
 */
public record GitEvent(Envelope envelope, String eventType, String repo, String branch, String commitHash, String message, Long filesChanged, Long additions, Long deletions, String author, Long commits) implements Event {

    /** @throws InvalidEventException when a number is not finite */
    public GitEvent {
        Objects.requireNonNull(envelope, "envelope");
        eventType = Values.text("event_type", eventType);
        repo = Values.text("repo", repo);
        branch = Values.text("branch", branch);
        commitHash = Values.text("commit_hash", commitHash);
        message = Values.text("message", message);
        author = Values.text("author", author);
    }

    @Override
    public EventKind kind() {
        return EventKind.GIT;
    }

    /** A builder for this event; the envelope defaults to now and a new id. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link GitEvent}; not thread-safe. */
    public static final class Builder extends EventBuilder<Builder> {
        private String eventType;
        private String repo;
        private String branch;
        private String commitHash;
        private String message;
        private Long filesChanged;
        private Long additions;
        private Long deletions;
        private String author;
        private Long commits;

        Builder() {
        }

        /** Sets event_type (required). */
        public Builder eventType(String eventType) {
            this.eventType = eventType;
            return this;
        }

        /** Sets repo (required). */
        public Builder repo(String repo) {
            this.repo = repo;
            return this;
        }

        /** Sets branch. */
        public Builder branch(String branch) {
            this.branch = branch;
            return this;
        }

        /** Sets commit_hash. */
        public Builder commitHash(String commitHash) {
            this.commitHash = commitHash;
            return this;
        }

        /** Sets message. */
        public Builder message(String message) {
            this.message = message;
            return this;
        }

        /** Sets files_changed. */
        public Builder filesChanged(long filesChanged) {
            this.filesChanged = filesChanged;
            return this;
        }

        /** Sets additions. */
        public Builder additions(long additions) {
            this.additions = additions;
            return this;
        }

        /** Sets deletions. */
        public Builder deletions(long deletions) {
            this.deletions = deletions;
            return this;
        }

        /** Sets author. */
        public Builder author(String author) {
            this.author = author;
            return this;
        }

        /** Sets commits. */
        public Builder commits(long commits) {
            this.commits = commits;
            return this;
        }

        /**
         * The event.
         *
         * @throws InvalidEventException when a required field is missing or a number is not finite
         */
        public GitEvent build() {
            Values.require("event_type", eventType);
            Values.require("repo", repo);
            return new GitEvent(envelope(), eventType, repo, branch, commitHash, message, filesChanged, additions, deletions, author, commits);
        }
    }
}
