package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.darkscope.io.BundledSample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command that reads event files and takes {@code --skip-bad-lines} says what it skipped: for
 * each input with a bad line, "skipped 1 bad line(s) in FILE" and the line named. Nothing is
 * dropped silently ({@code compare} and {@code trigger quantize} skipped them without a word before).
 */
class SkippedLinesTest {
    @TempDir
    static Path dir;
    /** Background to train on, held-out background, signal, and the data of a search: each with one bad line. */
    static Path train;
    static Path heldOut;
    static Path signal;
    static Path data;
    static Path knn;
    static Path ae;

    @BeforeAll
    static void samplesWithABadLineAndModels() throws IOException {
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "train.csv.gz", "test.csv.gz");
        List<String> background = lines(split.first());
        List<String> rest = lines(split.rest());
        train = withBadLine("train.csv", background.subList(0, 800));
        heldOut = withBadLine("held-out.csv", rest.subList(0, 1200)); // 1 % of it resolved: 12 events, for a trigger's threshold
        List<String> dataLines = new ArrayList<>(rest.subList(1200, 1800));
        dataLines.addAll(lines(split.signal(1)).subList(0, 30));
        data = withBadLine("data.csv", dataLines);
        signal = withBadLine("signal.csv", lines(split.signal(1)).subList(100, 400));
        Path clean = Files.write(dir.resolve("clean-train.csv"), background.subList(0, 800));
        knn = dir.resolve("knn.model");
        ae = dir.resolve("ae.model");
        assertEquals(0, CliRunner.run("train", "--detector", "knn", "--background", clean.toString(), "--out", knn.toString()).exitCode());
        assertEquals(0, CliRunner.run("train", "--detector", "ae", "--background", clean.toString(), "--out", ae.toString(), "--epochs",
                "2").exitCode());
    }

    private static List<String> lines(Path gzipped) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gzipped))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** {@code events} with a line whose MET is not a number after the first ten. */
    private static Path withBadLine(String name, List<String> events) throws IOException {
        List<String> all = new ArrayList<>(events.subList(0, 10));
        all.add("999999;ttbar;1;abc;0.1;j,500000,400000,0.1,0.2;");
        all.addAll(events.subList(10, events.size()));
        return Files.write(dir.resolve(name), all);
    }

    static Stream<Arguments> commands() {
        String out = "OUT";
        return Stream.of(
                Arguments.of(List.of("train", "--detector", "knn", "--background", "TRAIN", "--out", out), List.of("TRAIN")),
                Arguments.of(List.of("score", "--model", "KNN", "--out", out, "HELD", "SIGNAL"), List.of("HELD", "SIGNAL")),
                Arguments.of(List.of("evaluate", "--model", "KNN", "--background", "HELD", "--signal", "SIGNAL"), List.of("HELD", "SIGNAL")),
                Arguments.of(List.of("benchmark", "--train", "TRAIN", "--background", "HELD", "--signal", "SIGNAL", "--detectors", "met",
                        "--out", out), List.of("TRAIN", "HELD", "SIGNAL")),
                Arguments.of(List.of("compare", "--train-background", "TRAIN", "--background", "HELD", "--signal", "SIGNAL", "DATA",
                        "--detectors", "met", "--out", out), List.of("TRAIN", "HELD", "SIGNAL", "DATA")),
                Arguments.of(List.of("search", "--model", "KNN", "--background", "HELD", "--data", "DATA", "--toys", "20"),
                        List.of("HELD", "DATA")),
                Arguments.of(List.of("mix", "--background", "HELD", "--signal", "SIGNAL", "--signal-events", "10", "--out", out + ".csv"),
                        List.of("HELD", "SIGNAL")),
                Arguments.of(List.of("split", "TRAIN", "--train", out + "-a.csv", "--held-out", out + "-b.csv"), List.of("TRAIN")),
                Arguments.of(List.of("unweight", "TRAIN", "--out", out + ".csv"), List.of("TRAIN")),
                Arguments.of(List.of("inspect", "HELD", "SIGNAL"), List.of("HELD", "SIGNAL")),
                Arguments.of(List.of("trigger", "calibrate", "--model", "KNN", "--background", "HELD", "--input-rate", "1000", "--rate", "10",
                        "--signal", "SIGNAL"), List.of("HELD", "SIGNAL")),
                Arguments.of(List.of("trigger", "quantize", "--model", "AE", "--background", "HELD", "--signal", "SIGNAL"),
                        List.of("HELD", "SIGNAL")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void everyCommandSaysWhatItSkipped(List<String> command, List<String> withBadLines) throws IOException {
        Path out = Files.createTempDirectory(dir, command.get(0)).resolve("out");
        String[] args = command.stream().map(a -> path(a, out)).toArray(String[]::new);
        CliRunner r = CliRunner.run(Stream.concat(Stream.of(args), Stream.of("--skip-bad-lines")).toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        for (String input : withBadLines) {
            Path file = Path.of(path(input, out));
            assertTrue(r.err().contains("skipped 1 bad line(s) in " + file), input + " in " + r.err());
            assertTrue(r.err().contains(file + ":11: MET is non-numeric"), input + " in " + r.err());
        }
    }

    private static String path(String placeholder, Path out) {
        return switch (placeholder) {
            case "TRAIN" -> train.toString();
            case "HELD" -> heldOut.toString();
            case "SIGNAL" -> signal.toString();
            case "DATA" -> data.toString();
            case "KNN" -> knn.toString();
            case "AE" -> ae.toString();
            default -> placeholder.startsWith("OUT") ? out + placeholder.substring(3) : placeholder;
        };
    }
}
