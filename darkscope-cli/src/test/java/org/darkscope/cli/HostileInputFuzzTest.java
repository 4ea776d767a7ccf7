package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.io.BundledSample;
import org.darkscope.io.CsvRows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of what a user hands darkscope: event lines and model manifests mutated at
 * random. Whatever the mutation, a command ends with an exit code of the contract, names the
 * problem without a stack trace or a raw Java exception, writes nothing when it fails, and writes
 * only finite scores when it succeeds.
 */
class HostileInputFuzzTest {
    private static final long SEED = 20261206;
    /** What a failure may print: never a stack trace, never an exception's class name in place of a message. */
    private static final List<String> RAW = List.of("\tat ", "Exception", "java.lang.", "Error:");

    @TempDir
    static Path dir;
    static Path model;
    static List<String> lines;

    @BeforeAll
    static void trainAModel() throws IOException {
        Path sample = BundledSample.extractTo(dir.resolve("sample"));
        model = dir.resolve("knn.model");
        CliRunner r = CliRunner.run("train", "--detector", "knn", "--background", sample.resolve(BundledSample.BACKGROUND).toString(),
                "--out", model.toString(), "--max-events", "1500");
        assertTrue(r.exitCode() == 0, r.err());
        try (InputStream in = new GZIPInputStream(Files.newInputStream(sample.resolve(BundledSample.SIGNALS.get(0))))) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().limit(40).toList();
        }
    }

    /** 300 files, each of valid lines and one to three mutated ones, scored strictly and leniently. */
    @Test
    void mutatedEventLines() throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        int[] outcomes = new int[4];
        for (int run = 0; run < 300; run++) {
            List<String> text = new ArrayList<>(lines.subList(0, 8));
            List<String> mutations = new ArrayList<>();
            for (int m = 1 + random.nextInt(3); m > 0; m--) {
                int at = random.nextInt(text.size());
                String mutated = mutate(text.get(at), random);
                mutations.add(mutated.length() > 200 ? mutated.substring(0, 200) + "..." : mutated);
                text.set(at, mutated);
            }
            Path events = dir.resolve("fuzz-" + run + (random.nextBoolean() ? ".csv" : ".csv.gz"));
            byte[] bytes = (String.join("\n", text) + "\n").getBytes(StandardCharsets.UTF_8);
            if (events.toString().endsWith(".gz")) {
                try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(events))) {
                    out.write(bytes);
                }
            } else {
                Files.write(events, bytes);
            }
            String what = "run " + run + ", mutated lines " + mutations;
            outcomes[score(events, what, Set.of(0, 3))]++;
            score(events, what + " (lenient)", Set.of(0, 3), "--skip-bad-lines");
        }
        System.out.println("mutated event lines: " + outcomes[0] + " files scored, " + outcomes[3] + " refused with exit 3");
        assertTrue(outcomes[3] > 100 && outcomes[0] > 10, "the mutations reach both outcomes");
    }

    /**
     * 200 copies of a bundle with its manifest mutated: random bytes flipped (caught by the seal),
     * or a value replaced, a key removed, with the seal rewritten as a deliberate editor would:
     * then the loader's own checks must catch whatever would harm the scores.
     */
    @Test
    void mutatedManifests() throws IOException {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        Path events = dir.resolve("valid.csv");
        Files.write(events, lines);
        byte[] manifest = Files.readAllBytes(model.resolve(ModelBundle.MANIFEST));
        JsonNode tree = Json.MAPPER.readTree(manifest);
        int[] outcomes = new int[4];
        for (int run = 0; run < 200; run++) {
            Path copy = Files.createDirectories(dir.resolve("bundle-" + run));
            try (var files = Files.list(model)) {
                for (Path f : files.toList()) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
            String what;
            if (run % 2 == 0) {
                byte[] flipped = manifest.clone();
                int at = random.nextInt(flipped.length);
                flipped[at] ^= (byte) (1 << random.nextInt(8));
                Files.write(copy.resolve(ModelBundle.MANIFEST), flipped);
                what = "run " + run + ": bit flipped at byte " + at + ", not resealed";
                score(events, copy, what, Set.of(3));
            } else {
                ObjectNode edited = tree.deepCopy();
                String change = edit(edited, random);
                ModelCommandsTest.editManifest(copy, Json.MAPPER.writeValueAsString(edited));
                outcomes[score(events, copy, "run " + run + ": " + change + ", resealed", Set.of(0, 3))]++;
            }
        }
        System.out.println("edited, resealed manifests: " + outcomes[0] + " scored, " + outcomes[3] + " refused with exit 3");
        assertTrue(outcomes[3] > 30, "the edits reach the loader's checks");
    }

    private static int score(Path events, String what, Set<Integer> allowed, String... extra) throws IOException {
        return score(events, model, what, allowed, extra);
    }

    /** Scores, checks the outcome against the promises, and returns the exit code. */
    private static int score(Path events, Path bundle, String what, Set<Integer> allowed, String... extra) throws IOException {
        Path out = dir.resolve("scores.csv");
        Files.deleteIfExists(out);
        List<String> args = new ArrayList<>(List.of("score", "--model", bundle.toString(), "--out", out.toString(), events.toString()));
        args.addAll(List.of(extra));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertTrue(allowed.contains(r.exitCode()), what + ": exit " + r.exitCode() + ", " + r.err());
        for (String raw : RAW) {
            assertFalse(r.err().contains(raw), what + ": raw exception text on stderr: " + r.err());
        }
        assertTrue(r.err().length() < 2000, what + ": a message of " + r.err().length() + " characters");
        if (r.exitCode() != 0) {
            assertFalse(Files.exists(out), what + ": output left after exit " + r.exitCode());
            assertTrue(r.err().startsWith("darkscope score: error: "), what + ": " + r.err());
            return r.exitCode();
        }
        List<List<String>> rows = CsvRows.parse(Files.readString(out, StandardCharsets.UTF_8));
        for (List<String> row : rows.subList(1, rows.size())) {
            assertTrue(row.size() == 4 && Double.isFinite(Double.parseDouble(row.get(3))), what + ": row " + row);
        }
        return 0;
    }

    /** One random mutation of an event line. */
    private static String mutate(String line, SplittableRandom random) {
        StringBuilder s = new StringBuilder(line);
        int at = s.length() == 0 ? 0 : random.nextInt(s.length());
        String[] numbers = {"1e308", "-1e308", "1.7976931348623157e309", "NaN", "Infinity", "-0", "4.9e-324", "0x1p3", "1e", "--1", ".",
            "1,5", "99999999999999999999999999999", "\u0661\u0662", "+3", " 5", "1_000"};
        switch (s.length() == 0 ? 2 : random.nextInt(12)) {
            case 0 -> s.setCharAt(at, (char) random.nextInt(0, 0x80)); // any ASCII, control characters included
            case 1 -> s.deleteCharAt(at);
            case 2 -> s.insert(at, new String[] {";", ",", "\"", "\r", "\u0000", "\u001b[31m", "\uFEFF", "\u00e9", "\uD83D\uDE00"}
                    [random.nextInt(9)]);
            case 3 -> s.setLength(at);
            case 4 -> { // a number replaced by an extreme or malformed one
                String[] fields = line.split("[;,]", -1);
                String target = fields[random.nextInt(fields.length)];
                int i = target.isEmpty() ? -1 : line.indexOf(target);
                if (i >= 0) {
                    s.replace(i, i + target.length(), numbers[random.nextInt(numbers.length)]);
                }
            }
            case 5 -> s.insert(at, "x".repeat(random.nextInt(1, 3_000_000))); // an enormous field, beyond the line limit at times
            case 6 -> s.append(";j,1,1,1,1".repeat(random.nextInt(1, 40))); // objects out of pT order, many of them
            case 7 -> s.replace(0, s.length(), "");
            case 8 -> s.insert(at, (char) random.nextInt(0x80, 0x800)); // a character beyond ASCII
            case 9 -> s.append(";").append(line); // two events on one line
            case 10 -> s.replace(0, s.indexOf(";") + 1, ""); // a field missing
            default -> { // a field's type letter replaced
                int semi = line.indexOf(';', line.indexOf(';', line.indexOf(';', line.indexOf(';', line.indexOf(';') + 1) + 1) + 1) + 1);
                if (semi > 0 && semi + 1 < s.length()) {
                    s.setCharAt(semi + 1, "jbemgpqz?"
                            .charAt(random.nextInt(9)));
                }
            }
        }
        return s.toString();
    }

    /** One random edit of a manifest's JSON tree; says what it did. */
    private static String edit(ObjectNode root, SplittableRandom random) {
        List<ObjectNode> parents = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<ArrayNode> arrays = new ArrayList<>();
        collect(root, parents, keys, arrays);
        if (random.nextInt(3) == 0) { // a number inside an array: the encoder's means and scales, the epochs' losses
            ArrayNode array = arrays.get(random.nextInt(arrays.size()));
            int index = random.nextInt(array.size());
            double[] extremes = {0, -1, 1e300, -1e300, 1e-300, 3};
            double value = extremes[random.nextInt(extremes.length)];
            array.set(index, JsonNodeFactory.instance.numberNode(value));
            return "an array's element " + index + " set to " + value;
        }
        int i = random.nextInt(keys.size());
        ObjectNode parent = parents.get(i);
        String key = keys.get(i);
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonNode[] values = {f.nullNode(), f.textNode(""), f.textNode("x"), f.numberNode(-1), f.numberNode(0), f.numberNode(1e300),
            f.numberNode(Long.MAX_VALUE), f.arrayNode(), f.objectNode(), f.booleanNode(true), f.textNode("../../etc/passwd"),
            f.numberNode(2.5)};
        if (random.nextInt(5) == 0) {
            parent.remove(key);
            return "removed " + key;
        }
        JsonNode value = values[random.nextInt(values.length)];
        parent.set(key, value);
        return key + " set to " + value;
    }

    /** Every key of every object in the tree, with its object, and every non-empty array of numbers. */
    private static void collect(JsonNode node, List<ObjectNode> parents, List<String> keys, List<ArrayNode> arrays) {
        if (node instanceof ObjectNode object) {
            object.fieldNames().forEachRemaining(k -> {
                parents.add(object);
                keys.add(k);
                collect(object.get(k), parents, keys, arrays);
            });
        } else if (node instanceof ArrayNode array) {
            if (!array.isEmpty() && array.get(0).isNumber()) {
                arrays.add(array);
            }
            array.forEach(e -> collect(e, parents, keys, arrays));
        }
    }
}
