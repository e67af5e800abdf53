package dev.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain overloads of {@link EventLogger} — the {@code log…} methods that take positional
 * arguments rather than a built event — cannot take one text in another's place: none takes two
 * {@code String}s, the README lists exactly them, and the old misuse no longer compiles.
 */
class PlainOverloadsTest {
    private static final Pattern README_LIST = Pattern.compile(
            "<!-- plain-overloads -->\\n(.*?)<!-- /plain-overloads -->", Pattern.DOTALL);
    private static final Pattern README_ITEM = Pattern.compile("^- `([^`]+)`", Pattern.MULTILINE);

    @TempDir
    Path out;

    /** The public {@code log…} methods of the logger that take no event and no list of events. */
    static List<Method> plainOverloads() {
        return Arrays.stream(EventLogger.class.getMethods())
                .filter(m -> m.getDeclaringClass() == EventLogger.class && m.getName().startsWith("log"))
                .filter(m -> Arrays.stream(m.getParameterTypes())
                        .noneMatch(t -> Event.class.isAssignableFrom(t) || Collection.class.isAssignableFrom(t)))
                .sorted((a, b) -> signature(a).compareTo(signature(b)))
                .toList();
    }

    /** {@code name(Type parameter, …)} with simple type names, as the README spells it. */
    static String signature(Method method) {
        Parameter[] parameters = method.getParameters();
        List<String> spelled = new ArrayList<>();
        for (Parameter parameter : parameters) {
            assertThat(parameter.isNamePresent()).as("%s is compiled with -parameters", method).isTrue();
            String type = parameter.getParameterizedType().getTypeName().replaceAll("\\b[a-z][\\w]*\\.", "");
            spelled.add(type.replace(",", ", ").replace(",  ", ", ") + " " + parameter.getName());
        }
        return method.getName() + "(" + String.join(", ", spelled) + ")";
    }

    @Test
    void noPlainOverloadTakesTwoStrings() {
        List<Method> plain = plainOverloads();
        assertThat(plain).as("plain overloads").isNotEmpty();
        for (Method method : plain) {
            long strings = Arrays.stream(method.getParameterTypes()).filter(t -> t == String.class).count();
            assertThat(strings).as("%s takes %d Strings: two texts could be swapped and still compile; set "
                    + "them by name on the builder instead", signature(method), strings).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void noPublicMethodOfTheFacadeTakesTwoStrings() throws IOException {
        Path classes = Path.of(EventLogger.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .resolve("dev/eventlog");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.list(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = file.getFileName().toString().replace(".class", "");
                Class<?> type = classFor(name);
                if (!Modifier.isPublic(type.getModifiers())) {
                    continue;
                }
                for (Method method : type.getDeclaredMethods()) {
                    long strings = Arrays.stream(method.getParameterTypes()).filter(t -> t == String.class).count();
                    if (Modifier.isPublic(method.getModifiers()) && strings > 1) {
                        offenders.add(type.getSimpleName() + "." + method.getName());
                    }
                }
            }
        }
        assertThat(offenders).as("public methods of dev.eventlog that take two Strings").isEmpty();
    }

    private static Class<?> classFor(String binaryName) {
        try {
            return Class.forName("dev.eventlog." + binaryName);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("no class dev.eventlog." + binaryName, e);
        }
    }

    @Test
    void theReadmeListsEveryPlainOverload() throws IOException {
        String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
        Matcher list = README_LIST.matcher(readme);
        assertThat(list.find()).as("README.md has a <!-- plain-overloads --> list").isTrue();
        List<String> listed = README_ITEM.matcher(list.group(1)).results().map(m -> m.group(1)).sorted().toList();
        List<String> actual = plainOverloads().stream().map(PlainOverloadsTest::signature).toList();
        assertThat(listed).as("the README's list of plain overloads (README.md, <!-- plain-overloads -->)")
                .containsExactlyElementsOf(actual);
    }

    @Test
    void theOldMisuseNoLongerCompilesAndTheIntendedCallDoes() {
        assertThat(compile("log.logSessionOutcome(\"success\", 0.9, 0.42);")).as("the intended call").isEmpty();
        assertThat(compile("log.logToolUse(\"Bash\", true, 180);")).as("a plain overload").isEmpty();
        // An outcome where the session id was, and the other texts of the removed overloads.
        assertThat(compile("log.logSessionOutcome(\"s-0001\", \"success\", 0.9, 0.42);"))
                .contains("logSessionOutcome");
        assertThat(compile("log.logSelfHeal(\"git-username-typo\", \"Rewrote URL\", true, 42);"))
                .contains("logSelfHeal");
        assertThat(compile("log.logGitCommit(\"main\", \"claude-home\", \"abc123\", \"feat\", 3);"))
                .contains("logGitCommit");
        assertThat(compile("log.logCoordinator(\"spawn\", \"agent-1\", \"ok\");")).contains("logCoordinator");
    }

    /** Compiles {@code statement} in a method given an {@code EventLogger log}; the errors, or "" when it compiles. */
    private String compile(String statement) {
        String source = "import dev.eventlog.EventLogger;\nclass Caller {\n    void run(EventLogger log) {\n        "
                + statement + "\n    }\n}\n";
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Caller.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        Boolean ok = compiler.getTask(diagnostics, null, null, List.of("-proc:none", "-d", out.toString(),
                "-classpath", System.getProperty("java.class.path")), null, List.of(file)).call();
        return ok ? "" : diagnostics.toString().lines().filter(l -> l.contains("error")).collect(Collectors.joining("\n"))
                + "\n" + diagnostics;
    }
}
