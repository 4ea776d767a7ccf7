package org.darkscope.detect;

import java.util.function.IntFunction;

/**
 * The Cholesky factorisation of a symmetric positive-definite matrix and the forward substitution
 * with its factor, for the Gaussian densities of {@code gmm} and {@code kde}.
 */
final class Cholesky {
    private Cholesky() {
    }

    /**
     * The lower-triangular L with L L^T = {@code a}; where {@code a} is not positive definite, an
     * IllegalArgumentException saying {@code notPositive} of the first diagonal element that fails.
     */
    static double[][] lower(double[][] a, IntFunction<String> notPositive) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int p = 0; p < j; p++) {
                    s -= l[i][p] * l[j][p];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException(notPositive.apply(i));
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    /**
     * z = L^-1 (x - shift) by forward substitution, into {@code out} from {@code offset}; {@code shift}
     * null for none.
     */
    static void solveLower(double[][] l, double[] x, double[] shift, double[] out, int offset) {
        for (int i = 0; i < l.length; i++) {
            double s = shift == null ? x[i] : x[i] - shift[i];
            for (int p = 0; p < i; p++) {
                s -= l[i][p] * out[offset + p];
            }
            out[offset + i] = s / l[i][i];
        }
    }
}
