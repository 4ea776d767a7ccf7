package org.darkscope.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.darkscope.DarkscopeVersion;
import org.darkscope.bundle.Manifest;
import org.darkscope.io.FileDigests;

/**
 * Where a report's numbers came from, stated on the report itself: darkscope's version, the date,
 * the command, every input file with its events and SHA-256 (not for the inputs of a Spark job,
 * which may be a cluster's terabytes), and per model its detector, settings, encoding, seed and
 * training data.
 *
 * @param command  the command line that made the report
 * @param inputs   the inputs read as given (files, or a Spark job's files, directories and globs), with their event counts (-1 where
 *                 not counted)
 * @param models   the models, by the name the report gives them
 * @param created  when the report was made (UTC, to the second)
 * @param digested whether the inputs that are files here get their SHA-256
 */
public record ReportProvenance(String command, Map<String, Long> inputs, Map<String, Manifest> models, Instant created, boolean digested) {
    public ReportProvenance {
        inputs = new LinkedHashMap<>(inputs);
        models = new LinkedHashMap<>(models);
    }

    /** The provenance of a report made now by {@code command}. */
    public static ReportProvenance now(List<String> command, Map<Path, Long> inputs, Map<String, Manifest> models) {
        Map<String, Long> given = new LinkedHashMap<>();
        inputs.forEach((path, events) -> given.put(path.toString(), events));
        return new ReportProvenance("darkscope " + String.join(" ", command), given, models, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                true);
    }

    /** The provenance of a report a Spark job made now: its inputs as given, none hashed. */
    public static ReportProvenance distributed(List<String> command, Map<String, Long> inputs, Map<String, Manifest> models) {
        return new ReportProvenance("darkscope " + String.join(" ", command), inputs, models, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                false);
    }

    /** The block as HTML. */
    String html() {
        StringBuilder h = new StringBuilder("<h2>Provenance</h2>\n<p>darkscope ").append(escape(DarkscopeVersion.get()))
                .append(", ").append(created).append("<br><code>").append(escape(command)).append("</code></p>\n");
        h.append("<table><tr><th>input</th><th>events</th><th>SHA-256</th></tr>\n");
        for (Map.Entry<String, Long> input : inputs.entrySet()) {
            h.append("<tr><td class=\"name\">").append(escape(input.getKey())).append("</td><td>")
                    .append(input.getValue() < 0 ? "" : String.format(Locale.ROOT, "%,d", input.getValue())).append("</td><td class=\"name\"><code>")
                    .append(digest(input.getKey())).append("</code></td></tr>\n");
        }
        h.append("</table>\n");
        if (!models.isEmpty()) {
            h.append("<table><tr><th>model</th><th>detector and settings</th><th>encoding</th><th>seed</th><th>trained on</th></tr>\n");
            for (Map.Entry<String, Manifest> model : models.entrySet()) {
                Manifest m = model.getValue();
                List<String> files = new ArrayList<>();
                for (Manifest.TrainingFile f : m.trainingFiles()) {
                    files.add(f.path() + " (" + f.events() + " events, SHA-256 " + f.sha256().substring(0, 12) + "...)");
                }
                h.append("<tr><td class=\"name\">").append(escape(model.getKey())).append("</td><td class=\"name\">")
                        .append(escape(m.detector() + " " + m.hyperparameters())).append("</td><td>").append(escape(m.encoder().encoding()))
                        .append("</td><td>").append(m.training().seed()).append("</td><td class=\"name\">")
                        .append(String.format(Locale.ROOT, "%,d events (+%,d validation)", m.trainedOnEvents(), m.validationEvents()))
                        .append(files.isEmpty() ? "" : ": " + escape(String.join(", ", files))).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        return h.toString();
    }

    private String digest(String input) {
        if (!digested) {
            return "(read by Spark: not hashed)";
        }
        Path file = Path.of(input);
        return Files.isRegularFile(file) ? FileDigests.sha256(file) : "(a stream)";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
