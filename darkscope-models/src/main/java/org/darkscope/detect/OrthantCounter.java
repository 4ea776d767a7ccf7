package org.darkscope.detect;

/**
 * Counts the points at least as large as a query in every coordinate (the points in its upper
 * orthant), exactly: a k-d tree (J. L. Bentley, Commun. ACM 18 (1975) 509) whose every node knows
 * its points' bounding box and number. A node whose box lies wholly in the orthant counts whole
 * and one wholly outside not at all; only the nodes the orthant's boundary cuts are opened, about
 * n^(1 - 1/k) of n points for k coordinates where a scan reads them all: with {@code exceedance}'s
 * three variables on 2 cores, 22,700 events/s against 100,000 training events where a scan of those
 * harder in the first gave 2,200, and 125,700 against 5,424 where it gave 37,800
 * ({@code DetectorBenchmark exceedance FILE N 100000}, 2026-12-07). Points may carry weights:
 * then it sums the weights of the points in the orthant, a node's from running sums in the tree's order.
 */
final class OrthantCounter {
    /** Points a leaf holds at most: scanned rather than split further. */
    private static final int LEAF = 16;

    /**
     * The deepest a tree of up to 2^31 points goes (halved at every level, at least LEAF / 2 points in
     * a leaf), and so the most nodes waiting on a search's stack: one per level and the two just pushed.
     */
    private static final int STACK = 64;

    private final int k;
    /** The points, coordinate by coordinate, in the tree's order: a node's points are [start, end). */
    private final float[][] points;
    private int nodes;
    private final int[] start;
    private final int[] end;
    /** A node's second child, -1 for a leaf; its first is the node after it (the tree is built depth first). */
    private final int[] right;
    /** Node n's box in coordinate c: [low[n k + c], high[n k + c]]. */
    private final float[] low;
    private final float[] high;
    /** The points' weights in the tree's order, null where each counts once; and their running sums, [i] over the first i. */
    private final double[] weights;
    private final double[] runningWeight;

    /** The counter of the {@code n} points whose coordinate c is {@code columns[c][i]} (copied, not kept). */
    OrthantCounter(float[][] columns) {
        this(columns, null);
    }

    /** As {@link #OrthantCounter(float[][])}, point i weighing {@code weights[i]} (null: each counts once). */
    OrthantCounter(float[][] columns, double[] weights) {
        this.k = columns.length;
        int n = columns[0].length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // a node of more than LEAF points is split in halves: every leaf holds at least LEAF / 2 of
        // them (or is the root), so that there are at most n / (LEAF / 2) leaves and twice as many nodes
        int capacity = 2 * (n / (LEAF / 2) + 1);
        start = new int[capacity];
        end = new int[capacity];
        right = new int[capacity];
        low = new float[capacity * k];
        high = new float[capacity * k];
        build(columns, order, 0, n);
        points = new float[k][n];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                points[c][i] = columns[c][order[i]];
            }
        }
        if (weights == null) {
            this.weights = null;
            this.runningWeight = null;
            return;
        }
        this.weights = new double[n];
        this.runningWeight = new double[n + 1];
        for (int i = 0; i < n; i++) {
            this.weights[i] = weights[order[i]];
            runningWeight[i + 1] = runningWeight[i] + this.weights[i];
        }
    }

    /** Builds the node of the points {@code order[from, to)}; returns its index. */
    private int build(float[][] columns, int[] order, int from, int to) {
        int node = nodes++;
        start[node] = from;
        end[node] = to;
        int widest = 0;
        float widestSpan = -1;
        for (int c = 0; c < k; c++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                float v = columns[c][order[i]];
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            low[node * k + c] = min;
            high[node * k + c] = max;
            if (max - min > widestSpan) {
                widestSpan = max - min;
                widest = c;
            }
        }
        if (to - from <= LEAF || widestSpan <= 0) {
            right[node] = -1;
            return node;
        }
        int middle = (from + to) >>> 1;
        KdTree.select(columns[widest], 1, 0, order, from, to, middle);
        build(columns, order, from, middle); // node + 1
        right[node] = build(columns, order, middle, to);
        return node;
    }

    /**
     * The points with coordinate c at least {@code x[offset + columns[c]]} for every c: their number,
     * or where they are weighted, their weight.
     */
    double atLeast(float[] x, int offset, int[] columns) {
        float[] q = new float[k];
        for (int c = 0; c < k; c++) {
            q[c] = x[offset + columns[c]];
        }
        double count = 0;
        int[] stack = new int[STACK];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int node = stack[--top];
            boolean inside = true;
            boolean outside = false;
            for (int c = 0; c < k && !outside; c++) {
                inside &= low[node * k + c] >= q[c];
                outside = high[node * k + c] < q[c];
            }
            if (outside) {
                continue;
            }
            if (inside) {
                count += weights == null ? end[node] - start[node] : runningWeight[end[node]] - runningWeight[start[node]];
            } else if (right[node] < 0) {
                count += scan(node, q);
            } else {
                stack[top++] = node + 1;
                stack[top++] = right[node];
            }
        }
        return count;
    }

    /** The number of points. */
    int size() {
        return points[0].length;
    }

    /** The points' weights in the tree's order (a copy); null where each counts once. */
    double[] weights() {
        return weights == null ? null : weights.clone();
    }

    /** Their total weight; their number where each counts once. */
    double totalWeight() {
        return weights == null ? size() : runningWeight[size()];
    }

    /** The points, coordinate by coordinate (point i's coordinate c at [c][i]), in the tree's order (a copy). */
    float[][] points() {
        return java.util.Arrays.stream(points).map(float[]::clone).toArray(float[][]::new);
    }

    /** The points of leaf {@code node} in the orthant of {@code q}: their number, or their weight. */
    private double scan(int node, float[] q) {
        double count = 0;
        for (int i = start[node]; i < end[node]; i++) {
            boolean in = true;
            for (int c = 0; c < k && in; c++) {
                in = points[c][i] >= q[c];
            }
            if (in) {
                count += weights == null ? 1 : weights[i];
            }
        }
        return count;
    }
}
