package org.darkscope.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A sample of detector images: one NumPy {@code .npy} file (N x H x W x C or N x C x H x W,
 * float32, float64 or uint8) or one folder of PNG files (each file one image, in name order;
 * read with the JDK's ImageIO: grey as one channel, colour as three). Images come out one by
 * one as C x H x W floats (channels first, as the networks read them).
 *
 * <p>The layout of a {@code .npy} file is read from its sidecar {@code FILE.npy.json},
 * {@code {"layout": "NHWC"}} or {@code "NCHW"}; without one it is inferred where only one axis can
 * be the channels (1, 3 or 4 long, the other candidate not), else refused, asking for the
 * sidecar. A bad image (a PNG that is not one or of another size than the first, a non-finite
 * value, samples missing from a truncated {@code .npy}) fails the read naming file and image in
 * strict mode (exit code 3), and is skipped and counted in lenient mode.
 */
public final class ImageSample implements AutoCloseable {
    /** The sidecar's suffix. */
    public static final String SIDECAR = ".json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final ParseMode mode;
    private final int[] shape;
    private final NpyArray array;
    private final boolean channelsLast;
    private final List<Path> pngs;
    private final List<BadLine> badImages = new ArrayList<>();
    private long badImageCount;
    private int position;
    private long delivered;
    private float[] next;
    private String nextId;
    private String id;

    private ImageSample(Path path, ParseMode mode, int[] shape, NpyArray array, boolean channelsLast, List<Path> pngs) {
        this.path = path;
        this.mode = mode;
        this.shape = shape;
        this.array = array;
        this.channelsLast = channelsLast;
        this.pngs = pngs;
    }

    /** The sidecar of the {@code .npy} file {@code npy}: {@code FILE.npy.json}, its layout and where its images came from. */
    public static Path sidecarOf(Path npy) {
        return npy.resolveSibling(npy.getFileName() + SIDECAR);
    }

    /**
     * Whether {@code files} are image samples (true) or event files (false); files of both kinds
     * in one {@code sample} are refused.
     */
    public static boolean areImages(List<Path> files, String sample) {
        long images = files.stream().filter(ImageSample::isImageSample).count();
        if (images > 0 && images < files.size()) {
            throw new IllegalArgumentException(sample + " mixes image samples and event files: give one kind");
        }
        return images > 0;
    }

    /** Refuses (exit 3) {@code file}'s images of {@code shape} where {@code first}'s are of {@code firstShape}. */
    public static void requireShape(Path file, int[] shape, Path first, int[] firstShape) {
        if (!Arrays.equals(shape, firstShape)) {
            throw new org.darkscope.InputException(file + ": images of " + Arrays.toString(shape) + ", " + first + "'s are "
                    + Arrays.toString(firstShape) + " (channels, height, width)");
        }
    }

    /** Whether {@code path} is an image sample: a {@code .npy} file or a folder holding PNG files. */
    public static boolean isImageSample(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return true;
        }
        return Files.isDirectory(path) && !pngFiles(path).isEmpty();
    }

    private static List<Path> pngFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png") && Files.isRegularFile(f))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Opens the sample at {@code path}. */
    public static ImageSample open(Path path, ParseMode mode) {
        if (!Files.exists(path)) {
            throw new EventFormatException(path, 0, "no such file or folder");
        }
        if (Files.isDirectory(path)) {
            List<Path> pngs = pngFiles(path);
            if (pngs.isEmpty()) {
                throw new EventFormatException(path, 0, "a folder without PNG files, not an image sample");
            }
            int[] shape = null;
            for (Path png : pngs) { // the first readable image sets the shape
                BufferedImage image = readPng(png);
                if (image != null) {
                    shape = new int[] {image.getRaster().getNumBands(), image.getHeight(), image.getWidth()};
                    break;
                }
                if (mode == ParseMode.STRICT) {
                    throw new EventFormatException(png, 0, "image 1 of " + path + " is not a PNG image ImageIO can read");
                }
            }
            if (shape == null) {
                throw new EventFormatException(path, 0, "none of its " + pngs.size() + " PNG files is an image ImageIO can read");
            }
            return new ImageSample(path, mode, shape, null, false, pngs);
        }
        NpyArray array = NpyArray.open(path, mode == ParseMode.LENIENT);
        int[] s = array.shape();
        boolean channelsLast;
        int[] shape;
        if (s.length == 3) {
            channelsLast = false;
            shape = new int[] {1, s[1], s[2]};
        } else if (s.length == 4) {
            channelsLast = layout(path, s);
            shape = channelsLast ? new int[] {s[3], s[1], s[2]} : new int[] {s[1], s[2], s[3]};
        } else {
            throw new EventFormatException(path, 0, "an array of shape " + Arrays.toString(s)
                    + ": images are N x H x W, N x H x W x C or N x C x H x W");
        }
        ImageSample sample = new ImageSample(path, mode, shape, array, channelsLast, List.of());
        if (array.missingSamples() > 0) {
            sample.skip(path, array.samples() + 1, array.missingSamples() + " images announced by the header are missing (the file is truncated)",
                    array.missingSamples());
        }
        return sample;
    }

    /** Channels last (NHWC) or first (NCHW): from the sidecar, else from which axis can hold channels. */
    private static boolean layout(Path file, int[] s) {
        Path sidecar = sidecarOf(file);
        if (Files.exists(sidecar)) {
            try {
                JsonNode layout = JSON.readTree(sidecar.toFile()).get("layout");
                String text = layout == null ? "" : layout.asText();
                if (text.equals("NHWC") || text.equals("NCHW")) {
                    return text.equals("NHWC");
                }
                throw new EventFormatException(sidecar, 0, "\"layout\" must be \"NHWC\" or \"NCHW\", got " + layout);
            } catch (IOException e) {
                throw new EventFormatException(sidecar, 0, "not a JSON object: " + e.getMessage(), e);
            }
        }
        boolean last = channels(s[3]) && !channels(s[1]);
        boolean first = channels(s[1]) && !channels(s[3]);
        if (last == first) {
            throw new EventFormatException(file, 0, "cannot tell from the shape " + Arrays.toString(s)
                    + " whether the channels come last (NHWC) or first (NCHW): write " + sidecar.getFileName()
                    + " holding {\"layout\": \"NHWC\"} or {\"layout\": \"NCHW\"}");
        }
        return last;
    }

    private static boolean channels(int n) {
        return n == 1 || n == 3 || n == 4;
    }

    private static BufferedImage readPng(Path png) {
        try {
            return ImageIO.read(png.toFile());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public Path path() {
        return path;
    }

    /** One image's shape: channels, height, width. */
    public int[] shape() {
        return shape.clone();
    }

    /** Floats per image. */
    public int size() {
        return shape[0] * shape[1] * shape[2];
    }

    /** Images announced: the array's first axis, or the folder's PNG files. */
    public long announced() {
        return array != null ? array.samples() + array.missingSamples() : pngs.size();
    }

    public boolean hasNext() {
        while (next == null && position < (array != null ? array.samples() : pngs.size())) {
            int index = position++;
            float[] image = array != null ? fromArray(index) : fromPng(index);
            if (image != null) {
                next = image;
                nextId = array != null ? String.valueOf(index + 1) : pngs.get(index).getFileName().toString();
            }
        }
        return next != null;
    }

    /** The next image, C x H x W. */
    public float[] next() {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException();
        }
        float[] image = next;
        next = null;
        id = nextId;
        delivered++;
        return image;
    }

    /** The ID of the image {@link #next()} returned last: its position in the file (1, 2, ...) or its PNG file's name. */
    public String id() {
        return id;
    }

    private float[] fromArray(int index) {
        float[] raw = array.sample(index);
        float[] image = raw;
        if (channelsLast && shape[0] > 1) {
            image = new float[raw.length];
            int c = shape[0];
            int hw = shape[1] * shape[2];
            for (int p = 0; p < hw; p++) {
                for (int k = 0; k < c; k++) {
                    image[k * hw + p] = raw[p * c + k];
                }
            }
        }
        for (int i = 0; i < image.length; i++) {
            if (!Float.isFinite(image[i])) {
                skip(path, index + 1, "image " + (index + 1) + " holds the value " + image[i] + " (element " + i + ")", 1);
                return null;
            }
        }
        return image;
    }

    private float[] fromPng(int index) {
        Path png = pngs.get(index);
        BufferedImage image = readPng(png);
        if (image == null) {
            skip(png, 0, "image " + (index + 1) + " of " + path + " is not a PNG image ImageIO can read", 1);
            return null;
        }
        Raster raster = image.getRaster();
        if (raster.getNumBands() != shape[0] || image.getHeight() != shape[1] || image.getWidth() != shape[2]) {
            skip(png, 0, "image " + (index + 1) + " of " + path + " is " + raster.getNumBands() + " x " + image.getHeight() + " x "
                    + image.getWidth() + " (channels x height x width); the folder's first is " + shape[0] + " x " + shape[1] + " x " + shape[2], 1);
            return null;
        }
        float[] out = new float[size()];
        int hw = shape[1] * shape[2];
        for (int y = 0; y < shape[1]; y++) {
            for (int x = 0; x < shape[2]; x++) {
                for (int k = 0; k < shape[0]; k++) {
                    out[k * hw + y * shape[2] + x] = raster.getSampleFloat(x, y, k);
                }
            }
        }
        return out;
    }

    private void skip(Path file, long index, String problem, long count) {
        if (mode == ParseMode.STRICT) {
            throw new EventFormatException(file, 0, problem);
        }
        badImageCount += count;
        if (badImages.size() < 20) {
            badImages.add(new BadLine(file, index, problem));
        }
    }

    /** What reading gave: images delivered, bad images skipped (lenient mode) and the first of them. */
    public EventFiles.FileReport report() {
        return new EventFiles.FileReport(path, delivered, badImageCount, List.copyOf(badImages));
    }

    /** A 64-bit fingerprint of an image's values (two different images share one with probability about 2^-64). */
    public static long fingerprint(float[] image) {
        long h = 0x9e3779b97f4a7c15L ^ image.length;
        for (float v : image) {
            h = org.darkscope.event.Event.mix(h + Float.floatToIntBits(v)); // as an event's fingerprint mixes its values
        }
        return h;
    }

    @Override
    public void close() {
        // the array is memory-mapped, released by the garbage collector; the PNG files are read one at a time
    }
}
