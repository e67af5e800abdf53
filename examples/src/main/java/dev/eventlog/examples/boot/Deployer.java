package dev.eventlog.examples.boot;

import dev.eventlog.ActivityEvent;
import dev.eventlog.EventLogger;
import java.util.Map;
import org.springframework.stereotype.Service;

/** An application service that logs what it does through the injected {@link EventLogger}. */
@Service
public class Deployer {
    private final EventLogger log;

    /** The service, logging through {@code log} (the starter's bean). */
    public Deployer(EventLogger log) {
        this.log = log;
    }

    /** Deploys {@code version} of {@code service}, logging the step and its outcome. */
    public void deploy(String service, String version) {
        long start = System.nanoTime();
        log.logActivity(ActivityEvent.builder().activityType("deploy").description(service + " " + version)
                .projectPath("/srv/" + service).build());
        log.logCustom("deployment", Map.of("service", service, "version", version));
        log.logToolUse("rollout", true, (System.nanoTime() - start) / 1_000_000);
    }
}
