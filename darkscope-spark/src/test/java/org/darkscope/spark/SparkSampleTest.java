package org.darkscope.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.darkscope.io.BundledSample;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark sample}: a seeded sample of distributed events, the same whatever the partitioning
 * and whether read from CSV or from its Parquet conversion, of the size the fraction says, nested
 * in a larger fraction's sample, and good for training a model that the Spark jobs then score.
 */
class SparkSampleTest {
    @TempDir
    Path dir;

    private static SparkJobsTest.Run spark(String master, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of(args[0], "--master", master), Stream.of(args).skip(1)).toArray(String[]::new);
        int code = SparkMain.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new SparkJobsTest.Run(code, out.toString(), err.toString());
    }

    @Test
    void theSampleIsSeededReproducibleAndTrainsAModelTheJobsScore() throws Exception {
        Path sample = BundledSample.extractTo(dir.resolve("sample"));
        // the background as four files in a directory, as a data set comes
        List<String> raw = new ArrayList<>();
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(sample.resolve(BundledSample.BACKGROUND)))) {
            raw.addAll(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList());
        }
        Path data = Files.createDirectories(dir.resolve("data"));
        int quarter = raw.size() / 4;
        for (int f = 0; f < 4; f++) {
            Files.write(data.resolve("part-" + f + ".csv"), raw.subList(f * quarter, f == 3 ? raw.size() : (f + 1) * quarter));
        }
        Path one = dir.resolve("one.csv");
        Path two = dir.resolve("two.csv.gz");
        Path larger = dir.resolve("larger.csv");
        assertEquals(0, spark("local[1]", "sample", "--fraction", "0.3", "--seed", "7", "--out", one.toString(), data.toString()).code());
        SparkJobsTest.Run r = spark("local[2]", "sample", "--fraction", "0.3", "--seed", "7", "--out", two.toString(), data.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(0, spark("local[2]", "sample", "--fraction", "0.6", "--seed", "7", "--out", larger.toString(), data.toString()).code());
        List<String> first = Files.readAllLines(one);
        List<String> second;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(two))) {
            second = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
        assertEquals(first, second, "one core or two, plain or gzip: the same events in the same order");
        // about 30 % of the events: within 5 binomial standard deviations
        double sigma = Math.sqrt(raw.size() * 0.3 * 0.7);
        assertEquals(0.3 * raw.size(), first.size(), 5 * sigma, first.size() + " of " + raw.size());
        Set<String> all = new HashSet<>(raw);
        assertTrue(all.containsAll(first), "every sampled line is an input line, as it was");
        assertTrue(new HashSet<>(Files.readAllLines(larger)).containsAll(first), "the 30 % sample lies within the 60 % one");
        assertTrue(spark("local[1]", "sample", "--fraction", "0.3", "--seed", "8", "--out", dir.resolve("other.csv").toString(),
                data.toString()).code() == 0);
        assertTrue(!Files.readAllLines(dir.resolve("other.csv")).equals(first), "another seed, other events");
        // the same data as Parquet: the same events, in the same order
        Path parquet = dir.resolve("events.parquet");
        assertEquals(0, spark("local[2]", "convert", "--out", parquet.toString(), data.toString()).code());
        Path fromParquet = dir.resolve("from-parquet.csv");
        r = spark("local[2]", "sample", "--fraction", "0.3", "--seed", "7", "--out", fromParquet.toString(), parquet.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(EventFiles.read(one, ParseMode.STRICT, -1), EventFiles.read(fromParquet, ParseMode.STRICT, -1),
                "CSV or Parquet: the same events");
        // refused: an existing output, a fraction outside (0, 1]
        assertEquals(2, spark("local[1]", "sample", "--fraction", "0.3", "--out", one.toString(), data.toString()).code());
        assertEquals(2, spark("local[1]", "sample", "--fraction", "1.5", "--out", dir.resolve("x.csv").toString(), data.toString()).code());

        // train on the sample, score the whole data set on Spark: the command line's scores
        Path model = dir.resolve("ae.model");
        assertEquals(0, SparkJobsTest.cli("train", "--detector", "ae", "--background", two.toString(), "--out", model.toString(),
                "--epochs", "2").code());
        Path out = dir.resolve("scores");
        r = spark("local[2]", "score", "--model", model.toString(), "--out", out.toString(), data.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("scored " + raw.size() + " events"), r.out());
    }

    @Test
    void aSkippedLineIsCountedOnceAndSaid() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1;ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;\n2;ttbar;0.5;250000;1.0;q,1,1,0,0;\n"
                + "3;ttbar;0.5;260000;1.0;j,310000,250000,0.5,-1.0;\n");
        SparkJobsTest.Run strict = spark("local[2]", "sample", "--fraction", "1", "--out", dir.resolve("strict.csv").toString(), bad.toString());
        assertEquals(3, strict.code(), strict.err());
        assertTrue(strict.err().contains(bad + ":2: object 1 has unknown object label 'q'"), strict.err());
        assertTrue(!Files.exists(dir.resolve("strict.csv")), "a failed sample writes nothing");
        // two files, so that the sort into fingerprint order samples its input before it shuffles it
        Path other = Files.writeString(dir.resolve("other.csv"), Files.readString(bad).replace("0.5;", "0.25;"));
        SparkJobsTest.Run lenient = spark("local[2]", "sample", "--fraction", "1", "--out", dir.resolve("lenient.csv").toString(),
                bad.toString(), other.toString(), "--skip-bad-lines");
        assertEquals(0, lenient.code(), lenient.err());
        assertTrue(lenient.err().contains("skipped 2 bad line(s)"), lenient.err());
        assertEquals(1, lenient.err().lines().filter(l -> l.contains(bad + ":2: object 1 has unknown object label 'q'")).count(), lenient.err());
        assertEquals(4, Files.readAllLines(dir.resolve("lenient.csv")).size());
    }

    /**
     * The sample's file is checked on the driver before the job, as a command on one machine checks
     * its output: its directory must exist (none is created), and it is never inside an input.
     */
    @Test
    void aSampleThatCouldNotBeWrittenWhereAskedIsRefusedBeforeTheJob() throws Exception {
        Path events = Files.writeString(dir.resolve("events.csv"), "1;ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;\n");
        Path missing = dir.resolve("no-such-directory").resolve("sample.csv");
        SparkJobsTest.Run r = spark("local[1]", "sample", "--fraction", "1", "--out", missing.toString(), events.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("the directory of " + missing + " does not exist: create it first"), r.err());
        assertTrue(Files.notExists(missing.getParent()));
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.copy(events, data.resolve("part-0.csv"));
        Path inside = data.resolve("sample.csv");
        r = spark("local[1]", "sample", "--fraction", "1", "--out", inside.toString(), data.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(inside + " lies inside the input " + data), r.err());
        assertTrue(Files.notExists(inside));
    }
}

