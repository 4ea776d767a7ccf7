package org.darkscope.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.darkscope.Pipeline;
import org.darkscope.io.EventFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code darkscope score}: anomaly scores for any number of events, streamed. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score events with a model; writes event_id,process,weight,score (complete or not at all).",
                "Example: darkscope score --model vae.model --out scores.csv data/sample/chan1/*.csv.gz"})
final class ScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model bundle directory.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "SCORES.csv", description = "Scores file to write (- for standard output).")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Event files to score.")
    List<Path> files;

    @Option(names = "--force", description = "Replace an existing scores file.")
    boolean force;

    @Option(names = "--members", description = "A combined model: after the score, each member's -log10 p (its background tail"
            + " probability), in columns neglog10p_MEMBER: which member makes an event rare.")
    boolean members;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() {
        OutputGuard.requireModel(model);
        DistinctSamples.require(List.of(new DistinctSamples.Sample("FILE", files)));
        boolean standardOutput = Pipeline.isStandardOutput(out);
        if (!standardOutput) {
            OutputGuard.check(out, force, java.util.stream.Stream.concat(files.stream(), java.util.stream.Stream.of(model)).toList(), false);
        }
        long start = System.nanoTime();
        List<EventFiles.FileReport> reports;
        try {
            reports = Pipeline.score(model, files, input.mode(), out, new ScoringProgress(spec.commandLine().getErr(), "score"), members);
        } catch (Pipeline.StandardOutputClosed closed) { // score ... --out - | head: all that was wanted
            spec.commandLine().getErr().printf("scored %d events; standard output was closed by its reader, stopped%n", closed.eventsScored());
            return Main.EXIT_OK;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long events = reports.stream().mapToLong(EventFiles.FileReport::events).sum();
        spec.commandLine().getErr().print(EventFiles.describeSkipped(reports));
        // with the scores on standard output, what was done goes to standard error
        (standardOutput ? spec.commandLine().getErr() : spec.commandLine().getOut()).printf(
                "scored %d events in %.2f s (%.0f events/s); wrote %s%n", events, seconds, events / seconds,
                standardOutput ? "standard output" : out);
        return Main.EXIT_OK;
    }
}
