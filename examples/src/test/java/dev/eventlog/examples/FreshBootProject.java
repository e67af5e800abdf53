package dev.eventlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A new Maven project outside the repository, as a user writes it: it imports Spring Boot's and
 * eventlog's BOMs, depends on the starter (and on logging-postgres, for PostgreSQL), and holds one
 * Boot application that logs an event and exits. Maven builds it against this build's artifacts,
 * never the shared local repository's: a private local repository is seeded with this build's
 * modules (their poms and jars made from their compiled classes), and everything else comes from
 * the shared local repository read as a {@code file:} remote, first, so that nothing is downloaded
 * when this build already has it (Maven Central after it, for what it lacks). Plugins are named
 * with their versions, so no plugin metadata is looked up.
 * Built once per test JVM; its applications run as real processes.
 */
final class FreshBootProject {
    /** The modules an application with the starter resolves, in the order Maven needs them. */
    private static final List<String> JAR_MODULES = List.of("logging-api", "logging-jdbc", "logging-sqlite",
            "logging-postgres", "logging-spring-boot-starter");

    private static FreshBootProject built;

    final Path dir;
    final String classpath;
    final double buildSeconds;

    private FreshBootProject(Path dir, String classpath, double buildSeconds) {
        this.dir = dir;
        this.classpath = classpath;
        this.buildSeconds = buildSeconds;
    }

    /** The project, written and built at the first call. */
    static synchronized FreshBootProject get() throws Exception {
        if (built == null) {
            built = build();
        }
        return built;
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        assertThat(value).as("system property %s (set by examples/pom.xml)", name).isNotBlank();
        return value;
    }

    private static FreshBootProject build() throws Exception {
        Path root = Path.of(property("eventlog.root"));
        String version = property("eventlog.version");
        Path sharedRepository = Path.of(property("eventlog.sharedRepository"));
        Path repository = root.resolve("examples/target/fresh-project-repository");
        Path dir = Files.createTempDirectory("eventlog-fresh-boot-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));

        seed(repository, "eventlog-parent", version, root.resolve("pom.xml"), null);
        seed(repository, "logging-bom", version, root.resolve("logging-bom/pom.xml"), null);
        for (String module : JAR_MODULES) {
            Path classes = root.resolve(module).resolve("target/classes");
            assertThat(classes).as("compiled classes of %s (build the reactor first)", module).isDirectory();
            seed(repository, module, version, root.resolve(module).resolve("pom.xml"), classes);
        }

        Files.writeString(dir.resolve("pom.xml"), pom(version, sharedRepository));
        Path source = Files.createDirectories(dir.resolve("src/main/java/demo"));
        Files.writeString(source.resolve("App.java"), APP);

        List<String> command = new ArrayList<>(List.of(property("eventlog.mvn"), "-B", "-q",
                "-Dmaven.repo.local=" + repository, "compile",
                "org.codehaus.mojo:exec-maven-plugin:3.5.0:exec", "-Dexec.executable=echo",
                "-Dexec.args=%classpath", "-Dexec.outputFile=" + dir.resolve("classpath.txt")));
        long start = System.nanoTime();
        Run maven = Run.of(dir, command, 300);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(maven.exit).as("mvn in the fresh project:%n%s", maven.output).isZero();
        String classpath = Files.readString(dir.resolve("classpath.txt")).strip();
        System.out.printf("fresh Boot project built in %.1f s%n", seconds);
        return new FreshBootProject(dir, classpath, seconds);
    }

    /** Removes the project when the test JVM ends; what cannot be removed stays in the temp directory. */
    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            System.err.println("could not remove " + dir + ": " + e);
        }
    }

    /** Puts {@code artifactId}'s pom, and a jar of {@code classes} when given, in the repository. */
    private static void seed(Path repository, String artifactId, String version, Path pom, Path classes)
            throws IOException {
        Path at = Files.createDirectories(repository.resolve("dev/eventlog").resolve(artifactId).resolve(version));
        String base = artifactId + "-" + version;
        Files.copy(pom, at.resolve(base + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (classes == null) {
            return;
        }
        Path jar = at.resolve(base + ".jar.tmp");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                zip.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        Files.move(jar, at.resolve(base + ".jar"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pom(String version, Path sharedRepository) {
        String cache = """
                  <id>shared-local</id>
                  <url>%s</url>
                  <releases><checksumPolicy>ignore</checksumPolicy></releases>
                  <snapshots><enabled>false</enabled></snapshots>
                """.formatted(sharedRepository.toUri());
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>demo</groupId>
                  <artifactId>fresh-boot-app</artifactId>
                  <version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencyManagement>
                    <dependencies>
                      <dependency>
                        <groupId>org.springframework.boot</groupId>
                        <artifactId>spring-boot-dependencies</artifactId>
                        <version>3.5.7</version>
                        <type>pom</type>
                        <scope>import</scope>
                      </dependency>
                      <dependency>
                        <groupId>dev.eventlog</groupId>
                        <artifactId>logging-bom</artifactId>
                        <version>%s</version>
                        <type>pom</type>
                        <scope>import</scope>
                      </dependency>
                    </dependencies>
                  </dependencyManagement>
                  <dependencies>
                    <dependency>
                      <groupId>org.springframework.boot</groupId>
                      <artifactId>spring-boot-starter</artifactId>
                    </dependency>
                    <dependency>
                      <groupId>dev.eventlog</groupId>
                      <artifactId>logging-spring-boot-starter</artifactId>
                    </dependency>
                    <dependency>
                      <groupId>dev.eventlog</groupId>
                      <artifactId>logging-postgres</artifactId>
                    </dependency>
                  </dependencies>
                  <repositories>
                    <repository>
                %s    </repository>
                  </repositories>
                  <pluginRepositories>
                    <pluginRepository>
                %s    </pluginRepository>
                  </pluginRepositories>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>3.13.0</version>
                      </plugin>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-resources-plugin</artifactId>
                        <version>3.3.1</version>
                      </plugin>
                      <plugin>
                        <groupId>org.codehaus.mojo</groupId>
                        <artifactId>exec-maven-plugin</artifactId>
                        <version>3.5.0</version>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(version, cache, cache);
    }

    private static final String APP = """
            package demo;

            import dev.eventlog.EventLogger;
            import org.springframework.boot.SpringApplication;
            import org.springframework.boot.autoconfigure.SpringBootApplication;
            import org.springframework.context.ConfigurableApplicationContext;

            @SpringBootApplication
            public class App {
                public static void main(String[] args) {
                    try (ConfigurableApplicationContext context = SpringApplication.run(App.class, args)) {
                        EventLogger log = context.getBean(EventLogger.class);
                        log.logToolUse("fresh-app", true, 7);
                        System.out.println("committed " + log.metrics().committed() + " into "
                                + log.store().describe());
                    }
                }
            }
            """;

    /** Runs the application with {@code args} in the project's directory. */
    Run app(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath, "demo.App"));
        command.addAll(List.of(args));
        return Run.of(dir, command, 120);
    }

    /** A finished process: its exit code and its stdout and stderr together. */
    record Run(int exit, String output) {
        static Run of(Path dir, List<String> command, int timeoutSeconds) throws Exception {
            Path log = Files.createTempFile(dir, "run-", ".log");
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(command.get(0) + " did not finish in " + timeoutSeconds + " s:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
