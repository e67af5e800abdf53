package dev.eventlog.cli.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * The effective settings of {@code eventlog serve}, checked by the command before the service
 * starts.
 *
 * @param storeRedacted the store URL with its secrets redacted, for printing
 * @param host the address to listen on
 * @param port the port (0: any free one)
 * @param inbox the inbox folder
 * @param spool the spool folder, or {@code null} for none
 * @param token the bearer token every request must carry, or {@code null} for none
 * @param tokenFile where the token was read from, or {@code null}
 * @param maxBodyBytes the largest body accepted
 * @param requestTimeoutSeconds how long a request (its body included) may take to arrive
 * @param follow the folders of legacy JSONL files to tail ({@code --follow}), none when empty
 * @param followGlob the names of the files started in each followed folder
 * @param followIntervalMillis how long between two passes over the followed folders
 * @param followState where the rejected lines of the followed files are kept, and their checkpoints when the
 *     store does not keep them
 */
public record ServeSettings(String storeRedacted, String host, int port, Path inbox, Path spool, String token,
        Path tokenFile, long maxBodyBytes, int requestTimeoutSeconds, List<Path> follow, String followGlob,
        long followIntervalMillis, Path followState) {

    /** The names of the files started in a followed folder unless told otherwise. */
    public static final String DEFAULT_FOLLOW_GLOB = "*.jsonl";

    /** Settings that follow no folder. */
    public ServeSettings(String storeRedacted, String host, int port, Path inbox, Path spool, String token,
            Path tokenFile, long maxBodyBytes, int requestTimeoutSeconds) {
        this(storeRedacted, host, port, inbox, spool, token, tokenFile, maxBodyBytes, requestTimeoutSeconds, List.of(),
                DEFAULT_FOLLOW_GLOB, 1000, null);
    }

    /** The settings, the list of followed folders copied. */
    public ServeSettings {
        follow = List.copyOf(follow);
    }

    /** The settings as JSON, the token left out (only its file is named). */
    public String toJson() {
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("store", storeRedacted);
        json.put("listen", (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
        json.put("inbox", inbox.toString());
        json.put("spool", spool == null ? null : spool.toString());
        json.put("token_file", tokenFile == null ? null : tokenFile.toString());
        json.put("auth", token == null ? "none" : "bearer");
        json.put("max_body_bytes", maxBodyBytes);
        json.put("request_timeout_seconds", requestTimeoutSeconds);
        ArrayNode folders = json.putArray("follow");
        follow.forEach(dir -> folders.add(dir.toString()));
        json.put("follow_glob", followGlob);
        json.put("follow_interval_seconds", followIntervalMillis / 1000.0);
        json.put("follow_state", followState == null ? null : followState.toString());
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
