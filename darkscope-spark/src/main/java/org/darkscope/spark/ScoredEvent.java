package org.darkscope.spark;

import java.io.Serializable;

/** One scored event as the jobs pass it around: where it came from, the truth columns, the score. */
public record ScoredEvent(String file, long index, String eventId, String process, double weight, float score)
        implements Serializable {
}
