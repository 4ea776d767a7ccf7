package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.darkscope.bundle.EventFingerprints;
import org.darkscope.event.Event;
import org.darkscope.io.BundledSample;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mix and search on the bundled sample, with the met baseline (no training noise). */
class SearchCommandTest {
    @TempDir
    Path dir;

    /** mix reads strictly by default, naming the bad line; with --skip-bad-lines it leaves bad lines out and says so. */
    @Test
    void mixSkipsBadLinesOnlyWhenAskedAndSaysSo() throws IOException {
        Path background = Files.writeString(dir.resolve("background.csv"), "1;ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;\n"
                + "2;ttbar;0.5;250000;1.0;q,1,1,0,0;\n3;ttbar;0.5;260000;1.0;j,310000,250000,0.5,-1.0;\n");
        Path signal = Files.writeString(dir.resolve("signal.csv"), "1;zp;0.1;900000;0.5;j,800000,700000,0.1,2.0;\nnot an event\n");
        CliRunner strict = CliRunner.run("mix", "--background", background.toString(), "--signal", signal.toString(),
                "--signal-events", "1", "--out", dir.resolve("strict.csv").toString());
        assertEquals(3, strict.exitCode(), strict.err());
        assertTrue(strict.err().contains(signal + ":2: "), strict.err());
        assertTrue(Files.notExists(dir.resolve("strict.csv")));
        Path out = dir.resolve("lenient.csv");
        CliRunner lenient = CliRunner.run("mix", "--background", background.toString(), "--signal", signal.toString(),
                "--signal-events", "1", "--out", out.toString(), "--skip-bad-lines");
        assertEquals(0, lenient.exitCode(), lenient.err());
        assertTrue(lenient.err().contains("skipped 1 bad line(s) in " + background) && lenient.err().contains("skipped 1 bad line(s) in " + signal),
                lenient.err());
        assertTrue(lenient.out().contains("2 background + 1 signal events"), lenient.out());
        List<Event> mixed = EventFiles.read(out, ParseMode.STRICT, -1);
        assertEquals(List.of("ttbar", "ttbar", "zp"), mixed.stream().map(Event::processId).sorted().toList());
    }

    @Test
    void mixedPseudoDataAreSearchedAndTheJsonHasTheContractKeys() throws IOException {
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "reference.csv.gz", "test.csv.gz");
        Path reference = split.first();
        Path test = split.rest();
        Path signal = split.signal(1);
        Path data = dir.resolve("data.csv.gz");
        CliRunner mix = CliRunner.run("mix", "--background", test.toString(), "--signal", signal.toString(),
                "--signal-events", "40", "--out", data.toString(), "--seed", "5");
        assertEquals(0, mix.exitCode(), mix.err());
        List<Event> mixed = EventFiles.read(data, ParseMode.STRICT, -1);
        assertEquals(split.restEvents() + 40, mixed.size());
        Map<String, Long> processes = mixed.stream().collect(Collectors.groupingBy(Event::processId, Collectors.counting()));
        assertEquals(40L, processes.get("monojet_Zp2000.0_DM_50.0"));
        assertEquals(mixed.size(), mixed.stream().map(Event::eventId).distinct().count(), "event IDs renumbered uniquely");

        Path model = dir.resolve("met.model");
        assertEquals(0, CliRunner.run("train", "--detector", "met", "--background", reference.toString(), "--out", model.toString()).exitCode());
        Path json = dir.resolve("search.json");
        CliRunner search = CliRunner.run("search", "--model", model.toString(), "--background", reference.toString(),
                "--data", data.toString(), "--toys", "300", "--json", json.toString(), "--report", dir.resolve("rep").toString(),
                "--confirm-fraction", "0.5");
        assertEquals(0, search.exitCode(), search.err());
        JsonNode root = Json.MAPPER.readTree(json.toFile());
        for (String key : List.of("regions", "most_significant", "global_p", "global_z", "toys", "confirmation")) {
            assertTrue(root.has(key), "missing key " + key);
        }
        JsonNode first = root.get("regions").get(0);
        for (String key : List.of("name", "threshold", "eps_b", "observed", "expected", "expected_uncertainty", "local_p", "local_z")) {
            assertTrue(first.has(key), "missing region key " + key);
        }
        for (String key : List.of("region", "observed", "expected", "p", "z")) {
            assertTrue(root.get("confirmation").has(key), "missing confirmation key " + key);
        }
        assertEquals(300, root.get("toys").asInt());
        // the discovery part holds half the data: the loosest region's observed count is counted from it alone
        assertEquals(mixed.size() - Math.round(mixed.size() * 0.5), root.get("data_events").asLong());
        assertTrue(Files.readString(dir.resolve("rep").resolve("search.html")).contains("data:image/png;base64,"));
    }

    @Test
    void dataMadeFromTheReferenceAreRefused() throws IOException {
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "train.csv.gz", "held-out.csv.gz");
        Path model = dir.resolve("knn.model");
        assertEquals(0, CliRunner.run("train", "--detector", "knn", "--background", split.first().toString(),
                "--out", model.toString()).exitCode());
        Path data = dir.resolve("data.csv.gz");
        assertEquals(0, CliRunner.run("mix", "--background", split.rest().toString(), "--signal", split.signal(1).toString(),
                "--signal-events", "30", "--out", data.toString()).exitCode());
        Path json = dir.resolve("search.json");
        CliRunner search = CliRunner.run("search", "--model", model.toString(), "--background", split.rest().toString(),
                "--data", data.toString(), "--toys", "100", "--json", json.toString());
        assertEquals(2, search.exitCode(), search.err());
        String refused = data + " holds events of the reference background " + split.rest() + ": ";
        if (split.restEvents() <= EventFingerprints.CAPACITY) { // the reference remembers every event: the count is exact
            refused += split.restEvents() + " of its " + (split.restEvents() + 30) + " events";
        }
        assertTrue(search.err().contains(refused), search.err());
        assertTrue(search.err().contains("split the background in two"), search.err());
        assertTrue(Files.notExists(json), "no result written");
    }

    @Test
    void overlappingControlAndSignalRegionsAreBadUsage() {
        CliRunner r = CliRunner.run("search", "--model", "m", "--background", "b", "--data", "d", "--regions", "0.5");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("overlaps the control region"), r.err());
        CliRunner twice = CliRunner.run("search", "--model", "m", "--background", "b", "--data", "d", "--regions", "1e-2,3e-3,0.01");
        assertEquals(2, twice.exitCode());
        assertTrue(twice.err().contains("--regions: a signal region is given twice in [0.01, 0.003, 0.01]"), twice.err());
        assertTrue(r.err().contains("--regions and --control-quantile: the loosest signal region (eps_b 0.5) overlaps"), r.err());
    }

    /** Each search option out of range is refused naming the option, before anything is read (m, b and d do not exist). */
    @Test
    void eachSearchOptionOutOfRangeIsNamed() {
        for (List<String> option : List.of(List.of("--control-quantile", "2", "control quantile 2.0 is not in (0, 1)"),
                List.of("--toys", "0", "0 toys"), List.of("--background-uncertainty", "-1", "background uncertainty -1.0 is not"),
                List.of("--luminosity", "-2", "luminosity -2.0 is not"), List.of("--regions", "2", "signal-region background efficiency 2.0"))) {
            CliRunner r = CliRunner.run("search", "--model", "m", "--background", "b", "--data", "d", option.get(0), option.get(1));
            assertEquals(2, r.exitCode(), r.err());
            assertTrue(r.err().contains(option.get(0) + ": " + option.get(2)), r.err());
        }
    }

    /** A confirmation fraction out of range is refused before the model or any event is read (m, b and d do not exist). */
    @Test
    void aConfirmationFractionOutOfRangeIsRefusedFirst() {
        for (String fraction : List.of("1.5", "0", "1")) {
            CliRunner r = CliRunner.run("search", "--model", "m", "--background", "b", "--data", "d", "--confirm-fraction", fraction);
            assertEquals(2, r.exitCode(), r.err());
            assertTrue(r.err().contains("--confirm-fraction: confirmation fraction " + Double.parseDouble(fraction) + " is not in (0, 1)"),
                    r.err());
        }
    }
}
