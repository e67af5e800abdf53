package dev.eventlog.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every generic secret form is masked whole, and what names the store stays readable. */
class RedactionTest {

    @Test
    void masksEverySecretFormWholeAndKeepsTheRest() {
        Map<String, String> cases = Map.of(
                "jdbc:postgresql://h:5432/db?user=app&password=ab;cd&currentSchema=s",
                "jdbc:postgresql://h:5432/db?user=app&password=***&currentSchema=s",
                "jdbc:postgresql://h/db?sslpassword=Ssl%3Bpw&password=p",
                "jdbc:postgresql://h/db?sslpassword=***&password=***",
                "postgresql://user:pa%40ss;word@host/db",
                "postgresql://user:***@host/db",
                "jdbc:postgresql://alice:p@ss@host:1/db",
                "jdbc:postgresql://alice:***@host:1/db",
                "x?access_token=t0k&client-secret=s3c&PASSWORD=P",
                "x?access_token=***&client-secret=***&PASSWORD=***",
                "store URL was 'jdbc:postgresql://h/db?password=pw' but",
                "store URL was 'jdbc:postgresql://h/db?password=***' but",
                "jdbc:postgresql://h:5432/db?user=a@b.example&currentSchema=s",
                "jdbc:postgresql://h:5432/db?user=a@b.example&currentSchema=s");

        cases.forEach((text, expected) -> assertThat(Redaction.redact(text)).as(text).isEqualTo(expected));
        System.out.println(cases.size() + " texts redacted");
    }

    @Test
    void findsTheSecretsAsWrittenAndDecoded() {
        assertThat(Redaction.secrets("jdbc:postgresql://bob:Pa55%3Bword@h/db?password=x;y&sslpassword=z%40w"))
                .containsExactlyInAnyOrder("x;y", "z%40w", "z@w", "Pa55%3Bword", "Pa55;word");
        assertThat(Redaction.secrets("sqlite:/tmp/events.db")).isEmpty();
    }
}
