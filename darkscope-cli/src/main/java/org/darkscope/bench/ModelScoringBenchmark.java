package org.darkscope.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.event.Event;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;

/**
 * The network alone: how fast a bundle's detector scores events already encoded in memory (the
 * events of a file, repeated up to the requested number), the median of five passes after a
 * warm-up. For comparing two bundles of one model, such as darkscope's own and its ONNX export
 * run by ONNX Runtime. Usage: {@code ModelScoringBenchmark EVENTS_FILE EVENTS NAME=BUNDLE...}.
 */
public final class ModelScoringBenchmark {
    private ModelScoringBenchmark() {
    }

    public static void main(String[] args) {
        List<Event> events = EventFiles.read(Path.of(args[0]), ParseMode.STRICT, -1);
        int n = Integer.parseInt(args[1]);
        for (int a = 2; a < args.length; a++) {
            String[] named = args[a].split("=", 2);
            try (TrainedModel model = ModelBundle.load(Path.of(named[1]))) {
                FeatureBatch one = model.encoder().encode(events);
                float[] values = new float[n * one.rowSize()];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(one.values(), (i % one.rows()) * one.rowSize(), values, i * one.rowSize(), one.rowSize());
                }
                FeatureBatch batch = new FeatureBatch(values, n, one.shape());
                model.detector().score(batch.slice(0, Math.min(n, 65536))); // warm-up
                double[] seconds = new double[5];
                for (int r = 0; r < seconds.length; r++) {
                    long start = System.nanoTime();
                    model.detector().score(batch);
                    seconds[r] = (System.nanoTime() - start) / 1e9;
                }
                Arrays.sort(seconds);
                System.out.printf("%s: %d encoded events in %.3f s (%.0f events/s), median of 5%n", named[0], n, seconds[2], n / seconds[2]);
                System.out.printf("RESULT score_%s_events_per_s %.0f%n", named[0], n / seconds[2]);
            }
        }
    }
}
