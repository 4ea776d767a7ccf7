package org.darkscope.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.darkscope.bundle.EventFingerprints;
import org.darkscope.detect.Detector;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.event.Event;
import org.darkscope.io.FileDigests;

/**
 * Refuses to judge a model on the events it was trained on: a background or data sample that is
 * a training file (same SHA-256 as one the manifest lists), or that holds training events (found
 * by their fingerprints, {@link EventFingerprints}), makes the model look better than it is.
 * With {@code --allow-training-overlap} the overlap is reported and the command goes on.
 */
public final class TrainingOverlap {
    /** The option that lets a command go on despite the overlap. */
    public static final String OPTION = "--allow-training-overlap";

    private final EventFingerprints trainingEvents;
    private final boolean allowed;
    private final PrintWriter err;

    private TrainingOverlap(EventFingerprints trainingEvents, boolean allowed, PrintWriter err) {
        this.trainingEvents = trainingEvents;
        this.allowed = allowed;
        this.err = err;
    }

    /**
     * The check for {@code model}, loaded from {@code bundle}; it refuses at once an input that is
     * one of the training files (the same SHA-256), before any event is scored. A detector that
     * learns nothing (the physics baselines), or that scores every training event with a part of
     * the model that did not learn from it ({@code data-vs-reference}), is not checked.
     */
    static TrainingOverlap of(Path bundle, TrainedModel model, List<Path> inputs, boolean allowed, PrintWriter err) {
        if (!appliesTo(model.detector())) {
            return new TrainingOverlap(EventFingerprints.empty(), true, err);
        }
        TrainingOverlap check = new TrainingOverlap(ModelBundle.trainingEvents(bundle), allowed, err);
        check.refuseTrainingFiles(model.manifest().trainingFiles().stream().map(f -> new Named(f.path(), f.sha256())).toList(),
                inputs);
        return check;
    }

    /**
     * Whether judging {@code detector} on its training events would flatter it: it learns from
     * them, and scores them with the part of the model that learned from them.
     */
    public static boolean appliesTo(Detector detector) {
        return detector.learns() && !detector.scoresOutOfFold();
    }

    /** The check for events trained on in this process: {@code trainingEvents} holds their fingerprints. */
    static TrainingOverlap of(EventFingerprints trainingEvents, boolean allowed, PrintWriter err) {
        return new TrainingOverlap(trainingEvents, allowed, err);
    }

    /** Counts how many of {@code events} are training events. */
    EventFingerprints.Overlap count(List<Event> events) {
        EventFingerprints.Counter counter = trainingEvents.counter();
        events.forEach(counter);
        return counter.overlap();
    }

    /** A training file: its name and SHA-256. */
    private record Named(String path, String sha256) {
    }

    /** Refuses, before any training, an input among {@code inputs} that is one of the {@code training} files. */
    static void refuseTrainingFiles(List<Path> training, List<Path> inputs, boolean allowed, PrintWriter err) {
        new TrainingOverlap(null, allowed, err).refuseTrainingFiles(
                training.stream().filter(Files::isRegularFile).map(p -> new Named(p.toString(), FileDigests.sha256(p))).toList(), inputs);
    }

    private void refuseTrainingFiles(List<Named> training, List<Path> inputs) {
        for (Path input : inputs) {
            if (Files.isRegularFile(input)) {
                String sha256 = FileDigests.sha256(input);
                for (Named f : training) {
                    if (f.sha256().equals(sha256)) {
                        report(input + " is a file the model was trained on (" + f.path() + ", the same SHA-256)");
                    }
                }
            }
        }
    }

    /** The sample of the training events' fingerprints to count a file's overlap with. */
    EventFingerprints trainingEvents() {
        return trainingEvents;
    }

    /**
     * Refuses (or, where {@code allowed}, reports on {@code err}) a sample of which some events
     * were counted elsewhere (on a cluster) among the training events: {@code overlap}.
     */
    public static void check(String sample, EventFingerprints.Overlap overlap, boolean allowed, PrintWriter err) {
        if (overlap.found() > 0) {
            new TrainingOverlap(null, allowed, err).report(sample + " holds events the model was trained on: " + share(overlap));
        }
    }

    /** Refuses (or, where allowed, reports) a file of which some events are training events. */
    void check(Path file, EventFingerprints.Overlap overlap) {
        if (overlap.found() > 0) {
            report(file + " holds events the model was trained on: " + share(overlap));
        }
    }

    /**
     * "N of its M events, about F %": how many of a sample's events were found among the training
     * events, of which the fingerprints of only one in 2^level may be kept.
     */
    static String share(EventFingerprints.Overlap overlap) {
        String checked = overlap.level() == 0 ? "of its " + overlap.checked() + " events"
                : "of the " + overlap.checked() + " of its events checked (the fingerprints of one event in "
                + (1L << overlap.level()) + " are kept)";
        return String.format(Locale.ROOT, "%d %s, about %.1f %%", overlap.found(), checked, 100 * overlap.fraction());
    }

    private void report(String what) {
        if (!allowed) {
            throw new UsageException(what + ". A model judged on its own training events looks better than it is: use "
                    + "background it has not seen (darkscope split FILE --train A --held-out B makes two parts: train on A, judge on B), or " + OPTION
                    + " to go on anyway");
        }
        err.println("note: " + what + "; going on (" + OPTION + ")");
        err.flush();
    }
}
