package org.darkscope.event;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Whether a sample is weighted within its processes: the range of the event weights of each process,
 * and how many are negative, accumulated event by event. In the challenge's files every event of a
 * process carries its process's weight (a mixture drawn in proportion to the cross-sections), and
 * events count once each; a sample generated in slices (of HT, of pT) or by an NLO generator, whose
 * counter-events weigh negative, has weights that differ within a process, and its events, counted
 * once each, do not have the distribution its weights describe.
 */
public final class ProcessWeights {
    /** Relative difference below which two weights of a process are the same (the format's rounding). */
    private static final double SAME = 1e-9;

    private final Map<String, double[]> ranges = new TreeMap<>(); // process -> {lowest, highest}
    private long negative;

    /** Adds one event's weight. */
    public void add(Event event) {
        double w = event.weight();
        double[] range = ranges.get(event.processId());
        if (range == null) {
            ranges.put(event.processId(), new double[] {w, w});
        } else {
            range[0] = Math.min(range[0], w);
            range[1] = Math.max(range[1], w);
        }
        if (w < 0) {
            negative++;
        }
    }

    /** Adds everything {@code other} holds. */
    public void addAll(ProcessWeights other) {
        other.ranges.forEach((process, range) -> {
            double[] mine = ranges.get(process);
            if (mine == null) {
                ranges.put(process, range.clone());
            } else {
                mine[0] = Math.min(mine[0], range[0]);
                mine[1] = Math.max(mine[1], range[1]);
            }
        });
        negative += other.negative;
    }

    /** Each process's lowest and highest weight, by name (copies). */
    public Map<String, double[]> ranges() {
        Map<String, double[]> copy = new TreeMap<>();
        ranges.forEach((process, range) -> copy.put(process, range.clone()));
        return copy;
    }

    /** The events weighted negative. */
    public long negative() {
        return negative;
    }

    /**
     * "one per process", as in the challenge's mixtures, or the processes whose weights differ, with
     * their range, and the negative weights, as {@code inspect} prints them.
     */
    public String describe() {
        return weightedWithinProcesses() ? "differ within a process (" + differing() + ")" : "one per process";
    }

    /** Whether a process has weights that differ, or some weight is negative. */
    public boolean weightedWithinProcesses() {
        return negative > 0 || ranges.values().stream().anyMatch(ProcessWeights::differ);
    }

    private static boolean differ(double[] range) {
        return range[1] - range[0] > SAME * Math.max(Math.abs(range[0]), Math.abs(range[1]));
    }

    /**
     * What a physicist training on the sample {@code sample} needs to know where it is weighted
     * within its processes: the processes whose weights differ, with their range, and the negative
     * weights; that detectors learn from events counted once each; and what to do. Empty where every
     * process has one weight.
     */
    public Optional<String> trainingNote(String sample) {
        return weightedWithinProcesses() ? Optional.of(String.format(Locale.ROOT, "the %s's event weights differ within a process (%s):"
                + " the detector learnt from the events counted once each, the distribution they were generated with, not the one"
                + " their weights describe (a sample made in slices, or by an NLO generator); train --weighted counts them by their"
                + " weights, with a detector that can (docs/reference.md#weighted-training), or train on an unweighted mixture, each process's events in"
                + " proportion to its cross-section, as the challenge's files are (darkscope unweight makes one of a sample without"
                + " negative weights; docs/reference.md#training-and-model-bundles)", sample, differing())) : Optional.empty();
    }

    /**
     * What counting a sample by weights that are one per process did, {@code what} naming the
     * counting (unweighting, training by weight): it changed a mixture already in proportion, or
     * mixed single processes in proportion.
     */
    public static String onePerProcessNote(String what) {
        return "every process has one weight: where the sample is already a mixture in proportion to the processes' cross-sections"
                + " (as the challenge's files are, each event with its process's generation weight), it needed no " + what + ", and"
                + " this changed its mixture; where it is samples of single processes put together, this mixed them in proportion";
    }

    /**
     * What a physicist measuring on the sample {@code sample} with every event counted once needs to
     * know where it is weighted within its processes, as {@link #trainingNote}, and that the
     * measurement's {@code --weighted} counts the weights; empty where it is not.
     */
    public Optional<String> countingNote(String sample) {
        return weightedWithinProcesses() ? Optional.of(String.format(Locale.ROOT, "%s: its event weights differ within a process (%s):"
                + " every event counts once, where --weighted counts each by its weight", sample, differing())) : Optional.empty();
    }

    /** "wjets 0.500 to 12.0; 200 weighted negative": the processes whose weights differ, with their range, and the negative weights. */
    private String differing() {
        String differing = ranges.entrySet().stream().filter(e -> differ(e.getValue()))
                .map(e -> String.format(Locale.ROOT, "%s %.3g to %.3g", e.getKey(), e.getValue()[0], e.getValue()[1]))
                .collect(Collectors.joining(", "));
        return differing + (negative == 0 ? "" : String.format(Locale.ROOT, "%s%,d weighted negative", differing.isEmpty() ? "" : "; ", negative));
    }
}
