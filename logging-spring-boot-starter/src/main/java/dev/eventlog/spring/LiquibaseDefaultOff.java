package dev.eventlog.spring;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Keeps the Liquibase that the SQL stores bring along from starting Spring Boot's own Liquibase
 * migration of the application's DataSource. Spring Boot runs that migration whenever Liquibase is
 * on the class path and there is a DataSource, and fails to start without the default changelog
 * {@code db/changelog/db.changelog-master.yaml}; an application that did not use Liquibase before
 * adding the starter would no longer start. So, as the lowest-precedence default,
 * {@code spring.liquibase.enabled=false}, unless the application uses Liquibase itself: it sets
 * {@code spring.liquibase.enabled} or {@code spring.liquibase.change-log}, or has the default
 * changelog. The stores run their own changelogs, not through Spring Boot.
 */
public final class LiquibaseDefaultOff implements EnvironmentPostProcessor {
    static final String SOURCE = "eventlog-liquibase-default";
    private static final String DEFAULT_CHANGELOG = "db/changelog/db.changelog-master.yaml";

    /** Creates the post-processor; Spring Boot calls it. */
    public LiquibaseDefaultOff() {
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty("spring.liquibase.enabled")
                || environment.containsProperty("spring.liquibase.change-log")
                || new ClassPathResource(DEFAULT_CHANGELOG, application.getClassLoader()).exists()) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE,
                Map.of("spring.liquibase.enabled", "false")));
    }
}
