package org.darkscope.tpc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An array of photomultipliers, their centres in the horizontal plane (cm, the TPC's axis at
 * the origin), and the share of light each sees from a point source above or below the array.
 * XENON1T's top array has 127 PMTs in concentric rings (for the radial position resolution), the
 * bottom array 121 in a hexagonal close packing (for the light collection) (XENON, Eur. Phys. J. C
 * 77 (2017) 881). Here the top rings hold 1, 6, 12, ..., 36 PMTs at radii of 7.65 cm steps and the
 * bottom array is the 121 points of a hexagonal lattice of 8.0 cm pitch nearest the axis: the
 * published structure and counts, with approximate radii.
 */
public final class PmtArray {
    public static final int TOP_COUNT = 127;
    public static final int BOTTOM_COUNT = 121;
    private static final double TOP_RING_STEP_CM = 7.65;
    private static final double BOTTOM_PITCH_CM = 8.0;

    private final double[] x;
    private final double[] y;

    private PmtArray(double[] x, double[] y) {
        this.x = x;
        this.y = y;
    }

    /** The top array: concentric rings of 1, 6, 12, 18, 24, 30 and 36 PMTs. */
    public static PmtArray top() {
        double[] x = new double[TOP_COUNT];
        double[] y = new double[TOP_COUNT];
        int n = 1; // the centre PMT at the origin
        for (int ring = 1; n < TOP_COUNT; ring++) {
            int count = 6 * ring;
            for (int k = 0; k < count; k++) {
                double angle = 2 * Math.PI * (k + 0.5 * (ring % 2)) / count;
                x[n] = ring * TOP_RING_STEP_CM * Math.cos(angle);
                y[n] = ring * TOP_RING_STEP_CM * Math.sin(angle);
                n++;
            }
        }
        return new PmtArray(x, y);
    }

    /** The bottom array: the 121 points of a hexagonal lattice nearest the axis. */
    public static PmtArray bottom() {
        List<double[]> points = new ArrayList<>();
        int span = 8;
        for (int row = -span; row <= span; row++) {
            for (int col = -span; col <= span; col++) {
                points.add(new double[] {BOTTOM_PITCH_CM * (col + 0.5 * row), BOTTOM_PITCH_CM * row * Math.sqrt(3) / 2});
            }
        }
        // nearest first; ties (the lattice's six-fold rings) broken by angle, so the choice is fixed
        points.sort(Comparator.<double[]>comparingDouble(p -> Math.round(1e6 * Math.hypot(p[0], p[1])) / 1e6)
                .thenComparingDouble(p -> Math.atan2(p[1], p[0])));
        double[] x = new double[BOTTOM_COUNT];
        double[] y = new double[BOTTOM_COUNT];
        for (int i = 0; i < BOTTOM_COUNT; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return new PmtArray(x, y);
    }

    public int size() {
        return x.length;
    }

    public double x(int pmt) {
        return x[pmt];
    }

    public double y(int pmt) {
        return y[pmt];
    }

    /**
     * The share of a point source's light each PMT sees: a source at horizontal position
     * ({@code sx}, {@code sy}) and vertical distance {@code h} from the array lights a small
     * horizontal window at horizontal distance d in proportion to h / (d^2 + h^2)^(3/2) (the
     * solid angle, cos(theta) / r^2). {@code spread2} (cm^2) widens the source, as diffusion does
     * an electron cloud, by adding to h^2 (an approximation). The shares sum to one.
     */
    public double[] shares(double sx, double sy, double h, double spread2) {
        double[] w = new double[x.length];
        double sum = 0;
        double h2 = h * h + spread2;
        for (int i = 0; i < x.length; i++) {
            double d2 = (x[i] - sx) * (x[i] - sx) + (y[i] - sy) * (y[i] - sy);
            w[i] = h / Math.pow(d2 + h2, 1.5);
            sum += w[i];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }
}
