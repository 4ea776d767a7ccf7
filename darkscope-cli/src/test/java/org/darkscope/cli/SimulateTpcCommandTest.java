package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.darkscope.io.NpyArray;
import org.darkscope.tpc.TpcImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code darkscope simulate-tpc}: the files, the data card, the same bytes for the same seed, the refusals. */
class SimulateTpcCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesImagesAndADataCardReproducibly() throws IOException {
        Path a = dir.resolve("a");
        CliRunner r = CliRunner.run("simulate-tpc", "--background", "60", "--signal", "25", "--wimp-mass", "200", "--seed", "3",
                "--out", a.toString());
        assertEquals(0, r.exitCode(), r.err());
        NpyArray background = NpyArray.open(a.resolve("background.npy"));
        NpyArray signal = NpyArray.open(a.resolve("signal.npy"));
        assertArrayEquals(new int[] {60, 75, 75, 3}, background.shape());
        assertArrayEquals(new int[] {25, 75, 75, 3}, signal.shape());
        JsonNode card = Json.MAPPER.readTree(a.resolve("data-card.json").toFile());
        assertEquals(60, card.at("/samples/background/events").asInt());
        assertTrue(card.at("/samples/background/drawn").asInt() >= 60);
        assertEquals(200, card.at("/samples/signal/wimp_mass_gev").asDouble());
        assertEquals(3, card.at("/images/channels").size());
        assertTrue(card.at("/samples/signal/rate_per_tonne_year").asDouble() > 0);
        for (JsonNode p : card.get("detector")) {
            assertFalse(p.get("source").asText().isBlank(), p.toString());
        }
        // every image passes the selection: S1 (channels 1 + 2) inside [3, 70] PE
        for (int i = 0; i < background.samples(); i++) {
            float[] image = background.sample(i);
            double s1 = TpcImage.channelSum(image, TpcImage.S1_BOTTOM) + TpcImage.channelSum(image, TpcImage.S1_TOP);
            assertTrue(s1 >= 3 - 1e-3 && s1 <= 70 + 1e-3, "S1 " + s1);
        }

        Path b = dir.resolve("b");
        assertEquals(0, CliRunner.run("simulate-tpc", "--background", "60", "--signal", "25", "--wimp-mass", "200", "--seed", "3",
                "--out", b.toString()).exitCode());
        assertArrayEquals(Files.readAllBytes(a.resolve("background.npy")), Files.readAllBytes(b.resolve("background.npy")));
        assertArrayEquals(Files.readAllBytes(a.resolve("signal.npy")), Files.readAllBytes(b.resolve("signal.npy")));
    }

    @Test
    void refusesToOverwriteAndMassesThatGiveNoRecoil() {
        Path out = dir.resolve("c");
        assertEquals(0, CliRunner.run("simulate-tpc", "--background", "5", "--signal", "5", "--out", out.toString()).exitCode());
        CliRunner again = CliRunner.run("simulate-tpc", "--background", "5", "--signal", "5", "--out", out.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("background.npy exists: give --force"), again.err());
        CliRunner light = CliRunner.run("simulate-tpc", "--wimp-mass", "1", "--out", dir.resolve("d").toString());
        assertEquals(2, light.exitCode());
        assertTrue(light.err().contains("gives no recoil above 1.0 keV"), light.err());
    }
}
