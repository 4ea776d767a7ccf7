package org.darkscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.darkscope.InputException;
import org.darkscope.event.Event;
import org.darkscope.event.ObjectType;
import org.darkscope.event.PhysicsObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample of training fingerprints finds training events in a sample and estimates how many. */
class EventFingerprintsTest {
    @TempDir
    Path dir;

    private static List<Event> events(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<PhysicsObject> objects = new ArrayList<>();
            for (int j = random.nextInt(4); j >= 0; j--) {
                double pt = random.nextDouble(20e3, 500e3);
                objects.add(new PhysicsObject(ObjectType.JET, pt * 1.3, pt, random.nextDouble(-2.5, 2.5), random.nextDouble(-3, 3)));
            }
            events.add(new Event("e" + i, "p", 1, random.nextDouble(0, 300e3), random.nextDouble(-3, 3), objects));
        }
        return events;
    }

    @Test
    void theFingerprintIsTheContentNotTheIds() {
        Event e = events(1, 1).get(0);
        Event renamed = new Event("other", "other process", 0.5, e.met(), e.metPhi(), e.objects());
        Event moved = new Event(e.eventId(), e.processId(), e.weight(), e.met(), Math.nextUp(e.metPhi()), e.objects());
        assertEquals(e.fingerprint(), renamed.fingerprint());
        assertTrue(e.fingerprint() != moved.fingerprint());
    }

    /** Of 200,000 training events 4,096 at most are kept; a sample with 30 % of them reads about 30 %. */
    @Test
    void aLargeTrainingSampleIsSubsampledConsistentlyAndEstimatesTheOverlap() throws IOException {
        List<Event> training = events(200_000, 2);
        EventFingerprints sample = EventFingerprints.empty();
        training.forEach(sample::add);
        assertTrue(sample.size() <= EventFingerprints.CAPACITY && sample.size() > EventFingerprints.CAPACITY / 2, "size " + sample.size());
        assertEquals(200_000.0 / (1 << sample.level()), sample.size(), 5 * Math.sqrt(sample.size()));
        Path file = dir.resolve(EventFingerprints.FILE);
        sample.write(file);
        EventFingerprints read = EventFingerprints.read(file);
        assertEquals(sample.size(), read.size());
        assertEquals(sample.level(), read.level());

        List<Event> mixed = new ArrayList<>(events(140_000, 3));
        mixed.addAll(training.subList(0, 60_000)); // 30 % training events
        EventFingerprints.Counter counter = read.counter();
        mixed.forEach(counter);
        EventFingerprints.Overlap overlap = counter.overlap();
        double expected = 0.3;
        double sigma = Math.sqrt(expected * (1 - expected) / overlap.checked());
        assertEquals(expected, overlap.fraction(), 4 * sigma, overlap.toString());

        EventFingerprints.Counter clean = read.counter();
        events(50_000, 4).forEach(clean);
        assertEquals(0, clean.overlap().found());
        assertTrue(clean.overlap().checked() > 0);
    }

    @Test
    void malformedFilesAreRefused() throws IOException {
        EventFingerprints sample = EventFingerprints.empty();
        events(10, 5).forEach(sample::add);
        Path file = dir.resolve("f.bin");
        sample.write(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThrows(InputException.class, () -> EventFingerprints.read(file));
        byte[] swapped = bytes.clone();
        System.arraycopy(bytes, 12, swapped, 20, 8); // the first two fingerprints swapped: out of order
        System.arraycopy(bytes, 20, swapped, 12, 8);
        Files.write(file, swapped);
        InputException e = assertThrows(InputException.class, () -> EventFingerprints.read(file));
        assertTrue(e.getMessage().contains("out of order"), e.getMessage());
        Files.write(file, new byte[] {1, 2, 3});
        assertThrows(InputException.class, () -> EventFingerprints.read(file));
        assertFalse(EventFingerprints.empty().contains(1));
    }
}
