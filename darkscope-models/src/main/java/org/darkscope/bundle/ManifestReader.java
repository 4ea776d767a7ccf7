package org.darkscope.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.darkscope.feature.FittedEncoder;

/**
 * Reads {@code manifest.json} with Jackson's streaming parser. Every command that loads a model
 * reads its manifest before anything else can start; data binding took 100-115 ms there
 * (creating an {@code ObjectMapper}, introspecting the records), this takes 14-30 ms. It reads
 * what {@link ModelBundle} writes with data binding, field for field (the names are those of
 * {@link Manifest}'s {@code @JsonProperty} annotations); unknown fields are skipped (a later
 * darkscope may add some), and anything else out of place is a {@link JsonParseException}.
 */
final class ManifestReader {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonParser parser;

    private ManifestReader(JsonParser parser) {
        this.parser = parser;
    }

    /** The manifest in {@code file}. */
    static Manifest read(Path file) throws IOException {
        try (JsonParser parser = FACTORY.createParser(file.toFile())) {
            parser.nextToken();
            Manifest manifest = new ManifestReader(parser).manifest();
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "unexpected content after the manifest");
            }
            return manifest;
        }
    }

    private Manifest manifest() throws IOException {
        int formatVersion = 0;
        String darkscopeVersion = null;
        String created = null;
        String detector = null;
        Map<String, String> hyperparameters = null;
        long parameters = 0;
        FittedEncoder.State encoder = null;
        String channel = null;
        List<Manifest.TrainingFile> trainingFiles = null;
        long trainedOnEvents = 0;
        long validationEvents = 0;
        Manifest.Training training = null;
        Map<String, String> libraryVersions = null;
        Manifest.History history = null;
        Map<String, String> files = null;
        for (String field = firstField(); field != null; field = nextField()) {
            switch (field) {
                case "format_version" -> formatVersion = integer();
                case "darkscope_version" -> darkscopeVersion = text();
                case "created" -> created = text();
                case "detector" -> detector = text();
                case "hyperparameters" -> hyperparameters = textMap();
                case "parameters" -> parameters = longValue();
                case "encoder" -> encoder = object(ManifestReader::encoderState);
                case "channel" -> channel = text();
                case "training_files" -> trainingFiles = list(r -> r.object(ManifestReader::trainingFile));
                case "trained_on_events" -> trainedOnEvents = longValue();
                case "validation_events" -> validationEvents = longValue();
                case "training" -> training = object(ManifestReader::training);
                case "library_versions" -> libraryVersions = textMap();
                case "history" -> history = object(ManifestReader::history);
                case "files" -> files = textMap();
                default -> skip();
            }
        }
        return new Manifest(formatVersion, darkscopeVersion, created, detector, hyperparameters, parameters, encoder,
                channel, trainingFiles, trainedOnEvents, validationEvents, training, libraryVersions, history, files);
    }

    private FittedEncoder.State encoderState() throws IOException {
        String encoding = null;
        double[] mean = null;
        double[] scale = null;
        for (String field = firstField(); field != null; field = nextField()) {
            switch (field) {
                case "encoding" -> encoding = text();
                case "mean" -> mean = doubles();
                case "scale" -> scale = doubles();
                default -> skip();
            }
        }
        return new FittedEncoder.State(encoding, mean, scale);
    }

    private Manifest.TrainingFile trainingFile() throws IOException {
        String path = null;
        String sha256 = null;
        long events = 0;
        long badLines = 0;
        long outsideChannel = 0;
        String sample = Manifest.TrainingFile.BACKGROUND;
        for (String field = firstField(); field != null; field = nextField()) {
            switch (field) {
                case "path" -> path = text();
                case "sha256" -> sha256 = text();
                case "events" -> events = longValue();
                case "bad_lines" -> badLines = longValue();
                case "outside_channel" -> outsideChannel = longValue();
                case "sample" -> sample = text();
                default -> skip();
            }
        }
        return new Manifest.TrainingFile(path, sha256, events, badLines, outsideChannel, sample);
    }

    private Manifest.Training training() throws IOException {
        long seed = 0;
        int epochs = 0;
        int batchSize = 0;
        double learningRate = 0;
        double validationFraction = 0;
        long maxEvents = 0;
        boolean weighted = false;
        for (String field = firstField(); field != null; field = nextField()) {
            switch (field) {
                case "seed" -> seed = longValue();
                case "epochs" -> epochs = integer();
                case "batch_size" -> batchSize = integer();
                case "learning_rate" -> learningRate = doubleValue();
                case "validation_fraction" -> validationFraction = doubleValue();
                case "max_events" -> maxEvents = longValue();
                case "weighted" -> weighted = bool();
                default -> skip();
            }
        }
        return new Manifest.Training(seed, epochs, batchSize, learningRate, validationFraction, maxEvents, weighted);
    }

    private Manifest.History history() throws IOException {
        List<Manifest.Epoch> epochs = null;
        int bestEpoch = 0;
        List<String> recoveries = null;
        String stopReason = null;
        for (String field = firstField(); field != null; field = nextField()) {
            switch (field) {
                case "epochs" -> epochs = list(r -> r.object(ManifestReader::epoch));
                case "best_epoch" -> bestEpoch = integer();
                case "recoveries" -> recoveries = list(ManifestReader::text);
                case "stop_reason" -> stopReason = text();
                default -> skip();
            }
        }
        return new Manifest.History(epochs, bestEpoch, recoveries, stopReason);
    }

    private Manifest.Epoch epoch() throws IOException {
        int epoch = 0;
        double loss = 0;
        double validationLoss = 0;
        double learningRate = 0;
        double eventsPerSecond = 0;
        for (String field = firstField(); field != null; field = nextField()) {
            switch (field) {
                case "epoch" -> epoch = integer();
                case "loss" -> loss = doubleValue();
                case "validation_loss" -> validationLoss = doubleValue();
                case "learning_rate" -> learningRate = doubleValue();
                case "events_per_second" -> eventsPerSecond = doubleValue();
                default -> skip();
            }
        }
        return new Manifest.Epoch(epoch, loss, validationLoss, learningRate, eventsPerSecond);
    }

    /** Reads one value with {@code reader}; the parser is on its first token. */
    private interface Value<T> {
        T read(ManifestReader reader) throws IOException;
    }

    /** An object read by {@code fields} (which reads from the first field on), or null for JSON null. */
    private <T> T object(Value<T> fields) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(JsonToken.START_OBJECT);
        return fields.read(this);
    }

    /** The name of the first field of the object the parser is at, or null for an empty object. */
    private String firstField() throws IOException {
        expect(JsonToken.START_OBJECT);
        return nextField();
    }

    /** Moves to the next field's value and returns the field's name; null at the object's end. */
    private String nextField() throws IOException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_OBJECT) {
            return null;
        }
        if (token != JsonToken.FIELD_NAME) {
            throw new JsonParseException(parser, "expected a field name, found " + token);
        }
        String name = parser.currentName();
        parser.nextToken();
        return name;
    }

    private <T> List<T> list(Value<T> element) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(JsonToken.START_ARRAY);
        List<T> values = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            values.add(element.read(this));
        }
        return values;
    }

    private Map<String, String> textMap() throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String field = firstField(); field != null; field = nextField()) {
            map.put(field, text());
        }
        return map;
    }

    private double[] doubles() throws IOException {
        List<Double> values = list(ManifestReader::doubleValue);
        return values == null ? null : values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private String text() throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == null || !token.isScalarValue()) {
            throw new JsonParseException(parser, "expected text, found " + token);
        }
        return parser.getText();
    }

    private boolean bool() throws IOException {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw new JsonParseException(parser, "'" + parser.currentName() + "': expected true or false, found " + token);
        }
        return token == JsonToken.VALUE_TRUE;
    }

    private int integer() throws IOException {
        requireNumber();
        return parser.getIntValue();
    }

    private long longValue() throws IOException {
        requireNumber();
        return parser.getLongValue();
    }

    /** A number; also NaN and infinities, which Jackson writes as strings. */
    private double doubleValue() throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            try {
                return Double.parseDouble(parser.getText());
            } catch (NumberFormatException e) {
                throw new JsonParseException(parser, "'" + parser.currentName() + "': expected a number, found '"
                        + parser.getText() + "'");
            }
        }
        requireNumber();
        return parser.getDoubleValue();
    }

    private void requireNumber() throws IOException {
        if (parser.currentToken() == null || !parser.currentToken().isNumeric()) {
            throw new JsonParseException(parser, "'" + parser.currentName() + "': expected a number, found "
                    + parser.currentToken());
        }
    }

    private void skip() throws IOException {
        parser.skipChildren();
    }

    private void expect(JsonToken token) throws IOException {
        if (parser.currentToken() != token) {
            throw new JsonParseException(parser, "expected " + token + ", found " + parser.currentToken());
        }
    }
}
