package org.darkscope.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.darkscope.metric.RocCurve;
import org.darkscope.metric.StatisticalErrors;

/**
 * What the statistical errors of the figures of merit cost: the bootstrap's replicates for a
 * background and a signal sample of the given sizes (scores drawn at random, every one distinct),
 * beside the ROC curve alone and the asymptotic formulas read off it (what samples above
 * {@link StatisticalErrors#MAX_EVENTS} events and Spark get), median of three runs after a warm-up. Run by {@code bench/run.sh};
 * not a test. Usage: {@code ErrorsBenchmark BACKGROUND_EVENTS SIGNAL_EVENTS}.
 */
public final class ErrorsBenchmark {
    private ErrorsBenchmark() {
    }

    public static void main(String[] args) {
        int nb = Integer.parseInt(args[0]);
        int ns = Integer.parseInt(args[1]);
        SplittableRandom random = new SplittableRandom(1);
        float[] background = new float[nb];
        float[] signal = new float[ns];
        for (int i = 0; i < nb; i++) {
            background[i] = (float) random.nextDouble();
        }
        for (int i = 0; i < ns; i++) {
            signal[i] = (float) (0.2 + random.nextDouble());
        }
        StatisticalErrors.bootstrap(background, null, signal, null); // warm-up
        double errors = median(() -> StatisticalErrors.bootstrap(background, null, signal, null));
        double roc = median(() -> RocCurve.of(background, signal).auc());
        RocCurve curve = RocCurve.of(background, signal);
        double asymptotic = median(() -> StatisticalErrors.asymptotic(curve));
        System.out.printf("statistical errors of %d background and %d signal events: %d replicates in %.2f s (the ROC curve alone %.3f s; "
                + "the asymptotic formulas from the curve %.3f s), %d cores, median of 3%n", nb, ns, StatisticalErrors.REPLICATES, errors, roc,
                asymptotic, Runtime.getRuntime().availableProcessors());
        System.out.printf("RESULT errors_seconds_per_million_events %.2f%n", errors / ((nb + ns) / 1e6));
    }

    private static double median(Runnable work) {
        double[] seconds = new double[3];
        for (int i = 0; i < seconds.length; i++) {
            long start = System.nanoTime();
            work.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[1];
    }
}
