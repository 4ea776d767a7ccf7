package org.darkscope.detect;

import java.util.List;
import java.util.Locale;

/**
 * A dense network's fixed-point score as a self-contained C++ header, for firmware or trigger
 * software: the weights and biases as constant arrays of the type's integer codes, and one inline
 * function from an event's standardised features to its score, computed in integers as
 * {@link FixedPointNetwork} computes it, then the score as {@link DenseScore} makes it (the
 * reconstruction error in float, in the same order, or a classifier's output), so that it gives the same bits as {@code darkscope
 * trigger quantize} (compile without fused multiply-adds: {@code -ffp-contract=off}). Standard
 * C++17 (for the hexadecimal float of the divisor) and its library only.
 */
final class FixedPointHeader {
    private FixedPointHeader() {
    }

    static String write(DenseNetwork network, FixedPoint type, DenseScore score, String namespace, List<String> comment) {
        int f = type.bits() - type.integerBits();
        StringBuilder h = new StringBuilder();
        comment.forEach(line -> h.append("// ").append(line).append('\n'));
        h.append("// score(features): the anomaly score of one event from its ").append(network.inputs())
                .append(" standardised features, in ").append(type).append(".\n")
                .append("// Compile with -ffp-contract=off (no fused multiply-add) to get darkscope's bits.\n")
                .append("#pragma once\n#include <cmath>\n#include <cstdint>\n\n")
                .append("namespace ").append(namespace).append(" {\n\n")
                .append("constexpr int kBits = ").append(type.bits()).append(";\n")
                .append("constexpr int kFractionBits = ").append(f).append(";\n")
                .append("constexpr int kInputs = ").append(network.inputs()).append(";\n");
        if (java.util.Arrays.asList(network.activations()).contains(DenseForm.Activation.LEAKY_RELU)) {
            h.append("constexpr std::int64_t kLeakySlope = ").append(code(Networks.LEAKY_SLOPE, type))
                    .append(";  // the leaky ReLU's slope in the type\n");
        }
        if (score instanceof DenseScore.DistanceToCentre distance) {
            float[] centre = distance.quantised(type).centre();
            h.append("constexpr float kCentre[").append(centre.length).append("] = {");
            for (int i = 0; i < centre.length; i++) {
                h.append(floatLiteral(centre[i])).append(i + 1 < centre.length ? ", " : "");
            }
            h.append("};  // the target, coded in the type\n");
        }
        h.append('\n');
        List<DenseNetwork.Layer> layers = network.layers();
        DenseForm.Activation[] activations = network.activations();
        for (int l = 0; l < layers.size(); l++) {
            DenseNetwork.Layer layer = layers.get(l);
            h.append("constexpr std::int64_t kWeights").append(l).append('[').append(layer.weights().length).append("] = {");
            codes(h, layer.weights(), type);
            h.append("};\nconstexpr std::int64_t kBiases").append(l).append('[').append(layer.outputs()).append("] = {");
            float[] bias = layer.bias() != null ? layer.bias() : new float[layer.outputs()];
            codes(h, bias, type);
            h.append("};\n");
        }
        h.append('\n')
                .append("// the low kBits bits of q, read as signed (AP_WRAP), or q clamped to the range (AP_SAT)\n")
                .append("inline std::int64_t overflow(std::int64_t q) {\n")
                .append("  const std::int64_t half = std::int64_t(1) << (kBits - 1);\n");
        if (type.overflow() == FixedPoint.Overflow.SAT) {
            h.append("  return q < -half ? -half : q > half - 1 ? half - 1 : q;\n");
        } else {
            h.append("  const std::int64_t low = q & ((std::int64_t(1) << kBits) - 1);\n")
                    .append("  return low >= half ? low - (std::int64_t(1) << kBits) : low;\n");
        }
        h.append("}\n\n")
                .append("// x in the type: x * 2^kFractionBits ").append(type.rounding() == FixedPoint.Rounding.TRN
                        ? "truncated towards minus infinity (AP_TRN)" : "rounded to the nearest, halves up (AP_RND)").append('\n')
                .append("inline std::int64_t quantize(double x) {\n")
                .append("  const double scaled = std::ldexp(x, kFractionBits);\n")
                .append("  return overflow(static_cast<std::int64_t>(std::floor(scaled")
                .append(type.rounding() == FixedPoint.Rounding.TRN ? "" : " + 0.5").append(")));\n}\n\n")
                .append("// a sum in units of 2^-2kFractionBits back to the type\n")
                .append("inline std::int64_t requantize(std::int64_t sum) {\n")
                .append("  const std::int64_t unit = std::int64_t(1) << kFractionBits;\n");
        if (type.rounding() == FixedPoint.Rounding.RND && f > 0) {
            h.append("  sum += unit / 2;\n");
        }
        h.append("  const std::int64_t q = sum / unit - ((sum % unit != 0 && sum < 0) ? 1 : 0); // floor division\n")
                .append("  return overflow(q);\n}\n\n")
                .append("inline float score(const float features[kInputs]) {\n")
                .append("  std::int64_t x0[kInputs];\n")
                .append("  for (int i = 0; i < kInputs; ++i) x0[i] = quantize(features[i]);\n");
        for (int l = 0; l < layers.size(); l++) {
            DenseNetwork.Layer layer = layers.get(l);
            h.append(String.format(Locale.ROOT, "  std::int64_t x%d[%d];%n", l + 1, layer.outputs()))
                    .append(String.format(Locale.ROOT, "  for (int o = 0; o < %d; ++o) {%n", layer.outputs()))
                    .append(String.format(Locale.ROOT, "    std::int64_t sum = kBiases%d[o] * (std::int64_t(1) << kFractionBits);%n", l))
                    .append(String.format(Locale.ROOT, "    for (int i = 0; i < %d; ++i) sum += kWeights%d[o * %d + i] * x%d[i];%n",
                            layer.inputs(), l, layer.inputs(), l))
                    .append(String.format(Locale.ROOT, "    const std::int64_t q = requantize(sum);%n"))
                    .append(String.format(Locale.ROOT, "    x%d[o] = %s;%n  }%n", l + 1, switch (activations[l]) {
                        case RELU -> "q < 0 ? 0 : q";
                        case LEAKY_RELU -> "q > 0 ? q : requantize(kLeakySlope * q)";
                        case LINEAR -> "q";
                    }));
        }
        String out = "x" + layers.size();
        if (score instanceof DenseScore.SquaredError error) {
            h.append("  float error = 0.0f;\n")
                    .append("  for (int i = 0; i < kInputs; ++i) {\n")
                    .append("    const float d = ").append(real(out + "[i]")).append('\n')
                    .append("        - ").append(real("x0[i]")).append(";\n")
                    .append("    error += d * d;\n  }\n")
                    .append("  return error / ").append(floatLiteral(error.divisor())).append(";\n}\n\n");
        } else if (score instanceof DenseScore.DistanceToCentre) {
            h.append("  float distance = 0.0f;\n")
                    .append("  for (int i = 0; i < ").append(layers.get(layers.size() - 1).outputs()).append("; ++i) {\n")
                    .append("    const float d = ").append(real(out + "[i]")).append(" - kCentre[i];\n")
                    .append("    distance += d * d;\n  }\n")
                    .append("  return distance;\n}\n\n");
        } else { // the output itself: a classifier's log-odds
            h.append("  return ").append(real(out + "[0]")).append(";\n}\n\n");
        }
        h.append("}  // namespace ").append(namespace).append('\n');
        return h.toString();
    }

    /** The type's integer code of {@code value}. */
    private static long code(float value, FixedPoint type) {
        return (long) Math.scalb(type.quantize(value), type.bits() - type.integerBits());
    }

    /** The C++ float of the fixed-point code {@code code}: exact, at most 20 significant bits. */
    private static String real(String code) {
        return "static_cast<float>(std::ldexp(static_cast<double>(" + code + "), -kFractionBits))";
    }

    private static void codes(StringBuilder h, float[] values, FixedPoint type) {
        int f = type.bits() - type.integerBits();
        for (int i = 0; i < values.length; i++) {
            if (i % 16 == 0) {
                h.append("\n    ");
            }
            h.append(code(values[i], type)).append(i + 1 < values.length ? ", " : "");
        }
        h.append('\n');
    }

    /** A float constant C++ reads as exactly {@code value}. */
    private static String floatLiteral(float value) {
        return Float.toHexString(value) + "f";
    }
}
