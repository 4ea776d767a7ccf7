package org.darkscope.feature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.darkscope.event.Event;
import org.darkscope.event.ObjectType;
import org.darkscope.event.PhysicsObject;
import org.darkscope.io.BundledSample;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodingTest {
    private static final Event EVENT = new Event("1", "t", 1, 300_000, 0.5, List.of(
            new PhysicsObject(ObjectType.JET, 500_000, 400_000, 0.1, 1.0),
            new PhysicsObject(ObjectType.MUON, 120_000, 100_000, -0.5, 2.0),
            new PhysicsObject(ObjectType.BJET, 90_000, 80_000, 1.5, -1.0),
            new PhysicsObject(ObjectType.PHOTON, 60_000, 50_000, 0.7, 0.3)));

    private static float log(double gev) {
        return (float) Math.log1p(gev);
    }

    @Test
    void denseEncodingPutsEachObjectInItsSlot() {
        DenseEncoding enc = new DenseEncoding();
        float[] x = new float[enc.size()];
        enc.encode(EVENT, x, 0);
        assertEquals(80, enc.size());
        assertEquals(80, enc.featureNames().size());
        assertEquals(log(300), x[0], 1e-5f);
        assertEquals(0.5f, x[1]);
        assertEquals(log(480), x[2], 1e-5f);
        assertArrayEquals(new float[] {1, 1, 0, 1, 1}, java.util.Arrays.copyOfRange(x, 3, 8));
        // jet 1 then the b-jet as jet 2
        assertArrayEquals(new float[] {log(500), log(400), 0.1f, 1.0f, 0f}, java.util.Arrays.copyOfRange(x, 8, 13), 1e-5f);
        assertArrayEquals(new float[] {log(90), log(80), 1.5f, -1.0f, 1f}, java.util.Arrays.copyOfRange(x, 13, 18), 1e-5f);
        int lepton = 8 + 8 * 5;
        assertArrayEquals(new float[] {log(120), log(100), -0.5f, 2.0f, 1f, -1f}, java.util.Arrays.copyOfRange(x, lepton, lepton + 6), 1e-5f);
        int photon = lepton + 4 * 6;
        assertArrayEquals(new float[] {log(60), log(50), 0.7f, 0.3f}, java.util.Arrays.copyOfRange(x, photon, photon + 4), 1e-5f);
        assertEquals(0f, x[79]);
    }

    @Test
    void convEncodingIsChannelsFirstWithMetRow() {
        ConvEncoding enc = new ConvEncoding();
        float[] x = new float[enc.size()];
        enc.encode(EVENT, x, 0);
        assertArrayEquals(new int[] {4, 1, 14}, enc.shape());
        assertEquals(log(300), x[0]);          // E of MET row
        assertEquals(log(300), x[14]);         // pT of MET row
        assertEquals(0.5f, x[3 * 14]);         // phi of MET row
        assertEquals(log(500), x[1]);          // E of leading object
        assertEquals(-0.5f, x[2 * 14 + 2]);    // eta of the muon (second object)
        assertEquals(0f, x[5]);                // padding
    }

    @Test
    void efficientEncodingCountsEveryType() {
        EfficientEncoding enc = new EfficientEncoding();
        float[] x = new float[enc.size()];
        enc.encode(EVENT, x, 0);
        assertEquals(53, enc.size());
        assertEquals(1f, x[2 + ObjectType.JET.ordinal()]);
        assertEquals(1f, x[2 + ObjectType.MUON.ordinal()]);
        assertEquals(0f, x[2 + ObjectType.ELECTRON.ordinal()]);
        int lepton1 = 9 + 4 * 7;
        assertEquals(log(100), x[lepton1 + 1], 1e-5f);
    }

    @Test
    void standardizerFittedOnBackgroundHasZeroMeanUnitVarianceAndRoundTripsThroughJson(@TempDir Path dir) throws Exception {
        Path file = BundledSample.extractTo(dir).resolve(BundledSample.BACKGROUND);
        List<Event> background = EventFiles.read(file, ParseMode.STRICT, -1);
        FittedEncoder encoder = FittedEncoder.fit(new DenseEncoding(), background);
        FeatureBatch batch = encoder.encode(background);
        int d = batch.rowSize();
        for (int j : new int[] {0, 2, 3, 8, 9}) {
            double sum = 0;
            double sq = 0;
            for (int r = 0; r < batch.rows(); r++) {
                double v = batch.values()[r * d + j];
                sum += v;
                sq += v * v;
            }
            double mean = sum / batch.rows();
            assertEquals(0, mean, 1e-4);
            assertEquals(1, sq / batch.rows() - mean * mean, 1e-3);
        }
        ObjectMapper mapper = new ObjectMapper();
        FittedEncoder.State state = mapper.readValue(mapper.writeValueAsString(encoder.state()), FittedEncoder.State.class);
        FittedEncoder restored = FittedEncoder.fromState(state);
        assertArrayEquals(batch.values(), restored.encode(background).values());
    }

    @Test
    void physicsEncodingsAreTheRawObservable() {
        float[] x = new float[1];
        PhysicsEncoding.HT.encode(EVENT, x, 0);
        assertEquals(480f, x[0]);
        PhysicsEncoding.MET.encode(EVENT, x, 0);
        assertEquals(300f, x[0]);
        assertEquals(PhysicsEncoding.HT, Encodings.byName("ht"));
    }

    @Test
    void eventLevelEncodingIsTheEightQuantitiesWorkedByHand() {
        EventLevelEncoding enc = EventLevelEncoding.ALL;
        float[] x = new float[enc.size()];
        enc.encode(EVENT, x, 0);
        assertEquals(8, enc.featureNames().size());
        assertEquals(log(300), x[0], 1e-5f);               // MET
        assertEquals(log(480), x[1], 1e-5f);               // HT = 400 + 80
        assertArrayEquals(new float[] {2, 1, 1}, java.util.Arrays.copyOfRange(x, 2, 5)); // jets, b-jets, leptons
        assertEquals(log(400), x[5], 1e-5f);               // leading jet pT
        // MET at phi 0.5, jets at 1.0 and -1.0: |dphi| 0.5 and 1.5
        assertEquals(0.5f, x[6], 1e-6f);
        assertEquals(300f / 480f, x[7], 1e-6f);
        // the seven without the number of jets: the same values, names and definitions, that one left out
        EventLevelEncoding seven = EventLevelEncoding.NO_JET_COUNT;
        float[] y = new float[seven.size()];
        seven.encode(EVENT, y, 0);
        assertEquals(7, seven.size());
        assertArrayEquals(new float[] {x[0], x[1], x[3], x[4], x[5], x[6], x[7]}, y);
        List<String> names = new java.util.ArrayList<>(enc.featureNames());
        names.remove("n_jet");
        assertEquals(names, seven.featureNames());
        assertEquals(enc.featureDefinition(3), seven.featureDefinition(2));
        assertEquals(seven, Encodings.byName("event-level-no-njet"));
    }

    /**
     * The counts of {@code event-level-no-njet} (b-jets, leptons) are known with the spacing of their
     * standardised values: an event with one b-jet or one lepton more lies exactly that far along
     * the count and nowhere else; every other feature has none.
     */
    @Test
    void countsAreKnownWithTheSpacingOfTheirStandardisedValues(@TempDir Path dir) {
        List<Event> background = EventFiles.read(BundledSample.extractTo(dir).resolve(BundledSample.BACKGROUND), ParseMode.STRICT, 500);
        FittedEncoder encoder = FittedEncoder.fit(EventLevelEncoding.NO_JET_COUNT, background);
        List<String> names = encoder.encoding().featureNames();
        double[] spacing = encoder.countSpacing();
        Event oneMoreBjet = new Event("2", "t", 1, EVENT.met(), EVENT.metPhi(), EVENT.objects().stream()
                .map(o -> o.type() == ObjectType.JET ? new PhysicsObject(ObjectType.BJET, o.e(), o.pt(), o.eta(), o.phi()) : o).toList());
        List<PhysicsObject> withElectron = new java.util.ArrayList<>(EVENT.objects());
        withElectron.add(new PhysicsObject(ObjectType.ELECTRON, 40_000, 30_000, 0.2, -2.0));
        Event oneMoreLepton = new Event("3", "t", 1, EVENT.met(), EVENT.metPhi(), withElectron);
        float[] base = encoder.encode(List.of(EVENT)).values();
        for (Event more : List.of(oneMoreBjet, oneMoreLepton)) {
            float[] x = encoder.encode(List.of(more)).values();
            int moved = 0;
            for (int f = 0; f < names.size(); f++) {
                if (x[f] != base[f]) {
                    moved++;
                    assertTrue(names.get(f).startsWith("n_"), names.get(f) + " moved");
                    assertEquals(x[f] - base[f], spacing[f], 1e-6 * spacing[f], names.get(f));
                }
            }
            assertEquals(1, moved);
        }
        for (int f = 0; f < names.size(); f++) {
            assertEquals(names.get(f).equals("n_bjet") || names.get(f).equals("n_lepton"), spacing[f] > 0, names.get(f));
        }
    }

    /** Every feature an encoding calls a count ({@code n_...}) is a whole number on the bundled background, in every encoding. */
    @Test
    void whatEveryEncodingCallsACountIsAWholeNumber(@TempDir Path dir) {
        List<Event> background = EventFiles.read(BundledSample.extractTo(dir).resolve(BundledSample.BACKGROUND), ParseMode.STRICT, 1000);
        int counts = 0;
        for (Encoding encoding : Encodings.all()) {
            float[] x = new float[encoding.size()];
            for (Event event : background) {
                encoding.encode(event, x, 0);
                for (int f = 0; f < x.length; f++) {
                    if (encoding.count(f)) {
                        assertEquals(Math.rint(x[f]), x[f], encoding.name() + " " + encoding.featureNames().get(f));
                    }
                }
            }
            for (int f = 0; f < x.length; f++) {
                counts += encoding.count(f) ? 1 : 0;
            }
        }
        // event-level's three (jets, b-jets, leptons), its seven's two, the dense image's five, efficient's one per object type
        assertEquals(3 + 2 + 5 + ObjectType.values().length, counts);
    }

    /** Every phi rotated by {@code alpha} (wrapped into [-pi, pi]), eta and phi optionally reflected. */
    static Event transformed(Event e, double alpha, boolean flipEta, boolean mirrorPhi) {
        double sign = mirrorPhi ? -1 : 1;
        List<PhysicsObject> objects = e.objects().stream().map(o -> new PhysicsObject(o.type(), o.e(), o.pt(),
                flipEta ? -o.eta() : o.eta(), Math.IEEEremainder(sign * o.phi() + alpha, 2 * Math.PI))).toList();
        return new Event(e.eventId(), e.processId(), e.weight(), e.met(), Math.IEEEremainder(sign * e.metPhi() + alpha, 2 * Math.PI), objects);
    }

    @Test
    void symmetricEncodingsDoNotSeeRotationsOrReflections(@TempDir Path dir) {
        Path file = BundledSample.extractTo(dir).resolve(BundledSample.BACKGROUND);
        List<Event> events = EventFiles.read(file, ParseMode.STRICT, 300);
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        for (Encoding enc : List.of(new ConvEncoding(true, true), new ConvEncoding(false, true), EventLevelEncoding.ALL,
                EventLevelEncoding.NO_JET_COUNT)) {
            float[] a = new float[enc.size()];
            float[] b = new float[enc.size()];
            for (Event e : events) {
                enc.encode(e, a, 0);
                enc.encode(transformed(e, random.nextDouble(-Math.PI, Math.PI), random.nextBoolean(), random.nextBoolean()), b, 0);
                assertArrayEquals(a, b, 1e-5f, enc.name() + ", event " + e.eventId());
            }
        }
        // and the raw image does see them
        ConvEncoding raw = new ConvEncoding(true, false);
        float[] a = new float[raw.size()];
        float[] b = new float[raw.size()];
        raw.encode(events.get(0), a, 0);
        raw.encode(transformed(events.get(0), 1.0, true, false), b, 0);
        assertTrue(!java.util.Arrays.equals(a, b));
    }
}
