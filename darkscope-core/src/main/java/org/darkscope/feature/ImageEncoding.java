package org.darkscope.feature;

import java.util.AbstractList;
import java.util.List;

/**
 * Detector images as they are: the pixels of one image, channels first (C x H x W), read from an
 * image sample ({@link org.darkscope.io.ImageSample}), not encoded from an event. {@code image}
 * is standardised per channel: each channel divided by its root mean square over the training
 * images, zero kept at zero (a detector image is mostly empty pixels, and a pixel's own spread
 * would blow up the rare hit); {@code image-raw} keeps the values (the physics baselines read
 * photoelectrons). A name carries the shape, {@code image:3x75x75}, as the bundle records it.
 */
public final class ImageEncoding implements Encoding {
    /** The standardised family's name. */
    public static final String IMAGE = "image";
    /** The raw family's name. */
    public static final String RAW = "image-raw";

    private final boolean standardized;
    private final int[] shape;

    public ImageEncoding(boolean standardized, int[] shape) {
        if (shape.length != 3 || shape[0] < 1 || shape[1] < 1 || shape[2] < 1) {
            throw new IllegalArgumentException("an image shape is channels x height x width, got " + java.util.Arrays.toString(shape));
        }
        this.standardized = standardized;
        this.shape = shape.clone();
    }

    /** Whether {@code name} is an image family ({@code image} or {@code image-raw}), with or without a shape. */
    public static boolean isImage(String name) {
        String family = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        return family.equals(IMAGE) || family.equals(RAW);
    }

    /** The encoding {@code family:CxHxW}, or the family {@code name} (no shape) given {@code shape}. */
    public static ImageEncoding of(String name, int[] shape) {
        String family = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        if (name.contains(":")) {
            String[] dims = name.substring(name.indexOf(':') + 1).split("x");
            try {
                if (dims.length != 3) {
                    throw new NumberFormatException();
                }
                shape = new int[] {Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2])};
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("image encoding '" + name + "': the shape is CxHxW, e.g. image:3x75x75");
            }
        }
        return new ImageEncoding(family.equals(IMAGE), shape);
    }

    @Override
    public String name() {
        return (standardized ? IMAGE : RAW) + ":" + shape[0] + "x" + shape[1] + "x" + shape[2];
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean standardized() {
        return standardized;
    }

    /** Per channel: mean zero, scale the channel's root mean square over every pixel of every image. */
    @Override
    public Standardizer fitStandardizer(float[] raw, int rows) {
        int size = size();
        if (!standardized) {
            return Standardizer.identity(size);
        }
        int pixels = shape[1] * shape[2];
        double[] mean = new double[size];
        double[] scale = new double[size];
        for (int c = 0; c < shape[0]; c++) {
            double squares = 0;
            for (int r = 0; r < rows; r++) {
                int base = r * size + c * pixels;
                for (int p = 0; p < pixels; p++) {
                    squares += (double) raw[base + p] * raw[base + p];
                }
            }
            double rms = Math.sqrt(squares / ((double) rows * pixels));
            java.util.Arrays.fill(scale, c * pixels, (c + 1) * pixels, rms > 0 ? rms : 1);
        }
        return new Standardizer(mean, scale);
    }

    @Override
    public List<String> featureNames() {
        int pixels = shape[1] * shape[2];
        int total = size();
        return new AbstractList<>() {
            @Override
            public String get(int i) {
                int p = i % pixels;
                return "channel " + i / pixels + ", row " + p / shape[2] + ", column " + p % shape[2];
            }

            @Override
            public int size() {
                return total;
            }
        };
    }

    /** Images are read from image samples, never encoded from an event. */
    @Override
    public void encode(org.darkscope.event.Event event, float[] out, int offset) {
        throw new IllegalArgumentException("the encoding " + name() + " reads detector images (.npy files, folders of PNG), "
                + "not collision events: give image samples");
    }
}
