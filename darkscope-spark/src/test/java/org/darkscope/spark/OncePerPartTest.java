package org.darkscope.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A part read twice (a task run again, a sort sampling its input) counts once; different parts add up. */
class OncePerPartTest {
    @Test
    void aPartReadAgainCountsOnceAndPartsComeBackInOrder() {
        OncePerPart<Long> driver = new OncePerPart<>();
        OncePerPart<Long> firstTask = driver.copy();
        firstTask.add(new OncePerPart.Part<>("b.csv", 3L));
        OncePerPart<Long> rerun = driver.copy();
        rerun.add(new OncePerPart.Part<>("b.csv", 3L));
        rerun.add(new OncePerPart.Part<>("a.csv", 2L));
        driver.merge(firstTask);
        driver.merge(rerun);
        assertEquals(Map.of("a.csv", 2L, "b.csv", 3L), driver.value());
        assertEquals(List.of("a.csv", "b.csv"), List.copyOf(driver.value().keySet()));
        assertTrue(firstTask.value().size() == 1 && !driver.isZero(), "a copy is its own");
        driver.reset();
        assertTrue(driver.isZero());
    }

    @Test
    void readCountersSumThePartsAndKeepTheirFirstProblemsInOrder() {
        DistributedScoring.ReadCounters counters = new DistributedScoring.ReadCounters(new OncePerPart<>(), new OncePerPart<>());
        counters.skipped().add(new OncePerPart.Part<>("x 2.csv", new DistributedScoring.Skipped(25, List.of("2.csv:7: bad"))));
        counters.skipped().add(new OncePerPart.Part<>("x 1.csv", new DistributedScoring.Skipped(1, List.of("1.csv:3: bad"))));
        counters.skipped().add(new OncePerPart.Part<>("x 1.csv", new DistributedScoring.Skipped(1, List.of("1.csv:3: bad"))));
        counters.outsideChannel().add(new OncePerPart.Part<>("x 1.csv", 4L));
        counters.outsideChannel().add(new OncePerPart.Part<>("x 2.csv", 5L));
        assertEquals(26, counters.skippedLines());
        assertEquals(List.of("1.csv:3: bad", "2.csv:7: bad"), counters.firstSkipped());
        assertEquals(9, counters.outside());
    }
}
