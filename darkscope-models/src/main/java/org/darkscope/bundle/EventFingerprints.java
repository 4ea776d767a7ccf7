package org.darkscope.bundle;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.darkscope.InputException;
import org.darkscope.event.Event;

/**
 * A fixed-size sample of the training events' {@linkplain Event#fingerprint fingerprints}, kept
 * in the bundle so that a test or data sample holding training events can be recognised. The
 * sample is consistent: an event is in it when the low {@code level} bits of its fingerprint are
 * zero, the same rule for training and for any sample checked later, so that among the checked
 * events that pass the rule, the fraction found in the set estimates the fraction of training
 * events. The level rises (halving the sample) whenever the set would exceed
 * {@value #CAPACITY} fingerprints (32 KiB in the bundle).
 */
public final class EventFingerprints {
    /** The most fingerprints kept. */
    public static final int CAPACITY = 4096;
    /** The bundle file. */
    public static final String FILE = "training-events.bin";
    private static final int MAGIC = 0x44534650; // "DSFP"

    private int level;
    private final Set<Long> fingerprints;

    private EventFingerprints(int level, Set<Long> fingerprints) {
        this.level = level;
        this.fingerprints = fingerprints;
    }

    /** An empty sample, to be filled with {@link #add}. */
    public static EventFingerprints empty() {
        return new EventFingerprints(0, new HashSet<>());
    }

    /** Whether an event with this fingerprint belongs to the sample's rule (and so can be checked against it). */
    public boolean sampled(long fingerprint) {
        return level == 0 || fingerprint << (64 - level) == 0;
    }

    /** Adds a training event. */
    public void add(Event event) {
        add(event.fingerprint());
    }

    /** Adds a training event (or image) by its fingerprint. */
    public void add(long f) {
        if (sampled(f)) {
            fingerprints.add(f);
            while (fingerprints.size() > CAPACITY) {
                level++;
                fingerprints.removeIf(x -> !sampled(x));
            }
        }
    }

    /** Whether a sampled fingerprint is one of the training events'. */
    public boolean contains(long fingerprint) {
        return fingerprints.contains(fingerprint);
    }

    /**
     * How many events of a sample were checked (their fingerprints follow the sample's rule) and
     * how many of those are training events: {@code found / checked} estimates the fraction of
     * training events in the sample. {@code level}: the training events' fingerprints kept were one
     * in 2^level (0: all, and every event of the sample was checked).
     */
    public record Overlap(long checked, long found, int level) implements java.io.Serializable {
        public double fraction() {
            return checked == 0 ? 0 : (double) found / checked;
        }
    }

    /** Counts, event by event, how many of a sample's events are training events. */
    public Counter counter() {
        return new Counter();
    }

    /** See {@link #counter()}. */
    public final class Counter implements java.util.function.Consumer<Event> {
        private long checked;
        private long found;

        private Counter() {
        }

        @Override
        public void accept(Event event) {
            count(event.fingerprint());
        }

        /** Counts one event (or image) by its fingerprint. */
        public void count(long f) {
            if (sampled(f)) {
                checked++;
                if (fingerprints.contains(f)) {
                    found++;
                }
            }
        }

        public Overlap overlap() {
            return new Overlap(checked, found, level);
        }
    }

    /** One training event in 2^level is kept. */
    public int level() {
        return level;
    }

    public int size() {
        return fingerprints.size();
    }

    /** Writes the sample to {@code file}: magic, level, count, the fingerprints in increasing order. */
    public void write(Path file) throws IOException {
        long[] sorted = fingerprints.stream().mapToLong(Long::longValue).sorted().toArray();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(12 + 8 * sorted.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(level);
            out.writeInt(sorted.length);
            for (long f : sorted) {
                out.writeLong(f);
            }
        }
        Files.write(file, bytes.toByteArray());
    }

    /** Reads a sample written by {@link #write}, checking every part of it. */
    public static EventFingerprints read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        if (in.remaining() < 12 || in.getInt() != MAGIC) {
            throw new InputException(file + ": not a darkscope fingerprint file");
        }
        int level = in.getInt();
        int count = in.getInt();
        if (level < 0 || level > 63 || count < 0 || count > CAPACITY || in.remaining() != 8L * count) {
            throw new InputException(file + ": malformed fingerprint file (level " + level + ", " + count + " fingerprints, "
                    + in.remaining() + " bytes left)");
        }
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = in.getLong();
        }
        EventFingerprints sample = new EventFingerprints(level, new HashSet<>());
        for (int i = 0; i < count; i++) {
            if (i > 0 && values[i] <= values[i - 1] || !sample.sampled(values[i])) {
                throw new InputException(file + ": malformed fingerprint file (fingerprint " + i + " out of order or outside its sample)");
            }
        }
        Arrays.stream(values).forEach(sample.fingerprints::add);
        return sample;
    }
}
