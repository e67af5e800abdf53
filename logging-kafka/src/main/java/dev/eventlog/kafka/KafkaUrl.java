package dev.eventlog.kafka;

import dev.eventlog.ConfigurationException;
import dev.eventlog.spi.EventStores;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code kafka://HOST:PORT[,HOST:PORT...]/TOPIC[?PARAMS]} URL. The parameters
 * {@code partitions} and {@code replication} apply when the store creates the topic; any
 * parameter whose name has a dot (such as {@code compression.type} or {@code security.protocol})
 * is passed to the Kafka clients as it is. Immutable.
 *
 * @param bootstrap the {@code bootstrap.servers} list
 * @param topic the topic
 * @param partitions the partitions of a topic the store creates
 * @param replication the replication factor of a topic the store creates
 * @param clientProperties the parameters passed to the Kafka clients
 */
public record KafkaUrl(String bootstrap, String topic, int partitions, short replication,
        Map<String, String> clientProperties) {
    /** The scheme of a Kafka store's URL. */
    public static final String SCHEME = "kafka://";

    private static final Pattern FORM = Pattern.compile("kafka://([^/?#\\s]+)/([A-Za-z0-9._-]+)(?:\\?(.*))?");

    /** Copies the client properties. */
    public KafkaUrl {
        clientProperties = Map.copyOf(clientProperties);
    }

    /**
     * Parses {@code url}.
     *
     * @throws ConfigurationException naming the problem when {@code url} is not of the form
     */
    public static KafkaUrl parse(String url) {
        Matcher m = FORM.matcher(url == null ? "" : url.strip());
        if (!m.matches()) {
            throw new ConfigurationException("store URL was '" + EventStores.redact(url)
                    + "' but it must be kafka://HOST:PORT/TOPIC (the topic of letters, digits, '.', '_' and '-')");
        }
        int partitions = 1;
        short replication = 1;
        Map<String, String> client = new LinkedHashMap<>();
        if (m.group(3) != null && !m.group(3).isEmpty()) {
            for (String pair : m.group(3).split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (name) {
                    case "partitions" -> partitions = positive(url, name, value);
                    case "replication" -> replication = (short) positive(url, name, value);
                    default -> {
                        if (!name.contains(".")) {
                            throw new ConfigurationException("store URL '" + EventStores.redact(url)
                                    + "' has the parameter '" + name + "' but it may have only partitions, replication"
                                    + " and Kafka client properties (names with a dot, e.g. compression.type)");
                        }
                        client.put(name, value);
                    }
                }
            }
        }
        return new KafkaUrl(m.group(1), m.group(2), partitions, replication, client);
    }

    /** The URL of the dead-letter topic of this one: the same servers, the topic {@code TOPIC.dlq}. */
    public String deadLetterTopic() {
        return topic + ".dlq";
    }

    /** The URL as it may be printed, without parameters (which may hold credentials). */
    public String describe() {
        return SCHEME + bootstrap + "/" + topic;
    }

    private static int positive(String url, String name, String value) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n > 0 && n <= Short.MAX_VALUE) {
            return n;
        }
        throw new ConfigurationException("store URL '" + EventStores.redact(url) + "' has " + name + "='" + value
                + "' but it must be a whole number from 1 to " + Short.MAX_VALUE);
    }
}
