package org.darkscope.event;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generic distortions of Standard-Model events, the pseudo-signals of darkscope's
 * signal-agnostic protocol: a detector's defaults are chosen by how well it tells held-out
 * background from distorted background, never by a real signal's AUC. Each distortion stands
 * for a class of new physics without being any model of it; all momenta in MeV.
 */
public enum Distortion {
    /** New invisible particles along the existing missing momentum: MET x 1.5. */
    MET_SCALE("met-scale", "MET x 1.5 (invisible particles along the existing MET)"),
    /** A new invisible particle in a random direction: 100-400 GeV added to the missing momentum. */
    INVISIBLE("invisible", "an invisible 100-400 GeV pT added to MET in a random direction"),
    /** Heavier hadronic activity: every jet's E and pT x 1.2, MET unchanged. */
    JET_SCALE("jet-scale", "every jet's E and pT x 1.2 (harder hadronic system)"),
    /** An extra hard jet from a new decay: pT 100-400 GeV, |eta| &lt; 2.5. */
    EXTRA_JET("extra-jet", "an extra jet, pT 100-400 GeV, |eta| < 2.5, random phi"),
    /** An extra isolated lepton: an electron or muon of either charge, pT 30-200 GeV, |eta| &lt; 2.5. */
    EXTRA_LEPTON("extra-lepton", "an extra electron or muon, pT 30-200 GeV, |eta| < 2.5, random phi");

    /**
     * The seed of the protocol's distortions: fixed, so that detectors trained with different
     * seeds meet the same pseudo-signals, and a spread across training seeds is the training's alone.
     */
    public static final long PROTOCOL_SEED = 20_210_528L; // arXiv:2105.14027's submission date
    private static final double GEV = Units.MEV_PER_GEV;
    private static final ObjectType[] LEPTONS = {ObjectType.ELECTRON, ObjectType.POSITRON, ObjectType.MUON, ObjectType.ANTIMUON};

    private final String cliName;
    private final String description;

    Distortion(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    /** The name in reports: {@code met-scale}, {@code extra-jet}, ... */
    public String cliName() {
        return cliName;
    }

    /** One line saying what the distortion does. */
    public String description() {
        return description;
    }

    /** The pseudo-signal's name in results: {@code distorted-} and the distortion's name. */
    public String sampleName() {
        return "distorted-" + cliName;
    }

    /**
     * The distorted copy of {@code event}; {@code random} draws what is random (give each event
     * its own seeded generator, and the same events distort the same way every time).
     */
    public Event apply(Event event, SplittableRandom random) {
        return switch (this) {
            case MET_SCALE -> withMet(event, event.met() * 1.5, event.metPhi(), event.objects());
            case INVISIBLE -> {
                double pt = random.nextDouble(100 * GEV, 400 * GEV);
                double phi = random.nextDouble(-Math.PI, Math.PI);
                double x = event.metX() + pt * Math.cos(phi);
                double y = event.metY() + pt * Math.sin(phi);
                yield withMet(event, Math.hypot(x, y), Math.atan2(y, x), event.objects());
            }
            case JET_SCALE -> {
                List<PhysicsObject> objects = new ArrayList<>();
                for (PhysicsObject o : event.objects()) {
                    objects.add(o.type().isJet() ? new PhysicsObject(o.type(), o.e() * 1.2, o.pt() * 1.2, o.eta(), o.phi()) : o);
                }
                yield withMet(event, event.met(), event.metPhi(), objects);
            }
            case EXTRA_JET -> withObject(event, ObjectType.JET, random.nextDouble(100 * GEV, 400 * GEV), random);
            case EXTRA_LEPTON -> withObject(event, LEPTONS[random.nextInt(LEPTONS.length)],
                    random.nextDouble(30 * GEV, 200 * GEV), random);
        };
    }

    private static Event withObject(Event event, ObjectType type, double pt, SplittableRandom random) {
        double eta = random.nextDouble(-2.5, 2.5);
        double phi = random.nextDouble(-Math.PI, Math.PI);
        List<PhysicsObject> objects = new ArrayList<>(event.objects());
        objects.add(new PhysicsObject(type, pt * Math.cosh(eta), pt, eta, phi));
        objects.sort(Comparator.comparingDouble(PhysicsObject::pt).reversed());
        return withMet(event, event.met(), event.metPhi(), objects);
    }

    private static Event withMet(Event event, double met, double metPhi, List<PhysicsObject> objects) {
        return new Event(event.eventId(), event.processId(), event.weight(), met, metPhi, objects);
    }
}
