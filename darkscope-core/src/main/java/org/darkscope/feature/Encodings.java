package org.darkscope.feature;

import java.util.List;

/** The encodings darkscope knows, by name. */
public final class Encodings {
    private static final List<Encoding> ALL = List.of(EventLevelEncoding.NO_JET_COUNT, EventLevelEncoding.ALL, new ConvEncoding(true, true),
            new ConvEncoding(false, true), new ObjectSetEncoding(), new ConvEncoding(true, false), new ConvEncoding(), new DenseEncoding(),
            new EfficientEncoding(), PhysicsEncoding.HT, PhysicsEncoding.MET);

    private Encodings() {
    }

    public static List<Encoding> all() {
        return ALL;
    }

    /** The encoding called {@code name}. */
    public static Encoding byName(String name) {
        if (ImageEncoding.isImage(name) && name.contains(":")) {
            return ImageEncoding.of(name, null);
        }
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(org.darkscope.Spelling.unknown("encoding", name,
                        ALL.stream().map(Encoding::name).toList())));
    }
}
