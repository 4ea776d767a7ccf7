package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.darkscope.io.NpyArray;
import org.darkscope.tpc.TpcImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detector images through the same commands as events: simulate-tpc's .npy files and folders of PNG. */
class ImageCommandsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void simulate() {
        assertEquals(0, CliRunner.run("simulate-tpc", "--background", "200", "--signal", "80", "--wimp-mass", "200", "--seed", "1",
                "--out", dir.resolve("test").toString()).exitCode());
        assertEquals(0, CliRunner.run("simulate-tpc", "--background", "100", "--signal", "1", "--seed", "2",
                "--out", dir.resolve("train").toString()).exitCode());
    }

    /** -log10(S2/S1) of every image, from the channel sums. */
    private static double[] s2s1(Path npy) {
        NpyArray images = NpyArray.open(npy);
        double[] scores = new double[images.samples()];
        for (int i = 0; i < scores.length; i++) {
            float[] hwc = images.sample(i);
            double s2 = TpcImage.channelSum(hwc, TpcImage.S2_TOP);
            double s1 = TpcImage.channelSum(hwc, TpcImage.S1_BOTTOM) + TpcImage.channelSum(hwc, TpcImage.S1_TOP);
            scores[i] = -Math.log10(s2 / s1);
        }
        return scores;
    }

    /** The AUC by counting pairs (ties count half). */
    private static double auc(double[] background, double[] signal) {
        double wins = 0;
        for (double s : signal) {
            for (double b : background) {
                wins += s > b ? 1 : s == b ? 0.5 : 0;
            }
        }
        return wins / ((double) background.length * signal.length);
    }

    @Test
    void benchmarkJudgesTheS2S1BaselineOnSimulatedImagesWithThePseudoDataFigure() throws IOException {
        Path out = dir.resolve("bench");
        CliRunner r = CliRunner.run("benchmark", "--train", dir.resolve("train/background.npy").toString(),
                "--background", dir.resolve("test/background.npy").toString(), "--signal", dir.resolve("test/signal.npy").toString(),
                "--detectors", "s2s1", "--exposure", "1", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode results = Json.MAPPER.readTree(out.resolve("results.json").toFile());
        double expected = auc(s2s1(dir.resolve("test/background.npy")), s2s1(dir.resolve("test/signal.npy")));
        assertEquals(expected, results.at("/results/0/signals/0/auc").asDouble(), 1e-4);
        assertTrue(expected > 0.7, "S2/S1 separates nuclear from electron recoils: AUC " + expected);
        JsonNode card = Json.MAPPER.readTree(dir.resolve("test/data-card.json").toFile());
        assertEquals(card.at("/samples/background/selected_per_tonne_year").asDouble(),
                results.at("/pseudo_data/rates_per_tonne_year/background").asDouble(), 1e-9);
        assertTrue(Files.readString(out.resolve("report.html")).contains("<h2>Pseudo-data</h2>"));

        CliRunner distorted = CliRunner.run("benchmark", "--train", dir.resolve("train/background.npy").toString(),
                "--background", dir.resolve("test/background.npy").toString(), "--distortions", "--detectors", "s2s1",
                "--out", dir.resolve("bench-distorted").toString());
        assertEquals(2, distorted.exitCode());
        CliRunner compare = CliRunner.run("compare", "--train-background", dir.resolve("train/background.npy").toString(),
                "--background", dir.resolve("test/background.npy").toString(), "--signal", dir.resolve("test/signal.npy").toString(),
                dir.resolve("train/signal.npy").toString(), "--out", dir.resolve("compare").toString());
        assertEquals(2, compare.exitCode());
        assertTrue(compare.err().contains("judge image detectors with darkscope benchmark"), compare.err());
        CliRunner mistyped = CliRunner.run("benchmark", "--train", dir.resolve("train/background.npy").toString(),
                "--background", dir.resolve("test/background.npy").toString(), "--signal", dir.resolve("test/signal.npy").toString(),
                "--detectors", "s2s1", "--exposure", "1", "--rate", "sginal=3", "--out", dir.resolve("bench-2").toString());
        assertEquals(2, mistyped.exitCode(), mistyped.err());
        assertTrue(mistyped.err().contains("--rate sginal: no sample of that name; the samples are background, signal"), mistyped.err());
        assertFalse(Files.exists(dir.resolve("bench-2")));
    }

    /** A data card that is not JSON, or gives a rate that is not a number, is bad input naming the card, not "no rate". */
    @Test
    void aBrokenDataCardIsRefusedNamingIt() throws IOException {
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.copy(dir.resolve("test/background.npy"), broken.resolve("background.npy"));
        Files.copy(dir.resolve("test/signal.npy"), broken.resolve("signal.npy"));
        String card = Files.readString(dir.resolve("test/data-card.json"));
        for (String text : new String[] {card.substring(0, card.length() / 2),
                card.replaceFirst("(\"selected_per_tonne_year\"\\s*:\\s*)[-0-9.eE+]+", "$1\"many\"")}) {
            Files.writeString(broken.resolve("data-card.json"), text);
            CliRunner r = CliRunner.run("benchmark", "--train", dir.resolve("train/background.npy").toString(),
                    "--background", broken.resolve("background.npy").toString(), "--signal", broken.resolve("signal.npy").toString(),
                    "--detectors", "s2s1", "--exposure", "1", "--out", dir.resolve("bench-broken").toString());
            assertEquals(3, r.exitCode(), r.err());
            assertTrue(r.err().contains(broken.resolve("data-card.json").toString()), r.err());
            assertFalse(Files.exists(dir.resolve("bench-broken")));
        }
    }

    /** inspect summarises an image sample; mix injects signal images into background images, and search finds them. */
    @Test
    void inspectMixAndSearchTakeImages() throws IOException {
        Path json = dir.resolve("inspect.json");
        CliRunner inspect = CliRunner.run("inspect", dir.resolve("test/background.npy").toString(), "--json", json.toString());
        assertEquals(0, inspect.exitCode(), inspect.err());
        JsonNode node = Json.MAPPER.readTree(json.toFile()).at("/files/0");
        assertEquals(200, node.get("images").asInt());
        double s2 = 0;
        NpyArray images = NpyArray.open(dir.resolve("test/background.npy"));
        for (int i = 0; i < images.samples(); i++) {
            s2 += TpcImage.channelSum(images.sample(i), TpcImage.S2_TOP);
        }
        assertEquals(s2 / 200, node.at("/channel_sums/0/mean").asDouble(), 1e-6 * s2 / 200);

        Path data = dir.resolve("data.npy");
        CliRunner mix = CliRunner.run("mix", "--background", dir.resolve("test/background.npy").toString(), "--signal",
                dir.resolve("test/signal.npy").toString(), "--signal-events", "40", "--out", data.toString());
        assertEquals(0, mix.exitCode(), mix.err());
        NpyArray mixed = NpyArray.open(data);
        assertEquals(240, mixed.samples());
        JsonNode truth = Json.MAPPER.readTree(dir.resolve("data.npy.json").toFile());
        assertEquals("NCHW", truth.get("layout").asText());
        assertEquals(40, truth.get("signal_positions").size());
        // a background image is where no signal position is: the first such one is the background's first image
        java.util.Set<Integer> signalAt = new java.util.HashSet<>();
        truth.get("signal_positions").forEach(p -> signalAt.add(p.asInt()));
        int first = 1;
        while (signalAt.contains(first)) {
            first++;
        }
        float[] chw = mixed.sample(first - 1);
        float[] hwc = images.sample(0);
        assertEquals(TpcImage.channelSum(hwc, TpcImage.S1_TOP), java.util.Arrays.stream(toDouble(chw, 2 * 75 * 75, 3 * 75 * 75)).sum(), 1e-3);

        Path model = dir.resolve("s2s1.model");
        assertEquals(0, CliRunner.run("train", "--detector", "s2s1", "--background", dir.resolve("train/background.npy").toString(),
                "--out", model.toString()).exitCode());
        Path found = dir.resolve("search.json");
        CliRunner search = CliRunner.run("search", "--model", model.toString(), "--background", dir.resolve("train/background.npy").toString(),
                "--data", data.toString(), "--toys", "200", "--json", found.toString());
        assertEquals(0, search.exitCode(), search.err());
        assertTrue(Json.MAPPER.readTree(found.toFile()).get("global_p").asDouble() < 0.05, search.out());
    }

    private static double[] toDouble(float[] values, int from, int to) {
        double[] out = new double[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = values[i];
        }
        return out;
    }

    private static Path pngs(String name, int n, boolean anomalous, SplittableRandom random) throws IOException {
        return pngs(name, "img", n, anomalous, random);
    }

    private static Path pngs(String name, String prefix, int n, boolean anomalous, SplittableRandom random) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        for (int i = 0; i < n; i++) {
            BufferedImage image = new BufferedImage(6, 6, BufferedImage.TYPE_BYTE_GRAY);
            int row = anomalous ? 1 + random.nextInt(2) : 3 * random.nextInt(2);
            int col = anomalous ? 1 + random.nextInt(2) : 3 * random.nextInt(2);
            int brightness = 120 + random.nextInt(120);
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 6; x++) { // noise of 0-9 everywhere: no two images alike
                    boolean block = y >= row && y < row + 3 && x >= col && x < col + 3;
                    image.getRaster().setSample(x, y, 0, (block ? brightness : 0) + random.nextInt(10));
                }
            }
            ImageIO.write(image, "png", folder.resolve(String.format("%s-%04d.png", prefix, i)).toFile());
        }
        return folder;
    }

    @Test
    void trainScoreEvaluateAndSearchTakeFoldersOfPng() throws IOException {
        SplittableRandom random = new SplittableRandom(4);
        Path train = pngs("png-train", 400, false, random);
        Path test = pngs("png-test", 150, false, random);
        Path odd = pngs("png-odd", 100, true, random);
        Path model = dir.resolve("cvae.model");
        CliRunner t = CliRunner.run("train", "--detector", "image-cvae", "--background", train.toString(), "--epochs", "25",
                "--out", model.toString());
        assertEquals(0, t.exitCode(), t.err());
        CliRunner info = CliRunner.run("info", "--model", model.toString());
        assertTrue(info.out().contains("parameters  " + org.darkscope.detect.ImageCvae.parameters(new int[] {1, 6, 6})), info.out());

        Path scores = dir.resolve("png-scores.csv");
        assertEquals(0, CliRunner.run("score", "--model", model.toString(), "--out", scores.toString(), test.toString()).exitCode());
        List<String> lines = Files.readAllLines(scores);
        assertEquals(151, lines.size());
        assertTrue(lines.get(1).startsWith("img-0000.png,png-test,1.0,"), lines.get(1));

        Path evaluation = dir.resolve("png-eval.json");
        CliRunner e = CliRunner.run("evaluate", "--model", model.toString(), "--background", test.toString(), "--signal", odd.toString(),
                "--json", evaluation.toString());
        assertEquals(0, e.exitCode(), e.err());
        double auc = Json.MAPPER.readTree(evaluation.toFile()).at("/signals/0/auc").asDouble();
        assertTrue(auc > 0.9, "the CVAE flags blocks off the corners: AUC " + auc);

        Path data = pngs("png-data", "normal", 150, false, random);
        pngs("png-data", "odd", 30, true, random);
        Path found = dir.resolve("png-search.json");
        CliRunner search = CliRunner.run("search", "--model", model.toString(), "--background", test.toString(), "--data", data.toString(),
                "--toys", "200", "--json", found.toString());
        assertEquals(0, search.exitCode(), search.err());
        assertTrue(Json.MAPPER.readTree(found.toFile()).get("global_p").asDouble() < 0.05, search.out());

        CliRunner bigger = CliRunner.run("score", "--model", model.toString(), "--out", dir.resolve("x.csv").toString(),
                dir.resolve("test/background.npy").toString());
        assertEquals(3, bigger.exitCode(), "images of another shape than the model's");
        assertTrue(bigger.err().contains("images of 3 x 75 x 75 (channels x height x width); the model reads images of 1 x 6 x 6"),
                bigger.err());
        Path eventFile = Files.writeString(dir.resolve("events.csv"), "1;ttbar;1;250000;1.0;j,300000,250000,0.5,-1.0;\n");
        CliRunner events = CliRunner.run("score", "--model", model.toString(), "--out", dir.resolve("y.csv").toString(), eventFile.toString());
        assertEquals(3, events.exitCode());
        assertTrue(events.err().contains("an event file; the model reads detector images"), events.err());
        CliRunner flow = CliRunner.run("train", "--detector", "flow", "--background", train.toString(), "--out",
                dir.resolve("flow.model").toString());
        assertEquals(2, flow.exitCode());
        assertTrue(flow.err().contains("for images use image-cvae or s2s1"), flow.err());
    }
}
