package org.darkscope.detect;

/**
 * Exact k-nearest-neighbour search in a k-d tree (J. L. Bentley, "Multidimensional binary search
 * trees used for associative searching", CACM 18 (1975) 509): each node splits its points at the
 * median of the coordinate with the widest spread; a query descends to its leaf first and visits
 * another branch only where the splitting plane is closer than the k-th nearest point so far.
 * In eight dimensions a query over 100,000 points visits a few hundred of them; in many dimensions
 * it degrades gracefully to a brute-force scan, and stays exact.
 */
final class KdTree {
    /** Points per leaf: below this a scan is cheaper than descending further. */
    private static final int LEAF = 16;

    private final float[] points; // row-major, n x d, reordered so that every node's points are contiguous
    private final int n;
    private final int d;
    // per node: [from, to) of its points, split dimension (-1: leaf), split value, children
    private final int[] from;
    private final int[] to;
    private final int[] dim;
    private final float[] split;
    private final int[] left;
    private final int[] right;
    private int nodes;

    /** Builds the tree over {@code n} points of {@code d} coordinates (the array is copied). */
    KdTree(float[] data, int n, int d) {
        this.n = n;
        this.d = d;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int capacity = Math.max(1, 2 * (n / LEAF + 1) * 2);
        from = new int[capacity];
        to = new int[capacity];
        dim = new int[capacity];
        split = new float[capacity];
        left = new int[capacity];
        right = new int[capacity];
        build(data, order, 0, n);
        points = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(data, order[i] * d, points, i * d, d);
        }
    }

    int size() {
        return n;
    }

    private int build(float[] data, int[] order, int lo, int hi) {
        int node = nodes++;
        from[node] = lo;
        to[node] = hi;
        dim[node] = -1;
        if (hi - lo <= LEAF) {
            return node;
        }
        int best = -1;
        float widest = 0;
        for (int j = 0; j < d; j++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = lo; i < hi; i++) {
                float v = data[order[i] * d + j];
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (max - min > widest) {
                widest = max - min;
                best = j;
            }
        }
        if (best < 0) {
            return node; // all points equal: a leaf, however many
        }
        int mid = (lo + hi) >>> 1;
        select(data, d, best, order, lo, hi, mid);
        dim[node] = best;
        split[node] = data[order[mid] * d + best];
        left[node] = build(data, order, lo, mid);
        right[node] = build(data, order, mid, hi);
        return node;
    }

    /**
     * Rearranges order[lo, hi) so that order[k] holds the k-th smallest point by its key, point p's
     * key being data[p * stride + column] (Hoare's selection); the points left of k are no larger,
     * those right of it no smaller.
     */
    static void select(float[] data, int stride, int column, int[] order, int lo, int hi, int k) {
        int l = lo;
        int r = hi - 1;
        while (l < r) {
            float pivot = data[order[(l + r) >>> 1] * stride + column];
            int i = l;
            int m = r;
            while (i <= m) {
                while (data[order[i] * stride + column] < pivot) {
                    i++;
                }
                while (data[order[m] * stride + column] > pivot) {
                    m--;
                }
                if (i <= m) {
                    int t = order[i];
                    order[i] = order[m];
                    order[m] = t;
                    i++;
                    m--;
                }
            }
            if (k <= m) {
                r = m;
            } else if (k >= i) {
                l = i;
            } else {
                return;
            }
        }
    }

    /**
     * The squared Euclidean distances from {@code query[offset, offset + d)} to its {@code k}
     * nearest points, in increasing order, written to {@code out[0, k)}. {@code k} must not exceed
     * the number of points.
     */
    void nearest(float[] query, int offset, int k, double[] out) {
        java.util.Arrays.fill(out, 0, k, Double.POSITIVE_INFINITY);
        search(0, query, offset, k, out);
    }

    private void search(int node, float[] q, int offset, int k, double[] best) {
        int j = dim[node];
        if (j < 0) {
            for (int i = from[node]; i < to[node]; i++) {
                double s = 0;
                int base = i * d;
                for (int c = 0; c < d; c++) {
                    double diff = q[offset + c] - points[base + c];
                    s += diff * diff;
                }
                if (s < best[k - 1]) {
                    insert(best, k, s);
                }
            }
            return;
        }
        double delta = q[offset + j] - split[node];
        int near = delta < 0 ? left[node] : right[node];
        int far = delta < 0 ? right[node] : left[node];
        search(near, q, offset, k, best);
        if (delta * delta < best[k - 1]) {
            search(far, q, offset, k, best);
        }
    }

    /** Inserts {@code s} into the sorted {@code best[0, k)}, dropping the largest. */
    private static void insert(double[] best, int k, double s) {
        int i = k - 1;
        while (i > 0 && best[i - 1] > s) {
            best[i] = best[i - 1];
            i--;
        }
        best[i] = s;
    }

    /** The points, in the tree's order (for saving: a tree rebuilt from them is the same tree). */
    float[] points() {
        return points.clone();
    }
}
