package org.darkscope.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image samples: .npy files in either layout (NumPy's fixtures), folders of PNG, bad images strict and lenient. */
class ImageSampleTest {
    @TempDir
    Path dir;

    private Path withSidecar(String fixture, String layout) throws IOException {
        Path copy = Files.copy(NpyArrayTest.fixture(fixture), dir.resolve(fixture));
        Files.writeString(dir.resolve(fixture + ".json"), "{\"layout\": \"" + layout + "\"}");
        return copy;
    }

    @Test
    void channelsLastComeOutChannelsFirst() throws IOException {
        // N x H x W x C = 2 x 3 x 4 x 2 holding 0, 1, 2, ...: pixel (y, x) channel k of image i is i*24 + (y*4 + x)*2 + k
        try (ImageSample sample = ImageSample.open(withSidecar("nhwc-float32.npy", "NHWC"), ParseMode.STRICT)) {
            assertArrayEquals(new int[] {2, 3, 4}, sample.shape());
            for (int i = 0; i < 2; i++) {
                float[] image = sample.next();
                for (int k = 0; k < 2; k++) {
                    for (int p = 0; p < 12; p++) {
                        assertEquals(i * 24 + p * 2 + k, image[k * 12 + p], 0f);
                    }
                }
                assertEquals(String.valueOf(i + 1), sample.id());
            }
            assertFalse(sample.hasNext());
        }
    }

    @Test
    void channelsFirstInFortranOrderAreReadAsTheyStand() throws IOException {
        try (ImageSample sample = ImageSample.open(withSidecar("nchw-float32-fortran.npy", "NCHW"), ParseMode.STRICT)) {
            assertArrayEquals(new int[] {2, 3, 4}, sample.shape());
            float[] second = sample.next();
            second = sample.next();
            for (int j = 0; j < 24; j++) {
                assertEquals(24 + j, second[j], 0f);
            }
        }
    }

    @Test
    void theLayoutIsInferredWhereOnlyOneAxisCanHoldChannelsElseTheSidecarIsAskedFor() throws IOException {
        Path nhwc = dir.resolve("rgb.npy");
        try (NpyWriter w = new NpyWriter(nhwc, 1, 5, 6, 3)) {
            w.write(new float[90]);
            w.commit();
        }
        try (ImageSample sample = ImageSample.open(nhwc, ParseMode.STRICT)) {
            assertArrayEquals(new int[] {3, 5, 6}, sample.shape());
        }
        Path ambiguous = dir.resolve("ambiguous.npy");
        try (NpyWriter w = new NpyWriter(ambiguous, 1, 3, 6, 3)) {
            w.write(new float[54]);
            w.commit();
        }
        EventFormatException e = assertThrows(EventFormatException.class, () -> ImageSample.open(ambiguous, ParseMode.STRICT));
        assertTrue(e.getMessage().contains("write ambiguous.npy.json"), e.getMessage());
    }

    @Test
    void aTruncatedNpyIsBadInputStrictlyAndItsWholeImagesLeniently() throws IOException {
        Path truncated = withSidecar("nhwc-float32-truncated.npy", "NHWC");
        EventFormatException e = assertThrows(EventFormatException.class, () -> ImageSample.open(truncated, ParseMode.STRICT));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        try (ImageSample sample = ImageSample.open(truncated, ParseMode.LENIENT)) {
            assertEquals(0, sample.next()[0], 0f);
            assertFalse(sample.hasNext());
            EventFiles.FileReport report = sample.report();
            assertEquals(1, report.events());
            assertEquals(1, report.badLineCount());
            assertTrue(report.badLines().get(0).problem().contains("1 images announced by the header are missing"), report.toString());
        }
    }

    private void png(Path file, int width, int height, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb + x);
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }

    @Test
    void aFolderOfPngIsOneSampleInNameOrderAndBadImagesAreNamed() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("pngs"));
        png(folder.resolve("b.png"), 4, 2, 0x102030);
        png(folder.resolve("a.png"), 4, 2, 0x405060);
        Files.writeString(folder.resolve("notes.txt"), "not an image, not read");
        assertTrue(ImageSample.isImageSample(folder));
        try (ImageSample sample = ImageSample.open(folder, ParseMode.STRICT)) {
            assertArrayEquals(new int[] {3, 2, 4}, sample.shape());
            float[] a = sample.next();
            assertEquals("a.png", sample.id());
            assertEquals(0x40, a[0], 0f); // red of pixel (0, 0)
            assertEquals(0x50, a[8], 0f); // green
            assertEquals(0x60 + 3, a[16 + 3], 0f); // blue of pixel (0, 3)
            assertEquals("b.png", sample.id().equals("a.png") ? (sample.next() != null ? sample.id() : "") : "");
        }
        Files.writeString(folder.resolve("c.png"), "text with a .png name");
        png(folder.resolve("d.png"), 5, 2, 0);
        EventFormatException strict = assertThrows(EventFormatException.class, () -> {
            try (ImageSample sample = ImageSample.open(folder, ParseMode.STRICT)) {
                while (sample.hasNext()) {
                    sample.next();
                }
            }
        });
        assertTrue(strict.getMessage().startsWith(folder.resolve("c.png") + ": image 3 of " + folder), strict.getMessage());
        try (ImageSample sample = ImageSample.open(folder, ParseMode.LENIENT)) {
            int n = 0;
            while (sample.hasNext()) {
                sample.next();
                n++;
            }
            assertEquals(2, n);
            EventFiles.FileReport report = sample.report();
            assertEquals(2, report.badLineCount());
            assertTrue(report.badLines().get(1).problem().contains("is 3 x 2 x 5"), report.badLines().toString());
        }
    }

    @Test
    void aNonFiniteValueIsABadImage() throws IOException {
        Path file = dir.resolve("nan.npy");
        try (NpyWriter w = new NpyWriter(file, 2, 3, 3)) {
            w.write(new float[9]);
            float[] bad = new float[9];
            bad[4] = Float.NaN;
            w.write(bad);
            w.commit();
        }
        EventFormatException e = assertThrows(EventFormatException.class, () -> {
            try (ImageSample sample = ImageSample.open(file, ParseMode.STRICT)) {
                sample.next();
                sample.next();
            }
        });
        assertTrue(e.getMessage().contains("image 2 holds the value NaN (element 4)"), e.getMessage());
        assertEquals(ImageSample.fingerprint(new float[9]), ImageSample.fingerprint(new float[9]));
        assertFalse(ImageSample.fingerprint(new float[9]) == ImageSample.fingerprint(bad()));
    }

    private static float[] bad() {
        float[] v = new float[9];
        v[0] = 1;
        return v;
    }
}
