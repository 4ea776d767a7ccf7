package org.darkscope.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process and keeps its exit code and output. */
record CliRunner(int exitCode, String out, String err) {
    static CliRunner run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRunner(code, out.toString(), err.toString());
    }

    /** The scores {@code score} gives for {@code events} with {@code model}, written to {@code csv} and read back. */
    static float[] scores(java.nio.file.Path model, java.nio.file.Path events, java.nio.file.Path csv) throws java.io.IOException {
        CliRunner r = run("score", "--model", model.toString(), "--out", csv.toString(), events.toString());
        if (r.exitCode() != 0) {
            throw new AssertionError("score failed: " + r.err());
        }
        java.util.List<String> lines = java.nio.file.Files.readAllLines(csv);
        float[] scores = new float[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            scores[i - 1] = Float.parseFloat(lines.get(i).split(",")[3]);
        }
        return scores;
    }
}
