package org.darkscope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.darkscope.event.BinnedQuantiles;
import org.darkscope.event.ObjectType;
import org.darkscope.event.SampleSummary;
import org.darkscope.io.EventFiles;
import org.darkscope.io.EventReader;
import org.darkscope.io.ImageSample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code darkscope inspect}: what is in event files, per file and in total. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Count events, bad lines, processes and objects; MET and HT distributions.",
                "Example: darkscope inspect data/sample/chan1/*.csv.gz --json inspect.json"})
final class InspectCommand implements Callable<Integer> {
    private static final double[] QUANTILES = {0.05, 0.25, 0.5, 0.75, 0.95};
    private static final String[] QUANTILE_KEYS = {"q05", "q25", "median", "q75", "q95"};

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Dark Machines CSV files (.csv or .csv.gz), or image samples (.npy, folders of PNG).")
    List<Path> files;

    @Option(names = "--json", paramLabel = "OUT", description = "Also write the summary as JSON.")
    Path json;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() {
        OutputGuard.checkResult(json, OutputGuard.Kind.RESULT_FILE, files);
        PrintWriter out = spec.commandLine().getOut();
        SampleSummary total = new SampleSummary();
        long totalBad = 0;
        ObjectNode root = Json.object();
        ArrayNode fileNodes = root.putArray("files");
        for (Path file : files) {
            if (ImageSample.isImageSample(file)) {
                inspectImages(file, out, fileNodes.addObject());
                continue;
            }
            SampleSummary summary = new SampleSummary();
            EventFiles.FileReport report;
            try (EventReader reader = EventReader.open(file, input.mode())) {
                reader.forEachRemaining(summary::add);
                report = reader.report();
            }
            long bad = report.badLineCount();
            total.addAll(summary);
            totalBad += bad;
            ObjectNode node = fileNodes.addObject();
            node.put("file", file.toString());
            describe(node, summary, bad);
            print(out, file.toString(), summary, bad);
            spec.commandLine().getErr().print(EventFiles.describeSkipped(List.of(report)));
        }
        root.put("events", total.events());
        root.put("bad_lines", totalBad);
        describe(root, total, totalBad);
        if (files.stream().filter(f -> !ImageSample.isImageSample(f)).count() > 1) {
            print(out, "all files", total, totalBad);
        }
        if (json != null) {
            Json.write(json, root);
            out.println("wrote " + json);
        }
        out.flush();
        return Main.EXIT_OK;
    }

    /** An image sample: its images' shape and count, and each channel's sum per image (mean, quantiles, max). */
    private void inspectImages(Path file, PrintWriter out, ObjectNode node) {
        try (ImageSample images = ImageSample.open(file, input.mode())) {
            int[] shape = images.shape();
            int pixels = shape[1] * shape[2];
            double[][] sums = new double[shape[0]][1024];
            int n = 0;
            while (images.hasNext()) {
                float[] image = images.next();
                if (n == sums[0].length) {
                    for (int c = 0; c < shape[0]; c++) {
                        sums[c] = java.util.Arrays.copyOf(sums[c], 2 * n);
                    }
                }
                for (int c = 0; c < shape[0]; c++) {
                    double sum = 0;
                    for (int p = c * pixels; p < (c + 1) * pixels; p++) {
                        sum += image[p];
                    }
                    sums[c][n] = sum;
                }
                n++;
            }
            EventFiles.FileReport report = images.report();
            node.put("file", file.toString());
            node.put("images", n);
            node.putArray("shape").add(shape[0]).add(shape[1]).add(shape[2]);
            node.put("bad_images", report.badLineCount());
            ArrayNode channels = node.putArray("channel_sums");
            out.printf("%s%n  images %d of %d x %d x %d (channels x height x width), bad images %d%n", file, n, shape[0], shape[1],
                    shape[2], report.badLineCount());
            for (int c = 0; c < shape[0]; c++) {
                double[] values = java.util.Arrays.copyOf(sums[c], n);
                java.util.Arrays.sort(values);
                ObjectNode channel = channels.addObject();
                channel.put("channel", c);
                channel.put("mean", java.util.Arrays.stream(values).average().orElse(Double.NaN));
                for (int i = 0; i < QUANTILES.length; i++) {
                    channel.put(QUANTILE_KEYS[i], n == 0 ? Double.NaN : values[(int) Math.round(QUANTILES[i] * (n - 1))]);
                }
                channel.put("max", n == 0 ? Double.NaN : values[n - 1]);
                out.printf("  channel %d sum: mean %.4g, median %.4g, 5%%-95%% %.4g-%.4g, max %.4g%n", c, channel.get("mean").asDouble(),
                        channel.get("median").asDouble(), channel.get("q05").asDouble(), channel.get("q95").asDouble(),
                        channel.get("max").asDouble());
            }
            spec.commandLine().getErr().print(EventFiles.describeSkipped(List.of(report)));
        }
    }

    private static void describe(ObjectNode node, SampleSummary summary, long badLines) {
        node.put("events", summary.events());
        node.put("bad_lines", badLines);
        ObjectNode processes = node.putObject("processes");
        summary.processes().forEach(processes::put);
        ObjectNode weights = node.putObject("weights");
        weights.put("weighted_within_processes", summary.weights().weightedWithinProcesses());
        weights.put("negative", summary.weights().negative());
        ObjectNode ranges = weights.putObject("ranges");
        summary.weights().ranges().forEach((process, range) -> ranges.putArray(process).add(range[0]).add(range[1]));
        ObjectNode objects = node.putObject("objects");
        for (ObjectType type : ObjectType.values()) {
            ObjectNode o = objects.putObject(type.label());
            o.put("mean", summary.meanCount(type));
            o.put("max", summary.maxCount(type));
        }
        ObjectNode jets = node.putObject("jet_multiplicity");
        summary.jetMultiplicity().forEach((n, count) -> jets.put(Integer.toString(n), count));
        distribution(node.putObject("met_gev"), summary.met());
        distribution(node.putObject("ht_gev"), summary.ht());
    }

    private static void distribution(ObjectNode node, BinnedQuantiles values) {
        node.put("mean", values.mean());
        for (int i = 0; i < QUANTILES.length; i++) {
            node.put(QUANTILE_KEYS[i], values.quantile(QUANTILES[i]));
        }
        node.put("max", values.max());
    }

    private static void print(PrintWriter out, String title, SampleSummary summary, long badLines) {
        out.printf("%s%n  events %d, bad lines %d%n", title, summary.events(), badLines);
        out.print("  processes:");
        for (Map.Entry<String, Long> e : summary.processes().entrySet()) {
            out.printf(" %s %d", e.getKey(), e.getValue());
        }
        out.println();
        if (summary.events() > 0) {
            out.println("  weights: " + summary.weights().describe() + (summary.weights().weightedWithinProcesses()
                    ? ": detectors learn from events counted once (darkscope unweight makes an unweighted sample of one without"
                    + " negative weights); measurements count weights with --weighted" : ""));
        }
        out.print("  objects per event (mean/max):");
        for (ObjectType type : ObjectType.values()) {
            out.printf(" %s %.2f/%d", type.label(), summary.meanCount(type), summary.maxCount(type));
        }
        out.println();
        out.printf("  MET [GeV]: mean %.1f, median %.1f, 5%%-95%% %.1f-%.1f, max %.1f%n", summary.met().mean(),
                summary.met().quantile(0.5), summary.met().quantile(0.05), summary.met().quantile(0.95), summary.met().max());
        out.printf("  HT  [GeV]: mean %.1f, median %.1f, 5%%-95%% %.1f-%.1f, max %.1f%n", summary.ht().mean(),
                summary.ht().quantile(0.5), summary.ht().quantile(0.05), summary.ht().quantile(0.95), summary.ht().max());
    }
}
