package org.darkscope.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.darkscope.event.Event;
import org.darkscope.io.EventFiles;
import org.darkscope.io.EventReader;
import org.darkscope.io.EventWriter;
import org.darkscope.io.ParseMode;
import org.darkscope.stats.RandomOrder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code darkscope mix}: pseudo-data, background with N signal events at random positions. Event
 * IDs are renumbered 1, 2, ...; the process ID column keeps the truth (the search never reads it).
 * The background is streamed, so any size can be mixed.
 */
@Command(name = "mix", mixinStandardHelpOptions = true,
        description = {"Make pseudo-data: background with N signal events mixed in at random positions.",
                "Example: darkscope mix --background test_bkg.csv.gz --signal signal.csv.gz --signal-events 30 --out data.csv.gz"})
final class MixCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--background", required = true, paramLabel = "FILE")
    Path background;

    @Option(names = "--signal", required = true, paramLabel = "FILE")
    Path signal;

    @Option(names = "--signal-events", required = true, paramLabel = "N", description = "Signal events to mix in.")
    int signalEvents;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file (.csv or .csv.gz).")
    Path out;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Replace an existing file at --out.")
    boolean force;

    @Override
    public Integer call() {
        if (signalEvents < 0) {
            throw new UsageException("--signal-events must not be negative");
        }
        OutputGuard.check(out, OutputGuard.Kind.DATA, force, List.of(background, signal));
        SplittableRandom random = new SplittableRandom(seed);
        List<Event> signals = EventFiles.read(signal, ParseMode.STRICT, -1);
        if (signalEvents > signals.size()) {
            throw new UsageException("--signal-events " + signalEvents + " but " + signal + " holds only " + signals.size() + " events");
        }
        // N signal events chosen at random, without replacement
        int[] order = RandomOrder.permutation(signals.size(), random);
        List<Event> chosen = new ArrayList<>(signalEvents);
        for (int i = 0; i < signalEvents; i++) {
            chosen.add(signals.get(order[i]));
        }
        long backgroundEvents;
        try (EventReader reader = EventReader.open(background, ParseMode.STRICT)) {
            while (reader.hasNext()) {
                reader.next();
            }
            backgroundEvents = reader.events();
        }
        long total = backgroundEvents + signalEvents;
        long[] positions = random.longs(0, total).distinct().limit(signalEvents).sorted().toArray();
        long id = 0;
        int nextSignal = 0;
        try (EventWriter writer = EventWriter.create(out); EventReader reader = EventReader.open(background, ParseMode.STRICT)) {
            while (id < total) {
                Event e = nextSignal < signalEvents && positions[nextSignal] == id ? chosen.get(nextSignal++) : reader.next();
                id++;
                writer.write(new Event(Long.toString(id), e.processId(), e.weight(), e.met(), e.metPhi(), e.objects()));
            }
            writer.commit();
        }
        spec.commandLine().getOut().printf("wrote %s: %d background + %d signal events%n", out, backgroundEvents, signalEvents);
        return Main.EXIT_OK;
    }
}
