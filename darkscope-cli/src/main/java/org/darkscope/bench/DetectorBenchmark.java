package org.darkscope.bench;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.darkscope.detect.Detector;
import org.darkscope.detect.Detectors;
import org.darkscope.detect.Hyperparameters;
import org.darkscope.detect.TrainingConfig;
import org.darkscope.detect.TrainingData;
import org.darkscope.event.Event;
import org.darkscope.feature.Encodings;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.feature.FittedEncoder;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;

/**
 * Training and scoring throughput of a detector on its default encoding: the events of a file,
 * encoded and standardised, repeated with a little Gaussian jitter (0.05 standard deviations) up
 * to the requested number of training and scoring events. Training time is the whole {@code fit}
 * (the flow: 20 epochs, batch 256); scoring time the whole {@code score} of the scoring events.
 * For {@code knn} and {@code kde} the features are also written beside the output
 * ({@code detector-knn-features.bin}, {@code detector-kde-features.bin}) for their peers,
 * {@code bench/knn_peer.py} (SciPy's cKDTree, the same k) and {@code bench/kde_peer.py} (SciPy's
 * gaussian_kde, the same bandwidth rule). Usage:
 * {@code DetectorBenchmark DETECTOR EVENTS_FILE TRAIN_EVENTS SCORE_EVENTS}.
 */
public final class DetectorBenchmark {
    private DetectorBenchmark() {
    }

    public static void main(String[] args) {
        String detector = args[0];
        Path file = Path.of(args[1]);
        int trainEvents = Integer.parseInt(args[2]);
        int scoreEvents = Integer.parseInt(args[3]);
        List<Event> events = EventFiles.read(file, ParseMode.STRICT, -1);
        FittedEncoder encoder = FittedEncoder.fit(Encodings.byName(Detectors.kind(detector).encoding()), events);
        FeatureBatch base = encoder.encode(events);
        FeatureBatch train = jittered(base, trainEvents, new SplittableRandom(1));
        FeatureBatch score = jittered(base, scoreEvents, new SplittableRandom(2));
        TrainingConfig config = TrainingConfig.defaults(20, 1);
        try (Detector d = Detectors.create(detector, Hyperparameters.empty())) {
            TrainingData data = TrainingData.split(encoder, train, Detectors.validationFraction(d, 0.2), 1);
            long start = System.nanoTime();
            d.fit(data, config);
            double fitSeconds = (System.nanoTime() - start) / 1e9;
            d.score(score.slice(0, Math.min(score.rows(), 2048))); // warm-up
            start = System.nanoTime();
            d.score(score);
            double scoreSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("darkscope %s on %s (%d features): fit on %d events in %.2f s (%.0f events/s), scored %d events in %.2f s (%.0f events/s)%n",
                    detector, encoder.encoding().name(), base.rowSize(), data.train().rows(), fitSeconds,
                    data.train().rows() / fitSeconds, score.rows(), scoreSeconds, score.rows() / scoreSeconds);
            System.out.printf("RESULT train_%s_events_per_s %.0f%n", detector, data.train().rows() / fitSeconds);
            System.out.printf("RESULT score_%s_events_per_s %.0f%n", detector, score.rows() / scoreSeconds);
            if (detector.equals("knn") || detector.equals("kde")) { // the events the peer fits and scores
                write(Path.of(System.getProperty("bench.out", "bench/out")).resolve("detector-" + detector + "-features.bin"), data.train(), score);
            }
        }
    }

    /** {@code n} rows drawn in turn from {@code base}, each feature plus N(0, 0.05^2). */
    private static FeatureBatch jittered(FeatureBatch base, int n, SplittableRandom random) {
        int d = base.rowSize();
        float[] v = new float[n * d];
        for (int i = 0; i < n; i++) {
            int r = i % base.rows();
            for (int j = 0; j < d; j++) {
                v[i * d + j] = (float) (base.values()[r * d + j] + 0.05 * random.nextGaussian());
            }
        }
        return new FeatureBatch(v, n, base.shape());
    }

    /** Little-endian: int rows, int features, the training floats; then the same for the scoring events. */
    private static void write(Path path, FeatureBatch train, FeatureBatch score) {
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(path)))) {
            for (FeatureBatch b : List.of(train, score)) {
                ByteBuffer buffer = ByteBuffer.allocate(8 + 4 * b.values().length).order(ByteOrder.LITTLE_ENDIAN);
                buffer.putInt(b.rows()).putInt(b.rowSize());
                buffer.asFloatBuffer().put(b.values());
                out.write(buffer.array());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
