package org.darkscope.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.darkscope.InputException;
import org.darkscope.event.Event;
import org.darkscope.event.ProcessWeights;
import org.darkscope.io.EventFiles;
import org.darkscope.io.EventReader;
import org.darkscope.io.EventWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code darkscope unweight}: a weighted sample (made in slices of HT or pT, each event carrying its
 * slice's weight) turned into an unweighted one, which every detector learns from as it should, each
 * event counted once (where {@code train --weighted} keeps every event, this is the way for
 * {@code knn} and {@code iforest}): every event is kept with probability w / w_max and then weighs w_max (the
 * hit-or-miss unweighting of event generators; F. James, Rep. Prog. Phys. 43 (1980) 1145),
 * so that the kept events have the distribution the weights describe and the same total weight in
 * expectation. It keeps mean(w) / w_max of the events: few where the weights spread over decades.
 */
@Command(name = "unweight", mixinStandardHelpOptions = true,
        description = {"Turn a weighted sample into an unweighted one: each event kept with probability w / w_max, then weighing w_max.",
                "Example: darkscope unweight wjets_ht*.csv.gz --out wjets_unweighted.csv.gz --seed 1"})
final class UnweightCommand implements Callable<Integer> {
    /** Below this share of the events kept, the report says what unweighting costs. */
    private static final double FEW_KEPT = 0.05;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The weighted sample: event files, read in this order.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The unweighted events (.csv or .csv.gz).")
    Path out;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Which events are kept (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Replace an existing file at --out.")
    boolean force;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() {
        for (Path in : inputs) {
            ReadTwice.require("unweight", in, "to find the largest weight, then to keep events by it");
            if (org.darkscope.io.ImageSample.isImageSample(in)) {
                throw new UsageException(in + ": detector images carry no weights; unweight reads event files");
            }
        }
        DistinctSamples.require(List.of(new DistinctSamples.Sample("FILE", inputs)));
        OutputGuard.check(out, OutputGuard.Kind.DATA, force, inputs);
        ProcessWeights spread = new ProcessWeights();
        double largest = largestWeight(spread);
        SplittableRandom random = new SplittableRandom(seed);
        long read = 0;
        long kept = 0;
        double weightRead = 0;
        List<EventFiles.FileReport> reports = new ArrayList<>();
        try (EventWriter writer = EventWriter.create(out)) {
            for (Path in : inputs) {
                try (EventReader reader = EventReader.open(in, input.mode())) {
                    while (reader.hasNext()) {
                        Event e = reader.next();
                        read++;
                        weightRead += e.weight();
                        if (random.nextDouble() * largest < e.weight()) {
                            writer.write(new Event(e.eventId(), e.processId(), largest, e.met(), e.metPhi(), e.objects()));
                            kept++;
                        }
                    }
                    reports.add(reader.report());
                }
            }
            writer.commit();
        }
        spec.commandLine().getErr().print(EventFiles.describeSkipped(reports));
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: kept %,d of %,d events (%.3g, mean weight over the largest), each"
                + " now weighing %.6g (total %.6g, read %.6g)%n", out, kept, read, weightRead / read / largest, largest, kept * largest,
                weightRead);
        if (!spread.weightedWithinProcesses()) {
            spec.commandLine().getOut().println("note: " + ProcessWeights.onePerProcessNote("unweighting"));
        }
        if ((double) kept / read < FEW_KEPT) {
            spec.commandLine().getOut().printf(Locale.ROOT, "note: the weights spread widely, so unweighting kept few events, most of them"
                    + " where the weights are largest; a larger sample of the slices of small weight keeps more%n");
        }
        return Main.EXIT_OK;
    }

    /**
     * The largest event weight of the inputs (first pass), their spread within processes added to
     * {@code spread}; a negative weight is refused, naming its event (it can be kept with no
     * probability), and so is a sample without a positive weight.
     */
    private double largestWeight(ProcessWeights spread) {
        double largest = 0;
        for (Path in : inputs) {
            try (EventReader reader = EventReader.open(in, input.mode())) {
                for (long position = 1; reader.hasNext(); position++) {
                    Event e = reader.next();
                    if (e.weight() < 0) {
                        throw new InputException(String.format(Locale.ROOT, "%s: event %s (the %,d-th read) has weight %s; unweighting keeps"
                                + " an event with probability w / w_max, which a negative weight (an NLO generator's) does not have:"
                                + " such a sample stays weighted (measure it with --weighted)",
                                in, e.eventId(), position, e.weight()));
                    }
                    largest = Math.max(largest, e.weight());
                    spread.add(e);
                }
            }
        }
        if (!(largest > 0)) {
            throw new InputException(String.join(", ", inputs.stream().map(Path::toString).toList())
                    + ": no event has a positive weight: there is nothing to unweight by");
        }
        return largest;
    }
}
