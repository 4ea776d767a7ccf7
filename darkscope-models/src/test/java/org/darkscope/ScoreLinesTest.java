package org.darkscope;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.darkscope.event.Event;
import org.junit.jupiter.api.Test;

class ScoreLinesTest {
    @Test
    void eachLineStartsWithItsEventsIdProcessAndWeightAsUtf8WhateverTheChunkAndTheText() {
        // ASCII and non-ASCII IDs and processes, IDs long enough to make the text grow, weights
        // repeated (remembered) and new ones; the same writer over several chunks, as a run does.
        String[] ids = {"1", "4711", "événement-7", "ΔR-3", "x".repeat(500)};
        String[] processes = {"ttbar", "znunu", "wjets", "glgl1400_neutralino1100", "ü-process"};
        double[] weights = {0.000387271, 0.000200538, 1.0, 2.5e-12, -0.0};
        SplittableRandom random = new SplittableRandom(11);
        ScoreLines.Writer writer = new ScoreLines.Writer();
        for (int chunk = 0; chunk < 3; chunk++) {
            List<Event> events = new ArrayList<>();
            ScoreLines lines = new ScoreLines(64);
            for (int i = 0; i < 64; i++) {
                double weight = random.nextInt(4) == 0 ? random.nextDouble() : weights[random.nextInt(weights.length)];
                Event event = new Event(ids[random.nextInt(ids.length)] + i, processes[random.nextInt(processes.length)],
                        weight, 100.0, 0.5, List.of());
                events.add(event);
                writer.add(lines, event);
            }
            assertEquals(64, lines.size());
            for (int i = 0; i < 64; i++) {
                Event event = events.get(i);
                String expected = event.eventId() + "," + event.processId() + "," + event.weight() + ",";
                String line = new String(lines.text(), lines.start(i), lines.end(i) - lines.start(i), StandardCharsets.UTF_8);
                assertEquals(expected, line, "chunk " + chunk + ", line " + i);
            }
        }
    }
}
