package org.darkscope.tpc;

/**
 * A simulated event as a 75x75x3 image (rows, columns, channels: NumPy's N x H x W x C per
 * event), the input size of the convolutional VAE of Herrero-Garcia, Patrick, Scaffidi (2021).
 * The picture spans the TPC's diameter, 1.28 cm a pixel, north up; every PMT is the disc of
 * pixels whose centres lie within its radius (a pixel belongs to the nearest such PMT, so no two
 * share one), each pixel holding its PMT's photoelectrons divided by the disc's pixels, so a
 * channel's sum is its array's area.
 * <ul>
 * <li>channel 0: S2 on the top array, corrected for the electrons lost in the drift (times
 * exp(t / lifetime), the experiments' cS2): where the electrons came up (x, y), and, in the
 * pattern's width, how far they drifted (diffusion);</li>
 * <li>channel 1: S1 on the bottom array, which sees most of the S1 light;</li>
 * <li>channel 2: S1 on the top array: the share of S1 on top and the patterns' widths tell the
 * depth.</li>
 * </ul>
 * S1 = channels 1 + 2; the corrected S2 on the top array = channel 0 (the bottom array's S2,
 * nearly uniform, is not drawn: it is the top's times a fixed ratio plus noise).
 */
public final class TpcImage {
    public static final int SIZE = 75;
    public static final int CHANNELS = 3;
    public static final int S2_TOP = 0;
    public static final int S1_BOTTOM = 1;
    public static final int S1_TOP = 2;

    private final int[] topPixel;
    private final int[] bottomPixel;
    private final int[] topCount;
    private final int[] bottomCount;

    public TpcImage(TpcDetector detector, PmtArray top, PmtArray bottom) {
        topPixel = owners(detector, top);
        bottomPixel = owners(detector, bottom);
        topCount = counts(topPixel, top.size());
        bottomCount = counts(bottomPixel, bottom.size());
    }

    public TpcImage(TpcSimulation simulation) {
        this(simulation.detector(), simulation.top(), simulation.bottom());
    }

    private static int[] owners(TpcDetector detector, PmtArray array) {
        double pixel = 2 * detector.radiusCm() / SIZE;
        double radius = detector.pmtDiameterCm() / 2;
        int[] owner = new int[SIZE * SIZE];
        for (int row = 0; row < SIZE; row++) {
            for (int col = 0; col < SIZE; col++) {
                double x = -detector.radiusCm() + (col + 0.5) * pixel;
                double y = detector.radiusCm() - (row + 0.5) * pixel;
                int best = -1;
                double bestDistance = radius;
                for (int i = 0; i < array.size(); i++) {
                    double d = Math.hypot(array.x(i) - x, array.y(i) - y);
                    if (d <= bestDistance) {
                        best = i;
                        bestDistance = d;
                    }
                }
                owner[row * SIZE + col] = best;
            }
        }
        return owner;
    }

    private static int[] counts(int[] owner, int pmts) {
        int[] count = new int[pmts];
        for (int o : owner) {
            if (o >= 0) {
                count[o]++;
            }
        }
        for (int i = 0; i < pmts; i++) {
            if (count[i] == 0) {
                throw new IllegalStateException("PMT " + i + " covers no pixel");
            }
        }
        return count;
    }

    /** The event's image, rows then columns then channels (C order of 75 x 75 x 3). */
    public float[] render(TpcEvent event) {
        float[] image = new float[SIZE * SIZE * CHANNELS];
        double[] s2 = event.s2Top().clone();
        for (int i = 0; i < s2.length; i++) {
            s2[i] *= event.s2Correction();
        }
        paint(image, S2_TOP, topPixel, topCount, s2);
        paint(image, S1_BOTTOM, bottomPixel, bottomCount, event.s1Bottom());
        paint(image, S1_TOP, topPixel, topCount, event.s1Top());
        return image;
    }

    private static void paint(float[] image, int channel, int[] owner, int[] count, double[] pe) {
        for (int p = 0; p < owner.length; p++) {
            if (owner[p] >= 0) {
                image[p * CHANNELS + channel] = (float) (pe[owner[p]] / count[owner[p]]);
            }
        }
    }

    /** A channel's sum over the image (the array's area, in PE). */
    public static double channelSum(float[] image, int channel) {
        double s = 0;
        for (int p = channel; p < image.length; p += CHANNELS) {
            s += image[p];
        }
        return s;
    }
}
