package dev.eventlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet of the README compiles against this build, with the imports it shows: a
 * reader can paste it. A snippet's statements are compiled as the body of one method; the
 * variables it takes from around it are declared in an HTML comment just above it
 * ({@code <!-- snippet-parameters: java.nio.file.Path db -->}), invisible on the rendered page.
 */
class ReadmeSnippetsTest {
    private static final Pattern SNIPPET = Pattern.compile(
            "(?:<!-- snippet-parameters: ([^>]*) -->\\n)?```java\\n(.*?)\\n```", Pattern.DOTALL);

    @TempDir
    Path out;

    @TestFactory
    Stream<DynamicTest> everyJavaSnippetOfTheReadmeCompilesWithTheImportsItShows() throws IOException {
        Path readme = Path.of("").toAbsolutePath().getParent().resolve("README.md");
        String text = Files.readString(readme);
        List<DynamicTest> tests = new ArrayList<>();
        Matcher snippet = SNIPPET.matcher(text);
        while (snippet.find()) {
            int line = (int) text.substring(0, snippet.start(2)).lines().count() + 1;
            String parameters = snippet.group(1) == null ? "" : snippet.group(1);
            String code = snippet.group(2);
            tests.add(DynamicTest.dynamicTest("README.md line " + line, () -> compiles(line, parameters, code)));
        }
        assertThat(tests).as("Java snippets in the README").hasSizeGreaterThanOrEqualTo(7);
        System.out.println("README Java snippets compiled: " + tests.size());
        return tests.stream();
    }

    private void compiles(int line, String parameters, String code) {
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String l : code.split("\n", -1)) {
            (l.startsWith("import ") ? imports : body).append(l).append('\n');
        }
        assertThat(imports.toString()).as("README.md line %d shows its imports", line).isNotBlank();
        String className = "Snippet" + line;
        String source = imports + "\nclass " + className + " {\n    @SuppressWarnings(\"unused\")\n    void run("
                + parameters + ") throws Exception {\n" + body + "\n    }\n}\n";
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + className + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        Boolean ok = compiler.getTask(diagnostics, null, null, List.of("-proc:none", "-d", out.toString(),
                "-classpath", System.getProperty("java.class.path")), null, List.of(file)).call();
        assertThat(ok).as("README.md line %d does not compile:%n%s%n%s", line, diagnostics, source).isTrue();
    }
}
