package org.darkscope.event;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code darkscope inspect} reports of a sample, accumulated event by event in constant
 * memory: events per process and how their weights spread ({@link ProcessWeights}), object
 * multiplicities per type, MET and HT distributions.
 */
public final class SampleSummary {
    private static final ObjectType[] TYPES = ObjectType.values();

    private long events;
    private final Map<String, Long> processes = new TreeMap<>();
    private final Map<ObjectType, Long> objectTotals = new EnumMap<>(ObjectType.class);
    private final Map<ObjectType, Integer> objectMaxima = new EnumMap<>(ObjectType.class);
    private final Map<Integer, Long> jetMultiplicity = new TreeMap<>();
    private final BinnedQuantiles met = new BinnedQuantiles();
    private final BinnedQuantiles ht = new BinnedQuantiles();
    private final ProcessWeights weights = new ProcessWeights();

    /** Adds one event. */
    public void add(Event event) {
        events++;
        processes.merge(event.processId(), 1L, Long::sum);
        weights.add(event);
        int[] counts = new int[TYPES.length];
        for (PhysicsObject o : event.objects()) {
            counts[o.type().ordinal()]++;
        }
        for (ObjectType type : TYPES) {
            objectTotals.merge(type, (long) counts[type.ordinal()], Long::sum);
            objectMaxima.merge(type, counts[type.ordinal()], Math::max);
        }
        jetMultiplicity.merge(counts[ObjectType.JET.ordinal()] + counts[ObjectType.BJET.ordinal()], 1L, Long::sum);
        met.add(event.metGev());
        ht.add(event.htGev());
    }

    /** Adds everything another summary holds. */
    public void addAll(SampleSummary other) {
        events += other.events;
        other.processes.forEach((k, v) -> processes.merge(k, v, Long::sum));
        other.objectTotals.forEach((k, v) -> objectTotals.merge(k, v, Long::sum));
        other.objectMaxima.forEach((k, v) -> objectMaxima.merge(k, v, Math::max));
        other.jetMultiplicity.forEach((k, v) -> jetMultiplicity.merge(k, v, Long::sum));
        met.addAll(other.met);
        ht.addAll(other.ht);
        weights.addAll(other.weights);
    }

    /** How the events' weights spread within their processes. */
    public ProcessWeights weights() {
        return weights;
    }

    public long events() {
        return events;
    }

    /** Events per process ID, by name. */
    public Map<String, Long> processes() {
        return processes;
    }

    /** Mean number of objects of {@code type} per event. */
    public double meanCount(ObjectType type) {
        return events == 0 ? 0 : objectTotals.getOrDefault(type, 0L) / (double) events;
    }

    public int maxCount(ObjectType type) {
        return objectMaxima.getOrDefault(type, 0);
    }

    /** Events by number of jets (j + b). */
    public Map<Integer, Long> jetMultiplicity() {
        return jetMultiplicity;
    }

    /** MET in GeV. */
    public BinnedQuantiles met() {
        return met;
    }

    /** HT in GeV. */
    public BinnedQuantiles ht() {
        return ht;
    }
}
