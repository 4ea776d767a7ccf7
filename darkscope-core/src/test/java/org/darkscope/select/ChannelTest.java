package org.darkscope.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.darkscope.event.Event;
import org.darkscope.event.ObjectType;
import org.darkscope.event.PhysicsObject;
import org.darkscope.io.BundledSample;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every cut of every channel, at and just around its value, on hand-made events (GeV below). */
class ChannelTest {
    private static final double EPS = 0.01;

    private static PhysicsObject object(ObjectType type, double ptGev) {
        return new PhysicsObject(type, ptGev * 1000 * 1.2, ptGev * 1000, 0.3, 0.1);
    }

    /** Channel-1 event: MET, leading jet pT, three more jets of {@code otherPt} each, soft jets below 50 GeV summing HT up. */
    private static Event chan1(double met, double leadPt, double otherPt, double ht) {
        List<PhysicsObject> objects = new ArrayList<>();
        objects.add(object(ObjectType.JET, leadPt));
        for (int i = 0; i < 3; i++) {
            objects.add(object(ObjectType.BJET, otherPt));
        }
        double rest = ht - leadPt - 3 * otherPt;
        while (rest > 0) { // soft jets of at most 40 GeV carry the rest of HT
            double pt = Math.min(40, rest);
            objects.add(object(ObjectType.JET, pt));
            rest -= pt;
        }
        return new Event("1", "test", 1, met * 1000, 0, objects);
    }

    @Test
    void channel1CutsAtAndAroundEveryValue() {
        assertTrue(Channel.CHAN1.test(chan1(200, 300, 60, 700)));           // baseline passes
        assertTrue(Channel.CHAN1.test(chan1(200, 300, 60, 600)));           // HT exactly 600 passes
        assertFalse(Channel.CHAN1.test(chan1(200, 300, 60, 600 - EPS)));    // HT just below fails
        assertTrue(Channel.CHAN1.test(chan1(200, 300, 60, 1000)));          // MET/HT = 0.2 exactly passes
        assertFalse(Channel.CHAN1.test(chan1(200, 300, 60, 1000 + EPS)));   // MET/HT just below 0.2 fails
        assertFalse(Channel.CHAN1.test(chan1(200 - EPS, 300, 60, 700)));    // MET just below 200 fails
        assertFalse(Channel.CHAN1.test(chan1(200, 300, 50, 700)));          // jets at 50 GeV are not above 50
        assertTrue(Channel.CHAN1.test(chan1(200, 300, 50 + EPS, 700)));
        assertFalse(Channel.CHAN1.test(chan1(200, 200, 60, 700)));          // leading jet must be above 200
        assertTrue(Channel.CHAN1.test(chan1(200, 200 + EPS, 60, 700)));
        // leptons and photons do not count as jets
        Event leptonic = new Event("1", "t", 1, 300_000, 0, List.of(object(ObjectType.JET, 400), object(ObjectType.JET, 100),
                object(ObjectType.JET, 100), object(ObjectType.MUON, 100), object(ObjectType.PHOTON, 100)));
        assertFalse(Channel.CHAN1.test(leptonic));
    }

    private static Event leptons(double met, int n, double leptonPt, double jetPt) {
        List<PhysicsObject> objects = new ArrayList<>();
        if (jetPt > 0) {
            objects.add(object(ObjectType.JET, jetPt));
        }
        ObjectType[] types = {ObjectType.ELECTRON, ObjectType.ANTIMUON, ObjectType.POSITRON, ObjectType.MUON};
        for (int i = 0; i < n; i++) {
            objects.add(object(types[i % types.length], leptonPt));
        }
        return new Event("1", "t", 1, met * 1000, 0, objects);
    }

    @Test
    void channel2aNeedsThreeLeptonsAbove15AndMet50() {
        assertTrue(Channel.CHAN2A.test(leptons(50, 3, 15 + EPS, 0)));
        assertFalse(Channel.CHAN2A.test(leptons(50 - EPS, 3, 20, 0)));
        assertFalse(Channel.CHAN2A.test(leptons(60, 3, 15, 0)));
        assertFalse(Channel.CHAN2A.test(leptons(60, 2, 20, 0)));
        assertTrue(Channel.CHAN2A.test(leptons(60, 4, 20, 0)));
        Event photons = new Event("1", "t", 1, 60_000, 0, List.of(object(ObjectType.PHOTON, 30),
                object(ObjectType.PHOTON, 30), object(ObjectType.PHOTON, 30)));
        assertFalse(Channel.CHAN2A.test(photons));
    }

    @Test
    void channel2bNeedsTwoLeptonsMet50AndHt50() {
        assertTrue(Channel.CHAN2B.test(leptons(50, 2, 20, 50)));
        assertFalse(Channel.CHAN2B.test(leptons(50, 2, 20, 50 - EPS)));
        assertFalse(Channel.CHAN2B.test(leptons(50 - EPS, 2, 20, 60)));
        assertFalse(Channel.CHAN2B.test(leptons(60, 1, 20, 60)));
        assertFalse(Channel.CHAN2B.test(leptons(60, 2, 15, 60)));
        assertTrue(Channel.CHAN2B.test(leptons(60, 2, 15 + EPS, 60)));
    }

    @Test
    void channel3NeedsHt600AndMet100() {
        Event pass = new Event("1", "t", 1, 100_000, 0, List.of(object(ObjectType.JET, 600)));
        assertTrue(Channel.CHAN3.test(pass));
        assertFalse(Channel.CHAN3.test(new Event("1", "t", 1, 100_000 - 10, 0, List.of(object(ObjectType.JET, 600)))));
        assertFalse(Channel.CHAN3.test(new Event("1", "t", 1, 100_000, 0, List.of(object(ObjectType.JET, 600 - EPS)))));
    }

    @Test
    void everyEventOfTheChannel1SamplePassesChannel1(@TempDir Path dir) {
        Path sample = BundledSample.extractTo(dir);
        for (String name : BundledSample.allFiles()) {
            List<Event> events = EventFiles.read(sample.resolve(name), ParseMode.STRICT, -1);
            assertEquals(events.size(), events.stream().filter(Channel.CHAN1).count(), name);
        }
    }

    @Test
    void namesRoundTrip() {
        for (Channel c : Channel.values()) {
            assertEquals(c, Channel.byName(c.cliName()));
        }
    }
}
