package org.darkscope.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A sample is weighted within its processes where a process's weights differ or one is negative, and only then. */
class ProcessWeightsTest {
    private static Event event(String process, double weight) {
        return new Event("1", process, weight, 300_000, 0.5, List.of());
    }

    @Test
    void oneWeightPerProcessIsAnUnweightedMixture() {
        ProcessWeights weights = new ProcessWeights();
        for (int i = 0; i < 10; i++) {
            weights.add(event("ttbar", 1.12398e-4));
            weights.add(event("wjets", 9.44636e-5));
        }
        assertFalse(weights.weightedWithinProcesses());
        assertTrue(weights.trainingNote("background").isEmpty());
        assertTrue(weights.countingNote("background.csv").isEmpty());
    }

    @Test
    void slicesAndNegativeWeightsAreSaid() {
        ProcessWeights sliced = new ProcessWeights();
        sliced.add(event("ttbar", 1e-4));
        sliced.add(event("wjets", 0.5));
        sliced.add(event("wjets", 12));
        String note = sliced.trainingNote("background").orElseThrow();
        assertTrue(note.startsWith("the background's event weights differ within a process (wjets 0.500 to 12.0):"), note);
        assertEquals("b.csv: its event weights differ within a process (wjets 0.500 to 12.0): every event counts once, where"
                + " --weighted counts each by its weight", sliced.countingNote("b.csv").orElseThrow());
        ProcessWeights nlo = new ProcessWeights();
        nlo.add(event("ttbar", 1));
        nlo.add(event("ttbar", -1));
        nlo.add(event("ttbar", 1));
        assertTrue(nlo.trainingNote("signal").orElseThrow().startsWith("the signal's event weights differ within a process"
                + " (ttbar -1.00 to 1.00; 1 weighted negative):"), nlo.trainingNote("signal").orElseThrow());
        ProcessWeights merged = new ProcessWeights(); // two files, each with one weight per process, merged: two for wjets
        ProcessWeights first = new ProcessWeights();
        first.add(event("wjets", 0.5));
        ProcessWeights second = new ProcessWeights();
        second.add(event("wjets", 12));
        merged.addAll(first);
        assertFalse(merged.weightedWithinProcesses());
        merged.addAll(second);
        assertEquals("differ within a process (wjets 0.500 to 12.0)", merged.describe());
        assertEquals(0.5, first.ranges().get("wjets")[1], "the first file's range is its own");
        ProcessWeights negativeAlone = new ProcessWeights();
        negativeAlone.add(event("ttbar", -2));
        assertEquals(true, negativeAlone.weightedWithinProcesses(), "a negative weight alone");
        assertTrue(negativeAlone.trainingNote("data").orElseThrow().contains("(1 weighted negative)"));
    }
}
