package dev.eventlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The import rules of docs/ARCHITECTURE.md hold in the compiled classes of every library module:
 * each package imports only the packages the table allows, no import loop runs through two
 * packages, and the package graph has no cycle but the two the design names (the facade and its
 * SPI; the facade and its own write path). Read with {@code jdeps} from the class files, so a rule
 * cannot be broken by an import the source hides (a fully qualified name, a Javadoc-only link
 * does not count: jdeps sees only real references).
 */
class ArchitectureTest {
    private static final String API = "dev.eventlog";

    /** Package → the packages it may depend on (besides itself and the JDK and third parties). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry(API, Set.of(API + ".spi", API + ".internal.write")),
            Map.entry(API + ".spi", Set.of(API)),
            Map.entry(API + ".analytics", Set.of(API, API + ".spi", API + ".internal.json")),
            Map.entry(API + ".jsonl", Set.of(API, API + ".spi", API + ".internal.json")),
            Map.entry(API + ".migrate", Set.of(API, API + ".spi", API + ".jsonl", API + ".internal.json")),
            Map.entry(API + ".micrometer", Set.of(API)),
            Map.entry(API + ".internal.write", Set.of(API, API + ".spi", API + ".jsonl", API + ".internal.json")),
            Map.entry(API + ".internal.json", Set.of(API)),
            Map.entry(API + ".jdbc", Set.of(API, API + ".spi", API + ".analytics", API + ".internal.json")),
            Map.entry(API + ".sqlite", Set.of(API, API + ".spi", API + ".analytics", API + ".jdbc",
                    API + ".internal.json")),
            Map.entry(API + ".postgres", Set.of(API, API + ".spi", API + ".analytics", API + ".jdbc",
                    API + ".internal.json")),
            Map.entry(API + ".testkit", Set.of(API, API + ".spi", API + ".analytics", API + ".jsonl",
                    API + ".migrate")),
            Map.entry(API + ".kafka", Set.of(API, API + ".spi", API + ".jsonl")),
            Map.entry(API + ".cli", Set.of(API, API + ".spi", API + ".analytics", API + ".jsonl", API + ".migrate",
                    API + ".kafka", API + ".cli.report", API + ".cli.serve", API + ".internal.json")),
            Map.entry(API + ".cli.report", Set.of(API, API + ".analytics", API + ".internal.json")),
            Map.entry(API + ".cli.serve", Set.of(API, API + ".spi", API + ".analytics", API + ".jsonl",
                    API + ".cli.report", API + ".internal.json")),
            Map.entry(API + ".spring", Set.of(API, API + ".spi", API + ".micrometer", API + ".postgres")));

    /**
     * The two-way package edges the design has on purpose. The facade's arrow into each is ignored,
     * so a loop that needs it is the designed one (the write path writes its spool with
     * {@code jsonl} and {@code internal.json}, which speak in the facade's events, so they share the
     * write path's loop); any other arrow from the facade that closes a loop is a breach.
     */
    private static final Map<String, String> DESIGNED_TWO_WAY = Map.of(
            API + ".spi", API,              // the SPI speaks in events; the facade takes a store
            API + ".internal.write", API);  // the facade's own write path uses its options and events

    private static final Map<String, Set<String>> classEdges = new TreeMap<>();

    @BeforeAll
    static void readTheClassFilesOfEveryLibraryModule() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        List<String> modules = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            boolean ours = path.toString().replace('\\', '/').matches(".*/logging-[a-z-]+/target/classes")
                    || (path.getFileName().toString().startsWith("logging-") && entry.endsWith(".jar"));
            if (!ours || !Files.exists(path)) {
                continue;
            }
            modules.add(path.toString());
            StringWriter out = new StringWriter();
            int exit = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:class",
                    "-filter:none", path.toString());
            assertThat(exit).as("jdeps on %s", path).isZero();
            for (String line : out.toString().split("\n")) {
                String[] words = line.trim().split("\\s+");
                if (words.length >= 3 && words[1].equals("->") && words[0].startsWith(API + ".")
                        && words[2].startsWith(API + ".")) {
                    String from = outer(words[0]);
                    String to = outer(words[2]);
                    if (!from.equals(to)) {
                        classEdges.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                    }
                }
            }
        }
        System.out.println("modules read: " + modules.size() + ", classes with dependencies: " + classEdges.size());
        assertThat(modules).as("library modules on the class path").hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void everyPackageImportsOnlyThePackagesTheArchitectureAllows() {
        List<String> breaches = new ArrayList<>();
        for (Map.Entry<String, Set<String>> edge : classEdges.entrySet()) {
            String from = packageOf(edge.getKey());
            for (String target : edge.getValue()) {
                String to = packageOf(target);
                if (!from.equals(to) && !ALLOWED.getOrDefault(from, Set.of()).contains(to)) {
                    breaches.add(edge.getKey() + " -> " + target);
                }
            }
        }
        System.out.println("package rules checked over " + packageGraph().size() + " packages; breaches: "
                + breaches.size());
        assertThat(breaches).isEmpty();
    }

    @Test
    void noImportLoopRunsThroughTwoPackages() {
        List<Set<String>> crossing = new ArrayList<>();
        for (Set<String> component : stronglyConnected(classEdges)) {
            if (component.stream().map(ArchitectureTest::packageOf).distinct().count() > 1) {
                crossing.add(component);
            }
        }
        System.out.println("class import loops through two or more packages: " + crossing.size());
        assertThat(crossing).isEmpty();
    }

    @Test
    void thePackageGraphHasNoCycleButTheTwoTheDesignNames() {
        Map<String, Set<String>> graph = packageGraph();
        DESIGNED_TWO_WAY.forEach((from, to) -> graph.getOrDefault(to, new TreeSet<>()).remove(from));
        List<Set<String>> cycles = stronglyConnected(graph).stream().filter(c -> c.size() > 1).toList();
        System.out.println("package cycles besides the designed ones: " + cycles.size());
        assertThat(cycles).isEmpty();
    }

    private static Map<String, Set<String>> packageGraph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        classEdges.forEach((from, targets) -> {
            for (String target : targets) {
                if (!packageOf(from).equals(packageOf(target))) {
                    graph.computeIfAbsent(packageOf(from), k -> new TreeSet<>()).add(packageOf(target));
                }
            }
        });
        return graph;
    }

    private static String outer(String className) {
        int nested = className.indexOf('$');
        return nested < 0 ? className : className.substring(0, nested);
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    /** Tarjan's strongly connected components. */
    private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> components = new ArrayList<>();
        int[] counter = {0};
        Set<String> nodes = new TreeSet<>(graph.keySet());
        graph.values().forEach(nodes::addAll);
        for (String node : nodes) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, onStack, components, counter);
            }
        }
        return components;
    }

    private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> components,
            int[] counter) {
        index.put(node, counter[0]);
        low.put(node, counter[0]++);
        stack.push(node);
        onStack.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, graph, index, low, stack, onStack, components, counter);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            components.add(component);
        }
    }
}
