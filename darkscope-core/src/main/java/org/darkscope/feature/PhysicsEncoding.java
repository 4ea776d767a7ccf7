package org.darkscope.feature;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.darkscope.event.Event;

/**
 * A single physics observable in GeV, unstandardised: the input of the {@code ht} and
 * {@code met} baselines, whose score is the observable itself.
 */
public final class PhysicsEncoding implements Encoding {
    /** HT, the scalar pT sum of all jets and b-jets, in GeV. */
    public static final PhysicsEncoding HT = new PhysicsEncoding("ht", Event::htGev);
    /** Missing transverse energy in GeV. */
    public static final PhysicsEncoding MET = new PhysicsEncoding("met", Event::metGev);

    private final String name;
    private final ToDoubleFunction<Event> observable;

    private PhysicsEncoding(String name, ToDoubleFunction<Event> observable) {
        this.name = name;
        this.observable = observable;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int[] shape() {
        return new int[] {1};
    }

    @Override
    public boolean standardized() {
        return false;
    }

    @Override
    public List<String> featureNames() {
        return List.of(name + "_gev");
    }

    @Override
    public void encode(Event event, float[] out, int offset) {
        out[offset] = (float) observable.applyAsDouble(event);
    }
}
