package org.darkscope.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.darkscope.detect.Detector;
import org.darkscope.detect.Detectors;
import org.darkscope.detect.Hyperparameters;
import org.darkscope.detect.TrainingConfig;
import org.darkscope.detect.TrainingData;
import org.darkscope.detect.TrainingHistory;
import org.darkscope.detect.TrainingListener;
import org.darkscope.feature.Encodings;
import org.darkscope.feature.FeatureBatch;

/**
 * Training throughput of a detector's network with darkscope's training loop: events per second
 * over the training batches of each epoch (validation excluded), median of the epochs after the
 * first. The peer is {@code bench/torch_train.py}, the same network, batch size, optimiser,
 * gradient clipping and thread count in PyTorch. Usage: {@code TrainBenchmark DETECTOR EVENTS EPOCHS BATCH [ENCODING
 * [KEY=VALUE...]]}: the inputs have the encoding's shape (the detector's default encoding without
 * one; the peer's networks read {@code kinematic-56} and the convolutional VAE's {@code conv-14x4}),
 * and the settings make the network the peer's where the detector's defaults differ.
 */
public final class TrainBenchmark {
    private TrainBenchmark() {
    }

    public static void main(String[] args) {
        String detector = args[0];
        int events = Integer.parseInt(args[1]);
        int epochs = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        int[] shape = Encodings.byName(args.length > 4 ? args[4] : Detectors.kind(detector).encoding()).shape();
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        SplittableRandom random = new SplittableRandom(1);
        float[] values = new float[events * size];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        FeatureBatch train = new FeatureBatch(values, events, shape);
        FeatureBatch validation = train.slice(0, Math.min(events, 1024));
        List<Double> rates = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onEpoch(TrainingHistory.Epoch epoch, int maxEpochs) {
                rates.add(epoch.eventsPerSecond());
            }
        };
        // patience above the epoch count: every epoch runs, as in the peer
        TrainingConfig config = new TrainingConfig(epochs, batch, 1e-3, 1, epochs + 1, 5.0, listener);
        Hyperparameters settings = Hyperparameters.parse(args.length > 5 ? List.of(args).subList(5, args.length) : List.of());
        try (Detector d = Detectors.create(detector, settings)) {
            d.fit(new TrainingData(train, validation), config);
            if (!d.history().recoveries().isEmpty()) { // a rolled-back epoch is no rate: say so rather than print one
                throw new IllegalStateException(detector + " needed rescuing on ordinary inputs, no rate reported: "
                        + d.history().recoveries());
            }
            List<Double> steady = new ArrayList<>(rates.subList(1, rates.size()));
            steady.sort(null);
            double median = steady.get(steady.size() / 2);
            System.out.printf("darkscope train %s: %d parameters, %d events x %d epochs, batch %d: %.0f events/s (median epoch)%n",
                    detector, d.parameterCount(), events, epochs, batch, median);
            System.out.printf("RESULT train_%s_events_per_s %.0f%n", detector, median);
        }
    }
}
