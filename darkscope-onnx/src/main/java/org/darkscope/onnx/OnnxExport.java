package org.darkscope.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.darkscope.DarkscopeVersion;
import org.darkscope.bundle.Manifest;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.detect.CombinedDetector;
import org.darkscope.detect.ConvVaeForm;
import org.darkscope.detect.ConvolutionalVae;
import org.darkscope.detect.DenseForm;
import org.darkscope.detect.Detector;
import org.darkscope.detect.FlowForm;
import org.darkscope.detect.Exceedance;
import org.darkscope.detect.GaussianMixture;
import org.darkscope.detect.KernelDensity;
import org.darkscope.detect.NearestNeighbours;
import org.darkscope.detect.NormalizingFlow;
import org.darkscope.detect.TailProbability;
import org.darkscope.detect.VaeForm;
import org.darkscope.detect.VariationalAutoencoder;
import org.darkscope.detect.NeuralDetector;
import org.darkscope.feature.DensityUnits;
import org.darkscope.feature.Encoding;
import org.darkscope.feature.Standardizer;
import org.darkscope.io.AtomicFile;
import org.darkscope.io.FileDigests;
import org.darkscope.onnx.ir.OnnxIr;
import org.darkscope.onnx.ir.OnnxIr.ModelProto;

/**
 * A trained detector's whole scoring function as one ONNX graph, for the experiments' software
 * (CMSSW and Athena run ONNX Runtime in C++): from the encoding's raw feature vector (float32,
 * [events, F]) through the standardisation fitted on background ((x - mean) / width), the
 * network, to the score (float32, [events]): a flow's -log p(x) ({@link FlowGraph}), the
 * reconstruction error or the VAE's negative ELBO, Deep SVDD's squared distance to its target,
 * or a classifier's log-odds.
 * Standard operators of opset {@value OnnxGraph#OPSET} only.
 *
 * <p>Beside the graph, {@code NAME.onnx.json} says what the input is (each raw feature with its
 * definition and unit, in order), the opset, darkscope's version and the bundle's provenance.
 * Detectors whose score is not a stack of dense layers are refused, saying why.
 */
public final class OnnxExport {
    /** The graph's input: the encoding's raw features. */
    public static final String INPUT = "features";
    /** The graph's output: one score per event. */
    public static final String OUTPUT = "score";
    /** The detectors exported (those that score with a stack of dense layers). */
    public static final String EXPORTED = "flow, maf, gmm, kde, knn, exceedance, ae, vae, conv-vae, deep-svdd (dense encodings), "
            + "classifier, hyperclass, combined of flow, maf, gmm, kde, knn, exceedance, ae, vae, deep-svdd";

    private OnnxExport() {
    }

    /** The graph of {@code model}'s score; refused (IllegalArgumentException, saying why) where it cannot be written as one. */
    public static ModelProto graph(TrainedModel model) {
        String detector = model.manifest().detector();
        Encoding encoding = model.encoder().encoding();
        if (detector.equals("iforest") || detector.equals("data-vs-reference")) {
            throw new IllegalArgumentException(detector + " cannot be one ONNX graph: " + (detector.equals("iforest")
                    ? "its score walks a hundred trees" : "each event is scored by the classifier of its part, chosen by a hash of the event")
                    + " (exported: " + EXPORTED + ")");
        }
        if (model.detector() instanceof CombinedDetector combined) {
            return combinedGraph(model, combined);
        }
        if (model.detector() instanceof ConvolutionalVae cvae) {
            return convVaeGraph(model, cvae.convVaeForm());
        }
        OnnxGraph g = new OnnxGraph("darkscope_" + detector);
        Score score = score(g, standardised(g, model), model.detector());
        if (score == null && !model.detector().learns()) {
            throw new IllegalArgumentException(detector + " has no model to export: " + (model.detector() instanceof OnnxDetector
                    ? "it is an ONNX file already, copied into the bundle as " + OnnxDetector.FILE
                    : model.detector() instanceof org.darkscope.detect.S2S1Baseline
                    ? "its score, -log10(S2/S1), is computed from the image itself"
                    : "its score is the event's " + detector.toUpperCase(java.util.Locale.ROOT) + ", computed from the event itself"));
        }
        if (score == null) {
            throw new IllegalArgumentException(detector + " on " + encoding.name() + " has no ONNX export: "
                    + (encoding.shape().length == 2 ? "a Deep Sets network on object sets is not exported (train it on a dense "
                    + "encoding to export it)" : "its score is not a network darkscope writes as a graph")
                    + " (exported: " + EXPORTED + ")");
        }
        g.node("Identity", OUTPUT, List.of(score.node()));
        return finish(g, model, score.meaning());
    }

    /** A detector's score in a graph: the node that holds it ([events], float) and what it means. */
    private record Score(String node, String meaning) {
    }

    /**
     * The score of {@code detector} from the standardised features {@code x}, its nodes added to
     * {@code g}; null (and nothing added) where it is not one graph on them. The one list of what
     * is exported, alone ({@link #graph}) and as a member of {@code combined}.
     */
    private static Score score(OnnxGraph g, String x, Detector detector) {
        if (detector instanceof NormalizingFlow flow) {
            return new Score(flowScore(g, x, flow.flowForm(), flow.densityUnits()), densityMeaning(flow.densityUnits(), "the flow's density"));
        }
        if (detector instanceof GaussianMixture gmm) {
            return new Score(mixtureScore(g, x, gmm), densityMeaning(gmm.densityUnits(), "the Gaussian mixture's density"));
        }
        if (detector instanceof NearestNeighbours knn) {
            return new Score(neighboursScore(g, x, knn), (knn.meanOfDistances() ? "the mean distance to the " : "the distance to the ")
                    + knn.k() + " nearest training events (standardised features)");
        }
        if (detector instanceof KernelDensity kde) {
            return new Score(kernelScore(g, x, kde), densityMeaning(kde.densityUnits(), "the kernel density estimate"));
        }
        if (detector instanceof Exceedance exceedance) {
            return new Score(exceedanceScore(g, x, exceedance), "-log10 of the fraction of training events at least as large in "
                    + String.join(", ", exceedance.variables()) + " (the box cut at the event's values)");
        }
        if (detector instanceof VariationalAutoencoder vae && vae.elboScore() && vae.vaeForm().isPresent()) {
            return new Score(elboScore(g, x, vae.vaeForm().orElseThrow()),
                    "the negative ELBO: the reconstruction error plus the KL divergence of the latent code");
        }
        DenseForm form = detector instanceof NeuralDetector neural ? neural.denseForm().orElse(null) : null;
        return form == null ? null : new Score(denseScore(g, x, form), meaning(form.score()));
    }

    /** A dense network's score from the standardised features {@code x}, float. */
    private static String denseScore(OnnxGraph g, String x, DenseForm form) {
        String h = x;
        for (int l = 0; l < form.layers().size(); l++) {
            h = layer(g, h, form.layers().get(l), "layer" + l);
        }
        String axes = g.constant("feature_axis", 1L);
        if (form.score() instanceof DenseForm.Output) {
            return g.node("Squeeze", List.of(h, axes));
        }
        String target = form.score() instanceof DenseForm.DistanceToCentre distance
                ? g.constant("centre", distance.centre(), distance.centre().length) : x;
        String d = g.node("Sub", List.of(h, target));
        String sum = g.reduceSum(g.node("Mul", List.of(d, d)), axes);
        float divisor = form.score() instanceof DenseForm.ReconstructionError error ? error.divisor() : 1f;
        return g.node("Div", List.of(sum, g.constant("divisor", new float[] {divisor})));
    }

    /** The graph's input and its standardisation; returns the name of the standardised features. */
    private static String standardised(OnnxGraph g, TrainedModel model) {
        int features = model.encoder().size();
        g.input(INPUT, features);
        Standardizer s = model.encoder().standardizer();
        // in double, then rounded to float, as darkscope standardises: the same standardised features to the bit
        // (a flow's density is steep in the discrete features: a last-bit difference there moved scores by 1e-5)
        String raw = g.node("Cast", List.of(INPUT), OnnxGraph.attribute("to", (long) OnnxIr.TensorProto.DataType.DOUBLE_VALUE));
        String standardised = g.node("Div", List.of(g.node("Sub", List.of(raw, g.constant("mean", s.mean(), features))),
                g.constant("width", s.scale(), features)));
        return g.node("Cast", List.of(standardised), OnnxGraph.attribute("to", (long) OnnxIr.TensorProto.DataType.FLOAT_VALUE));
    }

    /** A flow's score from the standardised features {@code x}: -log p(x) in nats, in {@code units}, float. */
    private static String flowScore(OnnxGraph g, String x, FlowForm form, DensityUnits units) {
        return inUnits(g, x, FlowGraph.negativeLogDensity(g, form, x), units);
    }

    /**
     * -log p in {@code units} from -log p of the standardised features {@code x} (both float):
     * plus the offset and the slopes times {@code x}, summed in double and rounded to float, as
     * {@link DensityUnits#apply} does.
     */
    private static String inUnits(OnnxGraph g, String x, String negativeLogDensity, DensityUnits units) {
        if (units.none()) {
            return negativeLogDensity;
        }
        long toDouble = OnnxIr.TensorProto.DataType.DOUBLE_VALUE;
        String slope = g.constant("unit_slope", units.slope(), units.slope().length);
        String term = g.node("MatMul", List.of(g.node("Cast", List.of(x), OnnxGraph.attribute("to", toDouble)), slope));
        String shifted = g.node("Add", List.of(g.node("Cast", List.of(negativeLogDensity), OnnxGraph.attribute("to", toDouble)),
                g.constant("unit_offset", new double[] {units.offset()})));
        return g.node("Cast", List.of(g.node("Add", List.of(shifted, term))),
                OnnxGraph.attribute("to", (long) OnnxIr.TensorProto.DataType.FLOAT_VALUE));
    }

    /** What a density detector's score means, in its units. */
    private static String densityMeaning(DensityUnits units, String whose) {
        return "-log p(x) in nats " + (units.none() ? "of the standardised features" : "per GeV of every energy and momentum")
                + " (" + whose + ")";
    }

    /** The dense VAE's negative ELBO from the standardised features {@code x}: 0.5 sum (x' - x)^2 - 0.5 sum (1 + log var - mu^2 - exp(log var)), float. */
    private static String elboScore(OnnxGraph g, String x, VaeForm form) {
        String h = x;
        int n = 0;
        for (DenseForm.Layer layer : form.encoder()) {
            h = layer(g, h, layer, "encoder" + n++);
        }
        String mu = layer(g, h, form.mean(), "mean");
        String logVariance = logVariance(g, h, form.logVariance(), form.logVarianceBound());
        String r = mu;
        for (DenseForm.Layer layer : form.decoder()) {
            r = layer(g, r, layer, "decoder" + n++);
        }
        return vaeScore(g, x, r, mu, logVariance, true);
    }

    /**
     * The Gaussian mixture's -log p(x), in double as darkscope computes it: per component
     * log w + log N(x; mu, Sigma) = const - |P (x - mu)|^2 / 2 with P the inverse of the
     * covariance's Cholesky factor, then -logsumexp over the components; from the standardised
     * features, in the mixture's units, float.
     */
    private static String mixtureScore(OnnxGraph g, String features, GaussianMixture gmm) {
        GaussianMixture.Mixture mixture = gmm.mixture();
        String x = g.node("Cast", List.of(features), OnnxGraph.attribute("to", (long) OnnxIr.TensorProto.DataType.DOUBLE_VALUE));
        int k = mixture.weights().length;
        int d = mixture.means()[0].length;
        double[] means = new double[k * d];
        double[] inverse = new double[k * d * d]; // per component P^T, row-major, for (x - mu) P^T
        double[] constants = new double[k];
        for (int c = 0; c < k; c++) {
            System.arraycopy(mixture.means()[c], 0, means, c * d, d);
            double[][] l = gmm.cholesky(c);
            double[][] p = lowerInverse(l);
            double logDet = 0;
            for (int i = 0; i < d; i++) {
                logDet += 2 * Math.log(l[i][i]);
                for (int j = 0; j < d; j++) {
                    inverse[c * d * d + j * d + i] = p[i][j];
                }
            }
            constants[c] = Math.log(mixture.weights()[c]) - 0.5 * (d * Math.log(2 * Math.PI) + logDet);
        }
        String diff = g.node("Sub", List.of(g.node("Unsqueeze", List.of(x, g.constant("component_axis", 1L))), g.constant("means", means, k, d)));
        String z = g.node("MatMul", List.of(g.node("Unsqueeze", List.of(diff, g.constant("row_axis", 2L))), g.constant("inverse_cholesky_t", inverse, k, d, d)));
        String q = g.reduceSum(g.node("Mul", List.of(z, z)), g.constant("row_and_feature_axes", 2L, 3L));
        String log = g.node("Sub", List.of(g.constant("log_normalisation", constants, k), g.node("Mul", List.of(q, g.constant("half", new double[] {0.5})))));
        String logDensity = g.node("ReduceLogSumExp", List.of(log), OnnxGraph.ints("axes", 1), OnnxGraph.attribute("keepdims", 0L));
        String score = g.node("Cast", List.of(g.node("Neg", List.of(logDensity))), OnnxGraph.attribute("to", (long) OnnxIr.TensorProto.DataType.FLOAT_VALUE));
        return inUnits(g, features, score, gmm.densityUnits());
    }

    /**
     * {@code combined} of flows, mixtures, {@code knn} and dense networks: each member's score from the same standardised
     * features, its log tail probability ({@link #logTailProbability}), the rule applied in
     * logarithms, the score -log10 of the result, in double as darkscope computes it.
     */
    private static ModelProto combinedGraph(TrainedModel model, CombinedDetector combined) {
        OnnxGraph g = new OnnxGraph("darkscope_combined");
        String x = standardised(g, model);
        List<String> logP = new java.util.ArrayList<>();
        for (int i = 0; i < combined.members().size(); i++) {
            Detector member = combined.members().get(i);
            g.scope("member" + i + "_");
            Score score = score(g, x, member);
            if (score == null) {
                throw new IllegalArgumentException("combined is exported where its members are flows, mixtures, kernel or "
                        + "neighbour estimates or dense networks (flow, maf, gmm, kde, knn, ae, vae, deep-svdd); member " + member.name() + " is not");
            }
            logP.add(logTailProbability(g, score.node(), combined.tails().get(i)));
        }
        g.scope("");
        String combinedLogP = switch (combined.rule()) {
            case "or" -> g.node("Min", logP);
            case "and" -> g.node("Max", logP);
            case "product" -> logP.stream().reduce((a, b) -> g.node("Add", List.of(a, b))).orElseThrow();
            default -> { // average: log of the mean of p
                String axis = g.constant("member_axis", 1L);
                String columns = g.node("Concat", logP.stream().map(l -> g.node("Unsqueeze", List.of(l, axis))).toList(),
                        OnnxGraph.attribute("axis", 1L));
                yield g.node("Sub", List.of(g.node("ReduceLogSumExp", List.of(columns), OnnxGraph.ints("axes", 1),
                        OnnxGraph.attribute("keepdims", 0L)), g.constant("log_members", new double[] {Math.log(logP.size())})));
            }
        };
        String score = g.node("Div", List.of(combinedLogP, g.constant("minus_ln10", new double[] {-Math.log(10)})));
        g.node("Cast", OUTPUT, List.of(score), OnnxGraph.attribute("to", (long) OnnxIr.TensorProto.DataType.FLOAT_VALUE));
        return finish(g, model, "-log10 of the members' background tail probabilities combined by rule " + combined.rule()
                + " (members " + String.join(", ", combined.members().stream().map(Detector::name).toList()) + ")");
    }

    /**
     * log p of a member's float {@code score} ([events]) as {@link TailProbability#logOf} gives it,
     * in double: the index of the first calibration score at least as high (a count of those
     * below), the straight line between its neighbours' probabilities, 0 below the smallest, the
     * exponential tail above the largest.
     */
    private static String logTailProbability(OnnxGraph g, String score, TailProbability tail) {
        float[] c = tail.calibration();
        int n = c.length;
        long toDouble = OnnxIr.TensorProto.DataType.DOUBLE_VALUE;
        String axis = g.constant("tail_event_axis", 1L);
        String column = g.node("Unsqueeze", List.of(score, axis));
        String below = g.node("Cast", List.of(g.node("Less", List.of(g.constant("tail_calibration", c, 1, n), column))),
                OnnxGraph.attribute("to", (long) OnnxIr.TensorProto.DataType.INT64_VALUE));
        String above = g.reduceSum(below, axis); // [events]: the first calibration score >= score
        String zero = g.scalar("tail_zero", 0L);
        String last = g.scalar("tail_last", n - 1L);
        String right = g.node("Clip", List.of(above, zero, last));
        String left = g.node("Clip", List.of(g.node("Sub", List.of(above, g.scalar("tail_one", 1L))), zero, last));
        double[] wide = new double[n];
        for (int i = 0; i < n; i++) {
            wide[i] = c[i];
        }
        String cs = g.constant("tail_calibration_double", wide, n);
        String ps = g.constant("tail_probability_at_calibration", tail.atCalibration(), n);
        String s = g.node("Cast", List.of(score), OnnxGraph.attribute("to", toDouble));
        String cRight = g.node("Gather", List.of(cs, right));
        String cLeft = g.node("Gather", List.of(cs, left));
        String pRight = g.node("Gather", List.of(ps, right));
        String pLeft = g.node("Gather", List.of(ps, left));
        String fraction = g.node("Div", List.of(g.node("Sub", List.of(cRight, s)), g.node("Sub", List.of(cRight, cLeft))));
        String inside = g.node("Log", List.of(g.node("Add", List.of(pRight, g.node("Mul", List.of(
                g.node("Sub", List.of(pLeft, pRight)), fraction))))));
        double top = tail.atCalibration()[n - 1];
        String beyond = tail.tailScale() > 0
                ? g.node("Sub", List.of(g.constant("tail_log_top", new double[] {Math.log(top)}), g.node("Div", List.of(
                        g.node("Sub", List.of(s, g.constant("tail_largest", new double[] {c[n - 1]}))),
                        g.constant("tail_scale", new double[] {tail.tailScale()})))))
                : g.node("Identity", List.of(g.constant("tail_log_last_step", new double[] {Math.log(tail.floor())})));
        String none = g.node("Equal", List.of(above, zero));
        String all = g.node("Equal", List.of(above, g.scalar("tail_count", (long) n)));
        // (where no calibration score lies below, the line's ends coincide and give 0/0: not picked)
        return g.node("Where", List.of(none, g.constant("tail_log_one", new double[] {0}),
                g.node("Where", List.of(all, beyond, inside))));
    }

    /** The inverse of a lower-triangular matrix, by forward substitution column by column. */
    private static double[][] lowerInverse(double[][] l) {
        int d = l.length;
        double[][] p = new double[d][d];
        for (int col = 0; col < d; col++) {
            for (int i = col; i < d; i++) {
                double s = i == col ? 1 : 0;
                for (int m = col; m < i; m++) {
                    s -= l[i][m] * p[m][col];
                }
                p[i][col] = s / l[i][i];
            }
        }
        return p;
    }

    /**
     * The distance to the k-th nearest training event (or the mean of the k), in double: the
     * squared distances to every training event, |x|^2 - 2 x.y + |y|^2, TopK, the square root.
     * The training events are in the graph (4 bytes times features per event). From the
     * standardised features, float.
     */
    private static String neighboursScore(OnnxGraph g, String standardised, NearestNeighbours knn) {
        String x = g.node("Cast", List.of(standardised), OnnxGraph.attribute("to", (long) OnnxIr.TensorProto.DataType.DOUBLE_VALUE));
        org.darkscope.feature.FeatureBatch points = knn.trainingEvents();
        int n = points.rows();
        int d = points.rowSize();
        double[] transposed = new double[d * n];
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double v = points.values()[i * d + j];
                transposed[j * n + i] = v;
                norms[i] += v * v;
            }
        }
        String features = g.constant("feature_axis", 1L);
        String xNorm = g.node("ReduceSum", List.of(g.node("Mul", List.of(x, x)), features), OnnxGraph.attribute("keepdims", 1L));
        String cross = g.node("MatMul", List.of(x, g.constant("training_events_t", transposed, d, n)));
        String squared = g.node("Max", List.of(g.node("Add", List.of(g.node("Sub", List.of(xNorm, g.node("Mul", List.of(cross,
                g.constant("two", new double[] {2}))))), g.constant("training_norms", norms, n))), g.constant("zero", new double[] {0})));
        String nearest = g.node("TopK", List.of(squared, g.constant("k", (long) knn.k())), 2, OnnxGraph.attribute("largest", 0L),
                OnnxGraph.attribute("sorted", 1L)); // values, and their indices (unused)
        String distances = g.node("Sqrt", List.of(nearest));
        String score = knn.meanOfDistances()
                ? g.node("ReduceMean", List.of(distances), OnnxGraph.ints("axes", 1), OnnxGraph.attribute("keepdims", 0L))
                : g.node("Squeeze", List.of(g.node("Slice", List.of(distances, g.constant("last_from", (long) knn.k() - 1),
                        g.constant("last_to", (long) knn.k()), features)), features));
        return g.node("Cast", List.of(score), OnnxGraph.attribute("to", (long) OnnxIr.TensorProto.DataType.FLOAT_VALUE));
    }

    /**
     * The exceedance score from the standardised features: per variable, which training events are
     * at least the event's (GreaterOrEqual against the training events' column, [events, N]), all
     * variables at once (And), counted (ReduceSum, in double: exact), then log10((N + 1) / (count + 1)),
     * computed in double and rounded to float as darkscope does; where the training events count by
     * their weights, their weights summed, and log10((W + w&#772;) / (weight + w&#772;)).
     */
    private static String exceedanceScore(OnnxGraph g, String standardised, Exceedance exceedance) {
        float[][] background = exceedance.trainingVariables();
        int[] columns = exceedance.columns();
        int n = background[0].length;
        String all = null;
        for (int c = 0; c < columns.length; c++) {
            String variable = g.node("Gather", List.of(standardised, g.constant("exceedance_column" + c, (long) columns[c])),
                    OnnxGraph.attribute("axis", 1L)); // [events, 1]
            String atLeast = g.node("GreaterOrEqual", List.of(g.constant("exceedance_background" + c, background[c], 1, n), variable));
            all = all == null ? atLeast : g.node("And", List.of(all, atLeast));
        }
        long toDouble = OnnxIr.TensorProto.DataType.DOUBLE_VALUE;
        double[] weights = exceedance.trainingWeights();
        String harder = g.node("Cast", List.of(all), OnnxGraph.attribute("to", toDouble));
        if (weights != null) { // each training event at least as hard counts its weight
            harder = g.node("Mul", List.of(harder, g.constant("exceedance_weights", weights, 1, n)));
        }
        double total = weights == null ? n : java.util.Arrays.stream(weights).sum();
        double mean = total / n; // the event scored counted as one of mean weight: 1 where each counts once
        String count = g.reduceSum(harder, g.constant("exceedance_axis", 1L));
        String logCount = g.node("Log", List.of(g.node("Add", List.of(count, g.constant("exceedance_one", new double[] {mean})))));
        String score = g.node("Div", List.of(g.node("Sub", List.of(g.constant("exceedance_log_all", new double[] {Math.log(total + mean)}), logCount)),
                g.constant("exceedance_ln10", new double[] {Math.log(10)})));
        return g.node("Cast", List.of(score), OnnxGraph.attribute("to", (long) OnnxIr.TensorProto.DataType.FLOAT_VALUE));
    }

    /**
     * The kernel density estimate's -log p(x) from the standardised features, in double as darkscope
     * computes it: x whitened by the kernels' factor (L^-1 x, a MatMul), the squared distances to every
     * whitened training event (held in the graph, 8 bytes times features per event), then
     * -(log normalisation + ReduceLogSumExp(-d^2 / 2)), each kernel's log weight added where the
     * training events count by their weights, in its units, float.
     */
    private static String kernelScore(OnnxGraph g, String standardised, KernelDensity kde) {
        String x = g.node("Cast", List.of(standardised), OnnxGraph.attribute("to", (long) OnnxIr.TensorProto.DataType.DOUBLE_VALUE));
        double[][] inverse = lowerInverse(kde.kernelCholesky());
        int d = inverse.length;
        double[] whitening = new double[d * d]; // (L^-1)^T, row-major, for x (L^-1)^T
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                whitening[j * d + i] = inverse[i][j];
            }
        }
        double[] byFeature = kde.whitenedTrainingEventsByFeature();
        int n = byFeature.length / d;
        double[] norms = new double[n];
        for (int j = 0; j < d; j++) { // each event's features summed in order, as before
            for (int i = 0; i < n; i++) {
                double v = byFeature[j * n + i];
                norms[i] += v * v;
            }
        }
        String q = g.node("MatMul", List.of(x, g.constant("kernel_whitening_t", whitening, d, d)));
        String features = g.constant("kernel_feature_axis", 1L);
        String qNorm = g.node("ReduceSum", List.of(g.node("Mul", List.of(q, q)), features), OnnxGraph.attribute("keepdims", 1L));
        String cross = g.node("MatMul", List.of(q, g.constant("kernel_events_t", byFeature, d, n)));
        String squared = g.node("Max", List.of(g.node("Add", List.of(g.node("Sub", List.of(qNorm, g.node("Mul", List.of(cross,
                g.constant("kernel_two", new double[] {2}))))), g.constant("kernel_event_norms", norms, n))),
                g.constant("kernel_zero", new double[] {0})));
        String exponent = g.node("Mul", List.of(squared, g.constant("kernel_minus_half", new double[] {-0.5})));
        double[] logWeights = kde.logKernelWeights();
        if (logWeights != null) { // each kernel's log weight added: log-sum-exp of log w_i - d^2 / 2
            exponent = g.node("Add", List.of(exponent, g.constant("kernel_log_weights", logWeights, n)));
        }
        String logSum = g.node("ReduceLogSumExp", List.of(exponent), OnnxGraph.ints("axes", 1), OnnxGraph.attribute("keepdims", 0L));
        String negativeLog = g.node("Neg", List.of(g.node("Add", List.of(logSum, g.constant("kernel_log_normalisation",
                new double[] {kde.logNormalisation()})))));
        String score = g.node("Cast", List.of(negativeLog), OnnxGraph.attribute("to", (long) OnnxIr.TensorProto.DataType.FLOAT_VALUE));
        return inUnits(g, standardised, score, kde.densityUnits());
    }

    /** The VAE's log-variance head, bounded: tanh(r / bound) bound. */
    private static String logVariance(OnnxGraph g, String h, DenseForm.Layer head, float bound) {
        String b = g.constant("log_variance_bound", new float[] {bound});
        return g.node("Mul", List.of(g.node("Tanh", List.of(g.node("Div", List.of(layer(g, h, head, "log_variance"), b)))), b));
    }

    /** The VAE's score: 0.5 sum (x' - x)^2 over every axis but the events', minus 0.5 sum (1 + log var - mu^2 - exp(log var)) for the ELBO. */
    private static String vaeScore(OnnxGraph g, String x, String reconstruction, String mu, String logVariance, boolean elbo) {
        String half = g.constant("half", new float[] {0.5f});
        String d = g.node("Sub", List.of(reconstruction, x));
        String squares = g.node("Flatten", List.of(g.node("Mul", List.of(d, d))), OnnxGraph.attribute("axis", 1L));
        String error = g.node("Mul", List.of(g.reduceSum(squares, g.constant("error_axis", 1L)), half));
        if (!elbo) {
            return error;
        }
        String inner = g.node("Sub", List.of(g.node("Sub", List.of(g.node("Add", List.of(logVariance, g.constant("one", new float[] {1f}))),
                g.node("Mul", List.of(mu, mu)))), g.node("Exp", List.of(logVariance))));
        String kl = g.node("Neg", List.of(g.node("Mul", List.of(g.reduceSum(inner, g.constant("latent_axis", 1L)), half))));
        return g.node("Add", List.of(error, kl));
    }

    /** The talk's convolutional VAE ({@link ConvVaeForm}) on its event image, the input the flat raw features. */
    private static ModelProto convVaeGraph(TrainedModel model, ConvVaeForm form) {
        OnnxGraph g = new OnnxGraph("darkscope_conv_vae");
        String image = g.node("Reshape", List.of(standardised(g, model), g.constant("image_shape", -1L, form.channels(), 1L, form.rows())));
        String h = g.node("Relu", List.of(conv(g, image, form.encoderConvs().get(0), "conv0")));
        h = g.node("MaxPool", List.of(h), OnnxGraph.ints("kernel_shape", 1, 2), OnnxGraph.ints("strides", 1, 2));
        h = g.node("Relu", List.of(conv(g, h, form.encoderConvs().get(1), "conv1")));
        h = g.node("Flatten", List.of(h), OnnxGraph.attribute("axis", 1L));
        int n = 0;
        for (DenseForm.Layer layer : form.encoderDense()) {
            h = layer(g, h, layer, "encoder" + n++);
        }
        String mu = layer(g, h, form.mean(), "mean");
        String logVariance = logVariance(g, h, form.logVariance(), form.logVarianceBound());
        String r = g.node("Reshape", List.of(layer(g, mu, form.decoderDense(), "decoder"), g.constant("decoded_shape", -1L, form.channels(), 1L,
                form.rows())));
        for (int i = 0; i < form.decoderConvs().size(); i++) {
            r = conv(g, r, form.decoderConvs().get(i), "deconv" + i);
            if (i + 1 < form.decoderConvs().size()) {
                r = g.node("Relu", List.of(r));
            }
        }
        g.node("Identity", OUTPUT, List.of(vaeScore(g, image, r, mu, logVariance, form.elbo())));
        return finish(g, model, form.elbo() ? "the negative ELBO of the event image" : "the reconstruction error of the event image");
    }

    /** A 1 x 4 convolution padded by two columns on both sides, its first output column dropped (Keras' "same"). */
    private static String conv(OnnxGraph g, String input, ConvVaeForm.Conv conv, String name) {
        String out = g.node("Conv", List.of(input, g.constant(name + "_W", conv.weights(), conv.filters(), conv.inputs(), 1, ConvVaeForm.KERNEL_WIDTH),
                g.constant(name + "_b", conv.bias(), conv.filters())), OnnxGraph.ints("kernel_shape", 1, ConvVaeForm.KERNEL_WIDTH),
                OnnxGraph.ints("pads", 0, 2, 0, 2));
        return g.node("Slice", List.of(out, g.constant(name + "_from", 1L), g.constant(name + "_to", Long.MAX_VALUE), g.constant(name + "_axis", 3L)));
    }

    /** One dense layer and its activation. */
    private static String layer(OnnxGraph g, String input, DenseForm.Layer layer, String name) {
        List<String> inputs = new ArrayList<>(List.of(input, g.constant(name + "_W", layer.weights(), layer.outputs(), layer.inputs())));
        if (layer.bias() != null) {
            inputs.add(g.constant(name + "_b", layer.bias(), layer.outputs()));
        }
        String h = g.node("Gemm", inputs, OnnxGraph.attribute("transB", 1L));
        return switch (layer.activation()) {
            case RELU -> g.node("Relu", List.of(h));
            case LEAKY_RELU -> g.node("LeakyRelu", List.of(h), OnnxGraph.attribute("alpha", DenseForm.LEAKY_SLOPE));
            case LINEAR -> h;
        };
    }


    private static ModelProto finish(OnnxGraph g, TrainedModel model, String meaning) {
        g.output(OUTPUT);
        Manifest m = model.manifest();
        String encoding = model.encoder().encoding().name();
        return g.model(DarkscopeVersion.get(), "darkscope " + m.detector() + " on " + encoding + ": " + meaning,
                List.of("detector", m.detector(), "encoding", encoding, "created", m.created(), "darkscope_version", m.darkscopeVersion()));
    }

    private static String meaning(DenseForm.Score score) {
        if (score instanceof DenseForm.ReconstructionError) {
            return "the reconstruction error of the standardised features";
        }
        return score instanceof DenseForm.DistanceToCentre ? "the squared distance to Deep SVDD's target"
                : "the log-odds of signal against background";
    }

    /** Writes the graph of the bundle in {@code bundle} to {@code out} and its description to {@link #descriptionOf}. */
    public static void write(Path bundle, TrainedModel model, Path out) {
        ModelProto graph = graph(model);
        byte[] bytes = graph.toByteArray();
        AtomicFile.write(out, bytes);
        AtomicFile.write(descriptionOf(out), description(bundle, model, graph, FileDigests.compute(out)));
    }

    /** Where the description of the graph {@code onnx} lies: beside it, {@code NAME.onnx.json}. */
    public static Path descriptionOf(Path onnx) {
        return onnx.resolveSibling(onnx.getFileName() + ".json");
    }

    private static byte[] description(Path bundle, TrainedModel model, ModelProto graph, String sha256) {
        Manifest m = model.manifest();
        Encoding encoding = model.encoder().encoding();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode json = mapper.createObjectNode();
        json.put("onnx_sha256", sha256);
        json.put("ir_version", graph.getIrVersion());
        json.put("opset", OnnxGraph.OPSET);
        json.put("darkscope_version", DarkscopeVersion.get());
        ObjectNode input = json.putObject("input");
        input.put("name", INPUT).put("type", "float32").putArray("shape").add(OnnxGraph.EVENTS).add(encoding.size());
        input.put("encoding", encoding.name());
        ArrayNode features = input.putArray("features");
        for (int i = 0; i < encoding.size(); i++) {
            features.addObject().put("index", i).put("name", encoding.featureNames().get(i)).put("definition", encoding.featureDefinition(i));
        }
        ObjectNode output = json.putObject("output");
        output.put("name", OUTPUT).put("type", "float32").put("meaning", graph.getDocString()).putArray("shape").add(OnnxGraph.EVENTS);
        ObjectNode provenance = json.putObject("model");
        provenance.put("bundle", bundle.toString()).put("manifest_sha256", ModelBundle.sha256(bundle.resolve(ModelBundle.MANIFEST)))
                .put("detector", m.detector()).put("created", m.created()).put("channel", m.channel())
                .put("trained_on_events", m.trainedOnEvents()).put("seed", m.training().seed());
        ObjectNode settings = provenance.putObject("hyperparameters");
        m.hyperparameters().forEach(settings::put);
        ArrayNode files = provenance.putArray("training_files");
        m.trainingFiles().forEach(f -> files.addObject().put("path", f.path()).put("sha256", f.sha256()).put("sample", f.sample()));
        try {
            return mapper.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
