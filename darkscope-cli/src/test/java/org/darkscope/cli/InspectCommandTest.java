package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.darkscope.io.BundledSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class InspectCommandTest {
    @TempDir
    Path dir;

    @Test
    void countsEventsAndProcessesOfTheSampleAsAPlainLineCountDoes() throws IOException {
        Path sample = BundledSample.extractTo(dir.resolve("sample"));
        Path background = sample.resolve(BundledSample.BACKGROUND);
        Path signal = sample.resolve(BundledSample.SIGNALS.get(0));
        Path json = dir.resolve("inspect.json");
        CliRunner r = CliRunner.run("inspect", background.toString(), signal.toString(), "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode root = Json.MAPPER.readTree(json.toFile());
        long[] expected = {0, 0};
        long ttbar = 0;
        for (int f = 0; f < 2; f++) {
            Path file = f == 0 ? background : signal;
            try (var in = new GZIPInputStream(Files.newInputStream(file))) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                    if (!line.isBlank()) {
                        expected[f]++;
                        if (line.split(";")[1].equals("ttbar")) {
                            ttbar++;
                        }
                    }
                }
            }
            assertEquals(expected[f], root.get("files").get(f).get("events").asLong());
            assertEquals(0, root.get("files").get(f).get("bad_lines").asLong());
            assertEquals(file.toString(), root.get("files").get(f).get("file").asText());
        }
        assertEquals(expected[0] + expected[1], root.get("events").asLong());
        assertEquals(ttbar, root.get("files").get(0).get("processes").get("ttbar").asLong());
        assertEquals(0, root.get("bad_lines").asLong());
        double medianMet = root.get("files").get(0).get("met_gev").get("median").asDouble();
        assertTrue(medianMet > 200 && medianMet < 600, "channel 1 requires MET >= 200 GeV: " + medianMet);
        // the bundled background: one weight per process (ttbar's, as the data card gives it to four digits)
        JsonNode weights = root.get("files").get(0).get("weights");
        assertEquals(false, weights.get("weighted_within_processes").asBoolean());
        assertEquals(0, weights.get("negative").asLong());
        assertEquals(1.124e-4, weights.get("ranges").get("ttbar").get(0).asDouble(), 1e-7);
        assertEquals(weights.get("ranges").get("ttbar").get(0).asDouble(), weights.get("ranges").get("ttbar").get(1).asDouble());
        assertTrue(r.out().contains("  weights: one per process\n"), r.out());
    }

    /** A sample weighted within a process (a slice ten times heavier, an NLO counter-event) is said so, with what that means. */
    @Test
    void weightsThatDifferWithinAProcessAreSaid() throws IOException {
        Path file = Files.write(dir.resolve("sliced.csv"), List.of(
                "1;wjets;0.5;250000;1.0;j,300000,250000,0.1,0.2;",
                "2;wjets;5;250000;1.0;j,300000,250000,0.1,0.2;",
                "3;ttbar;-0.1;250000;1.0;j,300000,250000,0.1,0.2;",
                "4;ttbar;0.1;250000;1.0;j,300000,250000,0.1,0.2;"));
        Path json = dir.resolve("sliced.json");
        CliRunner r = CliRunner.run("inspect", file.toString(), "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("  weights: differ within a process (ttbar -0.100 to 0.100, wjets 0.500 to 5.00; 1 weighted negative):"
                + " detectors learn from events counted once"), r.out());
        JsonNode weights = Json.MAPPER.readTree(json.toFile()).get("files").get(0).get("weights");
        assertTrue(weights.get("weighted_within_processes").asBoolean());
        assertEquals(1, weights.get("negative").asLong());
        assertEquals(5.0, weights.get("ranges").get("wjets").get(1).asDouble());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing field       | 2;ttbar;0.5                              | missing field",
        "unknown label       | 2;ttbar;0.5;250000;1.0;q,1,1,0,0;        | unknown object label 'q'",
        "non-numeric         | 2;ttbar;zero;250000;1.0;                 | event weight is non-numeric",
        "non-finite          | 2;ttbar;0.5;250000;1.0;j,inf,1,0,0;      | non-finite",
        "negative energy     | 2;ttbar;0.5;250000;1.0;j,-1,1,0,0;       | negative energy",
        "negative pt         | 2;ttbar;0.5;250000;1.0;j,1,-1,0,0;       | negative pt",
        "wrong object fields | 2;ttbar;0.5;250000;1.0;j,1,1,0;          | 4 fields",
    })
    void badLinesExitWith3NamingTheLineOrAreSkippedAndReported(String kind, String bad, String problem) throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "1;ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;\n" + bad.trim() + "\n"
                + "3;ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;\n");
        Path json = dir.resolve("out.json");
        CliRunner strict = CliRunner.run("inspect", file.toString(), "--json", json.toString());
        assertEquals(3, strict.exitCode(), kind);
        assertTrue(strict.err().contains(file + ":2: "), strict.err());
        assertTrue(strict.err().contains(problem.trim()), strict.err());
        assertFalse(Files.exists(json), "no output on failure");

        CliRunner lenient = CliRunner.run("inspect", file.toString(), "--skip-bad-lines", "--json", json.toString());
        assertEquals(0, lenient.exitCode(), lenient.err());
        assertTrue(lenient.err().contains("skipped 1 bad line(s)"), lenient.err());
        assertTrue(lenient.err().contains(file + ":2: "), lenient.err());
        JsonNode root = Json.MAPPER.readTree(json.toFile());
        assertEquals(2, root.get("events").asLong());
        assertEquals(1, root.get("bad_lines").asLong());
    }

    @Test
    void emptyFileAndTruncatedGzipExitWith3() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.csv"));
        CliRunner r = CliRunner.run("inspect", empty.toString());
        assertEquals(3, r.exitCode());
        assertTrue(r.err().contains(empty + ": file is empty"), r.err());

        Path gz = dir.resolve("cut.csv.gz");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 20000; i++) {
            text.append(i).append(";ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;\n");
        }
        var bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.toString().getBytes(StandardCharsets.US_ASCII));
        }
        byte[] all = bytes.toByteArray();
        Files.write(gz, java.util.Arrays.copyOf(all, all.length * 2 / 3));
        CliRunner cut = CliRunner.run("inspect", gz.toString(), "--skip-bad-lines");
        assertEquals(3, cut.exitCode());
        assertTrue(cut.err().matches("(?s).*" + java.util.regex.Pattern.quote(gz.toString()) + ":\\d+: gzip stream is truncated.*"), cut.err());
    }

    @Test
    void missingFileIsBadInputAndUnknownOptionIsBadUsage() {
        assertEquals(3, CliRunner.run("inspect", dir.resolve("nope.csv").toString()).exitCode());
        assertEquals(2, CliRunner.run("inspect", "--frobnicate", "x").exitCode());
        assertEquals(2, CliRunner.run("inspect").exitCode());
        assertEquals(2, CliRunner.run("no-such-command").exitCode());
    }

    @Test
    void everyCommandsHelpIsWrittenWithoutPicocliWarnings() {
        CommandLine cli = new CommandLine(new Main());
        Main.SUBCOMMANDS.forEach(cli::addSubcommand);
        List<List<String>> commands = new ArrayList<>();
        addCommands(cli, new ArrayList<>(), commands);
        assertTrue(commands.contains(List.of("trigger", "run")), commands.toString());
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream(); // picocli warns on System.err, a '%' unescaped in a description
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (List<String> command : commands) {
                List<String> args = new ArrayList<>(command);
                args.add("--help");
                CliRunner r = CliRunner.run(args.toArray(String[]::new));
                assertEquals(0, r.exitCode(), command + ": " + r.err());
                assertTrue(r.out().contains("Usage: darkscope " + String.join(" ", command) + " "), command + ": " + r.out());
            }
        } finally {
            System.setErr(stderr);
        }
        assertEquals("", warnings.toString(StandardCharsets.UTF_8));
    }

    private static void addCommands(CommandLine parent, List<String> path, List<List<String>> commands) {
        for (var sub : parent.getSubcommands().entrySet()) {
            List<String> command = new ArrayList<>(path);
            command.add(sub.getKey());
            commands.add(command);
            String[] description = sub.getValue().getCommandSpec().usageMessage().description();
            assertTrue(description[0].endsWith("."), command + ": the list shows a cut sentence: " + description[0]); // its line in the list
            for (String element : description) { // picocli starts a line at every element: none may end mid-sentence
                String line = element.replace("%n", "");
                assertTrue(line.matches("[A-Z][a-z ]*: darkscope .*") || line.matches("(?s).*[.;:]$"), // an example, or a whole sentence
                        command + ": a description line ends mid-sentence: " + line);
            }
            addCommands(sub.getValue(), command, commands);
        }
    }

    @Test
    void helpListsTheCommands() {
        CliRunner r = CliRunner.run("--help");
        assertEquals(0, r.exitCode());
        for (String command : List.of("demo", "inspect", "train", "info", "score", "evaluate", "benchmark", "mix", "search", "trigger",
                "spark")) {
            assertTrue(r.out().contains("\n  " + command + " "), command + " missing from: " + r.out());
        }
        CliRunner none = CliRunner.run();
        assertEquals(2, none.exitCode(), "no command is bad usage");
        assertTrue(none.err().contains("Usage: darkscope") && none.out().isEmpty(), none.err());
    }
}
