package org.darkscope.spark;

import java.io.Serializable;

/**
 * One scored event as the jobs pass it around: where it came from, the truth columns, the score,
 * and a combined model's members' -log10 p where asked for ({@code score --members}; null otherwise).
 */
public record ScoredEvent(String file, long index, String eventId, String process, double weight, float score, float[] members)
        implements Serializable {
}
