package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JVM options of bin/darkscope for the streaming commands: the methods they name exist (a
 * renamed method would silently lose its setting), and bench/run.sh, which starts the ingest
 * benchmark without the launcher, gives the same options.
 */
class LauncherTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern METHOD = Pattern.compile("CompileCommand=\\w+,([\\w.$]+)::(\\w+)");

    /** The options of the streaming commands' line in the launcher: one bash array, perhaps over lines. */
    private static List<String> streamingOptions(Path script, String start) throws IOException {
        String text = Files.readString(script);
        int from = text.indexOf(start);
        assertTrue(from >= 0, script + " has no " + start);
        int open = text.indexOf('(', from + start.length() - 1);
        int close = text.indexOf(')', open);
        List<String> options = new ArrayList<>(Arrays.asList(text.substring(open + 1, close).trim().split("\\s+")));
        options.removeIf(String::isEmpty);
        return options;
    }

    @Test
    void theStreamingCommandsOptionsNameMethodsThatExistAndTheBenchmarkGivesTheSame() throws Exception {
        List<String> launcher = new ArrayList<>(List.of("-XX:+UseSerialGC"));
        launcher.addAll(streamingOptions(ROOT.resolve("bin/darkscope"), "jit=("));
        List<String> bench = streamingOptions(ROOT.resolve("bench/run.sh"), "streaming=(");
        assertEquals(launcher, bench);
        int named = 0;
        for (String option : launcher) {
            Matcher m = METHOD.matcher(option);
            if (m.find()) {
                Class<?> owner = Class.forName(m.group(1));
                String name = m.group(2);
                assertTrue(Arrays.stream(owner.getDeclaredMethods()).map(Method::getName).anyMatch(name::equals),
                        option + ": " + owner.getName() + " has no method " + name);
                named++;
            }
        }
        assertTrue(named > 0, "the launcher names no method: " + launcher);
        // without it, each compile command prints a line to standard output, into the command's own output
        assertTrue(launcher.contains("-XX:CompileCommand=quiet"), "no -XX:CompileCommand=quiet: " + launcher);
    }
}
