package org.darkscope.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.darkscope.feature.FeatureBatch;

/**
 * {@code exceedance}: how rarely the background is at least as hard as the event in every
 * respect at once. The score is -log10 of the joint exceedance probability, the empirical
 * multivariate survival function of the training background at the event,
 * (number of training events with every variable at least the event's + 1) / (N + 1): the
 * background efficiency of the box cut MET >= the event's MET, HT >= its HT, leptons >= its
 * number of leptons (the default variables). A cut on MET or HT is the same with one variable; new
 * heavy particles make events harder in several at once, and the box asks for no more than that
 * (H. Joe, <i>Multivariate Models and Dependence Concepts</i>, Chapman and Hall 1997, for
 * the survival function). Only the order of each variable's values counts, so that the score is
 * the same on the encoding's logarithms, standardised, as on MeV. Nothing is trained or drawn at
 * random: the training events' variables are kept, and counted in a k-d tree ({@link OrthantCounter}).
 * Training events that count by their weights ({@code train --weighted}) give (weight of those at
 * least as hard + w&#772;) / (W + w&#772;), W their total weight and w&#772; its mean per event, the event
 * scored counted as one of mean weight: with equal weights the same as counted once.
 *
 * <p>Setting: {@code variables} (log_met,log_ht,n_lepton: features of the encoding, by name).
 */
public final class Exceedance implements Detector {
    private static final String FILE = "exceedance.bin";
    /** The training events' weights, in the order of {@link #FILE}'s; absent where each counts once. */
    private static final String WEIGHTS_FILE = "exceedance-weights.bin";
    private static final double LN_10 = Math.log(10);

    public static final Setting VARIABLES = Setting.of("variables", "feature names", "comma-separated features of the encoding, each once",
            "log_met,log_ht,n_lepton", "the encoding's features in which an event is compared with the background, by name (one the"
                    + " encoding lacks is refused, its features listed)",
            v -> v.matches("[a-z0-9_]+(,[a-z0-9_]+)*") && Arrays.stream(v.split(",")).distinct().count() == v.split(",").length);
    public static final List<Setting> SETTINGS = List.of(VARIABLES);

    private final List<String> variables;
    /** Per variable, its position among the encoding's features. */
    private int[] columns;
    private int features;
    /** The training events' variables, and their count. */
    private OrthantCounter counter;

    public Exceedance(Hyperparameters hp) {
        Hyperparameters settings = Setting.complete("exceedance", hp, SETTINGS);
        this.variables = List.of(VARIABLES.text(settings).split(","));
    }

    @Override
    public String name() {
        return "exceedance";
    }

    /** Nothing to validate: fitted on every training event. */
    @Override
    public boolean validates() {
        return false;
    }

    @Override
    public Hyperparameters hyperparameters() {
        return Hyperparameters.empty().with(VARIABLES.name(), String.join(",", variables));
    }

    /** The box's background fraction counts the training events by their weights. */
    @Override
    public boolean fitsWeights() {
        return true;
    }

    @Override
    public void fit(TrainingData data, TrainingConfig config) {
        List<String> names = data.featureNames();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("exceedance finds its variables by the encoding's feature names, and none were given");
        }
        List<String> missing = variables.stream().filter(v -> !names.contains(v)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("exceedance: the encoding has no feature " + String.join(", ", missing) + " (its features: "
                    + String.join(", ", names) + "); set variables to some of these");
        }
        FeatureBatch train = data.train();
        if (train.rows() == 0) {
            throw new IllegalArgumentException("exceedance needs training events, got none");
        }
        features = train.rowSize();
        columns = variables.stream().mapToInt(names::indexOf).toArray();
        float[][] background = new float[columns.length][train.rows()];
        for (int i = 0; i < train.rows(); i++) {
            for (int c = 0; c < columns.length; c++) {
                background[c][i] = train.values()[i * features + columns[c]];
            }
        }
        counter = new OrthantCounter(background, data.trainWeights());
    }

    /** The variables, by name. */
    public List<String> variables() {
        return variables;
    }

    /** The training events kept: variable c of event i at [c][i], in no particular order (a copy). */
    public float[][] trainingVariables() {
        return counter.points();
    }

    /** The training events' weights, in the order of {@link #trainingVariables} (a copy); null where each counts once. */
    public double[] trainingWeights() {
        return counter.weights();
    }

    /** Positions of the variables among the encoding's features (a copy). */
    public int[] columns() {
        return columns.clone();
    }

    @Override
    public float[] score(FeatureBatch batch) {
        if (counter == null) {
            throw new IllegalStateException("exceedance is not fitted");
        }
        if (batch.rowSize() != features) {
            throw new IllegalArgumentException("exceedance was fitted on " + features + " features, events have " + batch.rowSize());
        }
        float[] scores = new float[batch.rows()];
        float[] x = batch.values();
        double mean = counter.totalWeight() / counter.size(); // 1 where each counts once
        double logAll = Math.log(counter.totalWeight() + mean);
        // each event's count is independent: parallel, and the same result in any order
        IntStream.range(0, batch.rows()).parallel().forEach(r -> {
            double harder = counter.atLeast(x, r * features, columns);
            scores[r] = (float) ((logAll - Math.log(harder + mean)) / LN_10);
        });
        return scores;
    }

    @Override
    public List<Path> save(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(counter.size());
            out.writeInt(columns.length);
            for (int column : columns) {
                out.writeInt(column);
            }
            for (float[] variable : counter.points()) {
                for (float v : variable) {
                    out.writeFloat(v);
                }
            }
        }
        double[] weights = counter.weights();
        if (weights == null) {
            return List.of(file);
        }
        return List.of(file, WeightsFile.write(directory.resolve(WEIGHTS_FILE), weights));
    }

    @Override
    public void load(Path directory, int[] inputShape, TrainingHistory history) throws IOException {
        int d = FeatureBatch.product(inputShape);
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(directory.resolve(FILE))))) {
            int n = in.readInt();
            int k = in.readInt();
            if (n <= 0 || k != variables.size() || (long) n * k > Integer.MAX_VALUE - 8) {
                throw new IOException(String.format(Locale.ROOT, "%s holds %d events of %d variables; the settings name %d", FILE, n, k,
                        variables.size()));
            }
            int[] stored = new int[k];
            for (int c = 0; c < k; c++) {
                stored[c] = in.readInt();
                if (stored[c] < 0 || stored[c] >= d) {
                    throw new IOException(FILE + ": variable " + variables.get(c) + " at feature " + stored[c] + "; the encoding has " + d);
                }
            }
            float[][] kept = new float[k][n];
            for (float[] variable : kept) {
                for (int i = 0; i < n; i++) {
                    variable[i] = in.readFloat();
                }
            }
            columns = stored;
            features = d;
            counter = new OrthantCounter(kept, WeightsFile.read(directory.resolve(WEIGHTS_FILE), n, false));
        }
    }

    @Override
    public void close() {
    }
}
