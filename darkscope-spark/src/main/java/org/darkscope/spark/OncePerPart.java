package org.darkscope.spark;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.util.AccumulatorV2;

/**
 * What the executors counted, kept once for each part of the input that was read (a file, or a
 * partition of Parquet rows), however often Spark read that part. Spark reads a part again where
 * a sort samples its input before shuffling it, where a lost executor's or a dropped cached
 * partition's work is redone, or where a speculative copy of a task also finishes; its own
 * accumulators then add the same counts again (they promise once only for updates made in an
 * action). Reading a part is deterministic, so every reading of it counts the same, and the first
 * value kept for its key is its value. The parts come back ordered by key.
 *
 * @param <V> what one part counted
 */
public final class OncePerPart<V extends Serializable> extends AccumulatorV2<OncePerPart.Part<V>, Map<String, V>> {
    /** What the part named {@code key} counted. */
    public record Part<V>(String key, V counted) implements Serializable {
    }

    private final TreeMap<String, V> parts = new TreeMap<>();

    @Override
    public boolean isZero() {
        synchronized (parts) {
            return parts.isEmpty();
        }
    }

    @Override
    public OncePerPart<V> copy() {
        OncePerPart<V> copy = new OncePerPart<>();
        synchronized (parts) {
            copy.parts.putAll(parts);
        }
        return copy;
    }

    @Override
    public void reset() {
        synchronized (parts) {
            parts.clear();
        }
    }

    @Override
    public void add(Part<V> part) {
        synchronized (parts) {
            parts.putIfAbsent(part.key(), part.counted());
        }
    }

    @Override
    public void merge(AccumulatorV2<Part<V>, Map<String, V>> other) {
        Map<String, V> counted = other.value();
        synchronized (parts) {
            counted.forEach(parts::putIfAbsent);
        }
    }

    /** Each part's count, ordered by the parts' keys. */
    @Override
    public Map<String, V> value() {
        synchronized (parts) {
            return Collections.unmodifiableMap(new TreeMap<>(parts));
        }
    }
}
