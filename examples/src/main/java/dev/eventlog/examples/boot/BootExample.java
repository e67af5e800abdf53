package dev.eventlog.examples.boot;

import dev.eventlog.EventLogger;
import dev.eventlog.LoggerMetrics;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application that logs through the starter: with no settings, into {@code events.db}
 * in the working directory; {@code --eventlog.store=...} (and the other {@code eventlog.*}
 * properties, README "Spring Boot") send the events elsewhere. It runs {@link Deployer} once, prints
 * what the logger did and exits, closing the context and with it the logger.
 *
 * <p>Run from the repository root:
 * {@code mvn -q -pl examples -am compile exec:java -Dexec.mainClass=dev.eventlog.examples.boot.BootExample}.
 */
@SpringBootApplication
public class BootExample {

    /** Spring makes it. */
    public BootExample() {
    }

    /** Starts the application with {@code args} (e.g. {@code --eventlog.store=sqlite:/tmp/e.db}), runs it, stops it. */
    public static void main(String[] args) {
        try (ConfigurableApplicationContext context = SpringApplication.run(BootExample.class, args)) {
            LoggerMetrics metrics = context.getBean(EventLogger.class).metrics();
            System.out.println("logged " + metrics.logged() + ", committed " + metrics.committed()
                    + ", failed " + metrics.failedEvents() + " into "
                    + context.getBean(EventLogger.class).store().describe());
        }
    }

    /** What the application does when it starts: one deployment. */
    @Bean
    CommandLineRunner deployOnce(Deployer deployer) {
        return args -> deployer.deploy("billing", "v42");
    }
}
