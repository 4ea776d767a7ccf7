package org.darkscope;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.darkscope.bundle.EventFingerprints;
import org.darkscope.bundle.Manifest;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.Provenance;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.detect.CombinedDetector;
import org.darkscope.detect.Detector;
import org.darkscope.detect.Detectors;
import org.darkscope.detect.ExternalModel;
import org.darkscope.detect.Hyperparameters;
import org.darkscope.detect.SampleClassifier;
import org.darkscope.detect.TrainingConfig;
import org.darkscope.detect.TrainingData;
import org.darkscope.event.Event;
import org.darkscope.event.ProcessWeights;
import org.darkscope.feature.Encoding;
import org.darkscope.feature.Encodings;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.feature.FittedEncoder;
import org.darkscope.feature.ImageEncoding;
import org.darkscope.io.AtomicFile;
import org.darkscope.io.CsvOutput;
import org.darkscope.io.EventFiles;
import org.darkscope.io.FileDigests;
import org.darkscope.io.EventReader;
import org.darkscope.io.ImageSample;
import org.darkscope.io.ParseMode;
import org.darkscope.io.StandardOutput;
import org.darkscope.select.Channel;
import org.darkscope.select.SelectedEvents;

/**
 * The whole flow in one place: event files are read (streaming), selected by channel, encoded
 * with an encoder fitted on background, a detector learns from background, and the model is
 * written as a bundle; scoring streams any number of events through a loaded bundle.
 */
public final class Pipeline {
    /** Events encoded and scored at a time when streaming. */
    public static final int CHUNK = 8192;
    /** Chunks the reader may run ahead of scoring once the model is loaded. */
    private static final int STEADY_READ_AHEAD = 4;

    private Pipeline() {
    }

    /**
     * What to train.
     *
     * @param detector           detector name
     * @param settings           detector settings
     * @param encoding           encoding name, or null for the detector's default
     * @param background         background files
     * @param others             for a detector that learns from other samples too ({@link SampleClassifier}):
     *                           its samples (signal models, or the data), each one or more files; else empty
     * @param channel            the selection training events must pass
     * @param maxEvents          at most this many selected events per sample (negative: all)
     * @param validationFraction fraction held out for validation
     * @param mode               strict or lenient parsing
     * @param config             training settings
     * @param weighted           whether the background's events count by their weights (a detector that
     *                           {@link Detector#fitsWeights fits weights} only; a negative weight refused)
     */
    public record TrainRequest(String detector, Hyperparameters settings, String encoding, List<Path> background,
                               List<List<Path>> others, Channel channel, long maxEvents, double validationFraction,
                               ParseMode mode, TrainingConfig config, boolean weighted) {
        public TrainRequest {
            others = others.stream().map(List::copyOf).toList();
        }

        /** A request that counts every event once. */
        public TrainRequest(String detector, Hyperparameters settings, String encoding, List<Path> background,
                            List<List<Path>> others, Channel channel, long maxEvents, double validationFraction,
                            ParseMode mode, TrainingConfig config) {
            this(detector, settings, encoding, background, others, channel, maxEvents, validationFraction, mode, config, false);
        }

        /** A request for a detector that learns from background alone. */
        public TrainRequest(String detector, Hyperparameters settings, String encoding, List<Path> background, Channel channel,
                            long maxEvents, double validationFraction, ParseMode mode, TrainingConfig config) {
            this(detector, settings, encoding, background, List.of(), channel, maxEvents, validationFraction, mode, config);
        }
    }

    /**
     * What training wrote: the manifest, the file reports (for skipped lines), and what to say of it:
     * the samples' weights where they differ within a process ({@link ProcessWeights}), then the
     * detector's {@link Detector#advice}.
     */
    public record TrainResult(Manifest manifest, List<EventFiles.FileReport> reports, List<String> advice) {
    }

    /** A sample's events in the channel, encoded raw (row-major), and their weights where they count by them (else null). */
    private record RawSample(float[] features, int rows, double[] weights) {
    }

    /** Trains a detector and writes its bundle to {@code out}. */
    public static TrainResult train(TrainRequest request, Path out) {
        List<Manifest.TrainingFile> files = new ArrayList<>();
        List<EventFiles.FileReport> reports = new ArrayList<>();
        EventFingerprints trainingEvents = EventFingerprints.empty();
        List<String> notes = new ArrayList<>();
        try (Detector detector = Detectors.create(request.detector(), request.settings())) {
            SampleClassifier classifier = detector instanceof SampleClassifier c ? c : null;
            if (request.weighted()) {
                Detectors.requireFitsWeights(detector);
            }
            if (classifier != null) {
                classifier.requireSamples(request.others().size());
            } else if (!request.others().isEmpty()) {
                throw new IllegalArgumentException(detector.name() + " learns from background alone: it takes no other samples");
            }
            Encoding encoding = encoding(detector.name(), Detectors.encodingFor(detector, request.encoding()), request.background());
            RawSample background = read(request.background(), Manifest.TrainingFile.BACKGROUND, encoding, request, files,
                    reports, trainingEvents, notes);
            FittedEncoder encoder;
            if (detector instanceof ExternalModel external) { // its own standardisation, if any, is inside the model
                encoder = external.rawEncoder();
            } else if (background.rows() < 2) {
                throw tooFew(background.rows(), "background", request.channel(), files);
            } else {
                encoder = FittedEncoder.fitAndStandardize(encoding, background.features(), background.rows());
            }
            TrainingConfig c = request.config();
            double validationFraction = Detectors.validationFraction(detector, request.validationFraction());
            TrainingData data = TrainingData.split(encoder, new FeatureBatch(background.features(), background.rows(),
                    encoding.shape()), background.weights(), validationFraction, c.seed());
            if (classifier == null) {
                detector.fit(data, c);
            } else {
                classifier.fit(data, others(request, classifier, encoding, encoder, files, reports, trainingEvents, notes), c);
            }
            Provenance provenance = new Provenance(DarkscopeVersion.get(), Instant.now().toString(), encoder.state(),
                    request.channel().cliName(), files, data.train().rows(), data.validation().rows(),
                    new Manifest.Training(c.seed(), c.epochs(), c.batchSize(), c.learningRate(),
                            validationFraction, request.maxEvents(), request.weighted()),
                    libraryVersions(), trainingEvents);
            notes.addAll(detector.advice());
            return new TrainResult(ModelBundle.write(out, detector, provenance), reports, notes);
        }
    }

    /**
     * The encoding {@code name} for the background {@code files}: an image family takes the
     * images' shape; images and events are not mixed, and a detector of one is refused the other.
     */
    private static Encoding encoding(String detector, String name, List<Path> files) {
        boolean images = ImageSample.areImages(files, "the background");
        boolean imageEncoding = ImageEncoding.isImage(name);
        if (images && !imageEncoding) {
            throw new IllegalArgumentException(detector + " reads collision events (encoding " + name + "), not detector images: "
                    + "for images use image-cvae or s2s1");
        }
        if (!images && imageEncoding) {
            throw new IllegalArgumentException(detector + " reads detector images (.npy files, folders of PNG), not event files");
        }
        if (!images) {
            return Encodings.byName(name);
        }
        return ImageEncoding.of(name, ImageSample.open(files.get(0), ParseMode.LENIENT).shape());
    }

    /**
     * "only 0 of the 3254 background events read pass chan2a ...": where the sample was read whole
     * and few passed, the channel is the likelier mistake, and it is named.
     */
    private static InputException tooFew(int passed, String sample, Channel channel, List<Manifest.TrainingFile> files) {
        long read = passed + files.stream().filter(f -> f.sample().equals(sample)).mapToLong(Manifest.TrainingFile::outsideChannel).sum();
        String hint = read > passed ? "; is --channel " + channel.cliName() + " the channel the sample was selected in ("
                + java.util.Arrays.stream(Channel.values()).map(Channel::cliName).collect(java.util.stream.Collectors.joining(", ")) + ")?" : "";
        return new InputException(String.format(java.util.Locale.ROOT, "only %d of the %d %s events read pass %s: too few to train on%s",
                passed, read, sample, channel.cliName(), hint));
    }

    /** The other samples of a {@link SampleClassifier}, read, standardised as the background and split. */
    private static List<TrainingData> others(TrainRequest request, SampleClassifier classifier, Encoding encoding,
                                             FittedEncoder encoder, List<Manifest.TrainingFile> files,
                                             List<EventFiles.FileReport> reports, EventFingerprints trainingEvents,
                                             List<String> notes) {
        List<TrainingData> others = new ArrayList<>();
        for (int i = 0; i < request.others().size(); i++) {
            String role = classifier.role().name().toLowerCase(java.util.Locale.ROOT) + (request.others().size() > 1 ? " " + (i + 1) : "");
            RawSample sample = read(request.others().get(i), role, encoding, request, files, reports, trainingEvents, notes);
            if (sample.rows() < 2) {
                throw tooFew(sample.rows(), role, request.channel(), files);
            }
            for (int r = 0; r < sample.rows(); r++) {
                encoder.standardizer().apply(sample.features(), r * encoding.size());
            }
            others.add(TrainingData.split(new FeatureBatch(sample.features(), sample.rows(), encoding.shape()),
                    request.validationFraction(), request.config().seed() + i + 1));
        }
        return others;
    }

    /**
     * Reads the events of {@code paths} that pass the channel (at most {@code maxEvents}),
     * encoded raw; records each file ({@code sample} says what it is) and the events' fingerprints,
     * and adds to {@code notes} what is to be said of their weights ({@link ProcessWeights#trainingNote}).
     */
    private static RawSample read(List<Path> paths, String sample, Encoding encoding, TrainRequest request,
                                  List<Manifest.TrainingFile> files, List<EventFiles.FileReport> reports,
                                  EventFingerprints trainingEvents, List<String> notes) {
        int size = encoding.size();
        ProcessWeights weights = new ProcessWeights();
        float[] raw = new float[CHUNK * size]; // raw features of the selected events, grown as needed
        // where the background's events count by their weights, those weights (the other samples' count once)
        double[] eventWeights = request.weighted() && sample.equals(Manifest.TrainingFile.BACKGROUND) ? new double[CHUNK] : null;
        int selected = 0;
        for (Path file : paths) {
            if (EventReader.readsOnce(file)) { // a pipe, standard input: no SHA-256 to record
                throw new IllegalArgumentException(file + " is not a regular file: training records every training file's "
                        + "SHA-256, so it reads files, not pipes (write the stream to a file first)");
            }
            if (ImageSample.isImageSample(file)) {
                if (eventWeights != null) {
                    throw new IllegalArgumentException(file + ": detector images carry no event weights to train --weighted by");
                }
                try (ImageSample images = ImageSample.open(file, request.mode())) {
                    requireShape(encoding, images);
                    while (images.hasNext() && (request.maxEvents() < 0 || selected < request.maxEvents())) {
                        float[] image = images.next();
                        if ((selected + 1L) * size > raw.length) {
                            raw = java.util.Arrays.copyOf(raw, (int) Math.min(Integer.MAX_VALUE - 8, 2L * raw.length));
                        }
                        System.arraycopy(image, 0, raw, selected * size, size);
                        trainingEvents.add(ImageSample.fingerprint(image));
                        selected++;
                    }
                    EventFiles.FileReport report = images.report();
                    reports.add(report);
                    files.add(new Manifest.TrainingFile(file.toString(), FileDigests.sha256(file), images.announced(),
                            report.badLineCount(), 0, sample));
                }
                continue;
            }
            long outside = 0;
            try (EventReader reader = EventReader.open(file, request.mode())) {
                while (reader.hasNext() && (request.maxEvents() < 0 || selected < request.maxEvents())) {
                    Event event = reader.next();
                    if (request.channel().test(event)) {
                        if ((selected + 1L) * size > raw.length) {
                            raw = java.util.Arrays.copyOf(raw, (int) Math.min(Integer.MAX_VALUE - 8, 2L * raw.length));
                        }
                        encoding.encode(event, raw, selected * size);
                        trainingEvents.add(event);
                        weights.add(event);
                        if (eventWeights != null) {
                            eventWeights = withWeight(eventWeights, selected, event, file, reader.events());
                        }
                        selected++;
                    } else {
                        outside++;
                    }
                }
                reports.add(reader.report());
                files.add(new Manifest.TrainingFile(file.toString(), FileDigests.sha256(file), reader.events(),
                        reader.badLineCount(), outside, sample));
            }
        }
        if (eventWeights == null) {
            weights.trainingNote(sample).ifPresent(notes::add);
        } else if (!weights.weightedWithinProcesses() && weights.ranges().size() > 1) {
            notes.add("the " + sample + ": " + ProcessWeights.onePerProcessNote("training by weight"));
        }
        return new RawSample(java.util.Arrays.copyOf(raw, selected * size), selected,
                eventWeights == null ? null : positiveTotal(java.util.Arrays.copyOf(eventWeights, selected), paths));
    }

    /**
     * {@code weights} with {@code event}'s weight at {@code index}, grown as needed; a negative weight
     * is refused, naming the event ({@code position}: its number among those read from {@code file}).
     */
    private static double[] withWeight(double[] weights, int index, Event event, Path file, long position) {
        if (event.weight() < 0) {
            throw new InputException(String.format(java.util.Locale.ROOT, "%s: event %s (the %,d-th read) has weight %s; a density is"
                    + " learnt from events of weight 0 or more, so a sample with negative weights (an NLO generator's) trains without"
                    + " --weighted, each event counted once, and is measured with --weighted", file, event.eventId(), position,
                    event.weight()));
        }
        double[] grown = index < weights.length ? weights : java.util.Arrays.copyOf(weights, 2 * weights.length);
        grown[index] = event.weight();
        return grown;
    }

    /** {@code weights}, refused where they sum to nothing (no event would count). */
    private static double[] positiveTotal(double[] weights, List<Path> paths) {
        double total = java.util.Arrays.stream(weights).sum();
        if (weights.length > 0 && !(total > 0)) {
            throw new InputException(String.join(", ", paths.stream().map(Path::toString).toList()) + ": the selected events' weights sum to "
                    + total + ": with --weighted no event would count");
        }
        return weights;
    }

    /** Refuses images of another shape than the model's (or an event model given images). */
    private static void requireShape(Encoding encoding, ImageSample images) {
        if (!(encoding instanceof ImageEncoding) || !java.util.Arrays.equals(encoding.shape(), images.shape())) {
            throw new InputException(images.path() + ": images of " + shapeText(images.shape()) + " (channels x height x width); the model reads "
                    + (encoding instanceof ImageEncoding ? "images of " + shapeText(encoding.shape()) : "collision events (encoding "
                    + encoding.name() + ")"));
        }
    }

    private static String shapeText(int[] shape) {
        return shape[0] + " x " + shape[1] + " x " + shape[2];
    }

    /** The versions that made a model. */
    public static Map<String, String> libraryVersions() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("darkscope", DarkscopeVersion.get());
        versions.put("java", System.getProperty("java.version"));
        versions.put("djl", DarkscopeVersion.djl());
        try {
            versions.put("pytorch", Engine.getEngine("PyTorch").getVersion());
        } catch (RuntimeException e) {
            versions.put("pytorch", "unavailable");
        }
        return versions;
    }

    /**
     * Scores every event of {@code files} with the bundle in {@code modelDirectory} and writes
     * {@code event_id,process,weight,score}, and a last column {@code file} (the input it came
     * from, as given) when there is more than one input, as event IDs repeat across files. Three stages on three threads: gzip is inflated
     * ahead (see {@link EventReader#open(Path, ParseMode)}), a reader thread parses and encodes
     * chunks of events (starting while the network is still loading), this thread runs the
     * detector and writes; bounded queues between them keep memory constant. {@code out} named
     * {@value #STANDARD_OUTPUT} is standard output.
     */
    public static List<EventFiles.FileReport> score(Path modelDirectory, List<Path> files, ParseMode mode, Path out) {
        return score(modelDirectory, files, mode, out, Progress.NONE);
    }

    /** {@link #score(Path, List, ParseMode, Path)}, telling {@code progress} how far it has got. */
    public static List<EventFiles.FileReport> score(Path modelDirectory, List<Path> files, ParseMode mode, Path out, Progress progress) {
        return score(modelDirectory, files, mode, out, progress, false);
    }

    /**
     * {@link #score(Path, List, ParseMode, Path, Progress)}; with {@code members}, a {@code combined}
     * bundle's score is followed by each member's -log10 p, in columns {@code neglog10p_MEMBER}
     * ({@link CombinedDetector#scoreWithMembers}).
     */
    public static List<EventFiles.FileReport> score(Path modelDirectory, List<Path> files, ParseMode mode, Path out, Progress progress,
                                                    boolean members) {
        boolean standardOutput = isStandardOutput(out);
        Manifest manifest = ModelBundle.readManifest(modelDirectory);
        List<String> memberColumns = members
                ? CombinedDetector.memberColumns(modelDirectory.toString(), manifest.detector(), manifest.hyperparameters()) : List.of();
        FittedEncoder encoder = ModelBundle.encoder(modelDirectory, manifest);
        // Read-ahead, so that reading goes on while the model loads (PyTorch, for the detectors
        // that score on it, takes about a second on 2 cores):
        // up to an eighth of the heap, 4 to 64 chunks (13 of 2.4 MB each under -Xmx256m);
        // four once the model is loaded
        long chunkBytes = (long) CHUNK * (4L * encoder.size() + 72); // features, and ~72 bytes of line start and weight
        int readAhead = (int) Math.max(STEADY_READ_AHEAD, Math.min(64, Runtime.getRuntime().maxMemory() / 8 / chunkBytes));
        ReadAhead queue = new ReadAhead(readAhead, STEADY_READ_AHEAD);
        List<EventFiles.FileReport> reports = new ArrayList<>();
        // every event is scored, the channel not tested: testing every event would cost about 7 % of the rate
        Thread reader = new Thread(() -> readAndEncode(encoder, files, mode, queue, reports), "darkscope-reader");
        reader.setDaemon(true);
        reader.start();
        ScoreWriter lines = new ScoreWriter(files.size() > 1, progress);
        try (AtomicFile file = standardOutput ? null : AtomicFile.create(out);
             TrainedModel model = ModelBundle.load(modelDirectory, manifest)) {
            queue.modelLoaded();
            // standard output unbuffered by System.out, whose PrintStream would swallow a closed pipe
            CsvOutput writer = new CsvOutput(file != null ? file.stream() : StandardOutput.open());
            CombinedDetector combined = members ? (CombinedDetector) model.detector() : null;
            writer.text("event_id,process,weight,score" + memberColumns.stream().map(c -> "," + c).collect(java.util.stream.Collectors.joining())
                    + (files.size() > 1 ? ",file\n" : "\n"));
            try {
                while (true) {
                    Object item = queue.take();
                    if (item instanceof RuntimeException failure) {
                        throw failure;
                    }
                    if (!(item instanceof EncodedChunk chunk)) {
                        break; // end of input
                    }
                    CombinedDetector.Scores scored = combined == null ? null : combined.scoreWithMembers(chunk.features());
                    float[] scores = scored == null ? model.detector().score(chunk.features()) : scored.combined();
                    requireFinite(scores, chunk, model.detector().name());
                    lines.write(writer, chunk, scores, scored == null ? null : scored.members());
                }
            } finally {
                lines.finished(); // also when it failed: the progress line gives way to the message
            }
            writer.flush();
            if (file != null) {
                file.commit();
            }
        } catch (IOException e) {
            if (standardOutput && StandardOutput.closedByReader(e)) {
                throw new StandardOutputClosed(lines.scored);
            }
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scoring interrupted", e);
        } finally {
            reader.interrupt();
        }
        return reports;
    }

    /**
     * Writes each scored event's line (its start as read, the score, and where several files are
     * scored the file's name) and tells {@code progress} how far each file has got.
     */
    private static final class ScoreWriter {
        private final boolean fileColumn;
        private final Progress progress;
        /** The file of the chunk written last, its ",FILE" (encoded once per file) and its events written. */
        private Path current;
        private byte[] column;
        private long inFile;
        /** Every event whose line was written. */
        long scored;

        ScoreWriter(boolean fileColumn, Progress progress) {
            this.fileColumn = fileColumn;
            this.progress = progress;
        }

        /** The chunk's lines with their {@code scores} and, where not null, each member's column ({@code members[i][event]}). */
        void write(CsvOutput writer, EncodedChunk chunk, float[] scores, float[][] members) throws IOException {
            if (chunk.file() != current) {
                finished();
                current = chunk.file();
                column = fileColumn ? ("," + CsvOutput.field(current.toString())).getBytes(java.nio.charset.StandardCharsets.UTF_8) : null;
                inFile = 0;
            }
            ScoreLines lines = chunk.lines();
            for (int i = 0; i < scores.length; i++) {
                writer.utf8(lines.text(), lines.start(i), lines.end(i)).number(scores[i]);
                for (int m = 0; members != null && m < members.length; m++) {
                    writer.ascii(',').number(members[m][i]);
                }
                if (column != null) {
                    writer.utf8(column);
                }
                writer.ascii('\n');
                scored++; // per line: a write that fails part-way counts the lines before it
            }
            inFile += scores.length;
            progress.scored(current, inFile);
        }

        /** The file written last is done. */
        void finished() {
            if (current != null) {
                progress.finished(current);
            }
        }
    }

    /**
     * Scoring to standard output stopped because its reader closed it, as {@code head} does once it
     * has its lines: not a failure, nothing more is wanted. Carries how many events were scored.
     */
    public static final class StandardOutputClosed extends RuntimeException {
        private final long eventsScored;

        StandardOutputClosed(long eventsScored) {
            super("standard output was closed by its reader after " + eventsScored + " events");
            this.eventsScored = eventsScored;
        }

        /** Events whose lines were written before standard output closed (its reader may have read fewer). */
        public long eventsScored() {
            return eventsScored;
        }
    }

    /**
     * Hears how far scoring has got: after each chunk of a file, the events of that file scored so
     * far; once the file is done, that it is (also when it failed part-way). A command shows it
     * to a user waiting at a terminal.
     */
    public interface Progress {
        /** Nothing told. */
        Progress NONE = (file, events) -> { };

        /** {@code events} of {@code file} are scored. */
        void scored(Path file, long events);

        /** No more of {@code file} will be scored. */
        default void finished(Path file) {
        }
    }

    /** The output name that means standard output (as {@link EventReader#STANDARD_INPUT} means standard input). */
    public static final String STANDARD_OUTPUT = "-";

    /** Whether {@code out} names standard output. */
    public static boolean isStandardOutput(Path out) {
        return STANDARD_OUTPUT.equals(out.toString());
    }

    /**
     * Events of one chunk, encoded, with their weights, each one's place in its file (counting
     * every event from 1, those not kept too) and, where the chunk goes to a scores file, the start
     * of each event's line there (null otherwise).
     */
    private record EncodedChunk(ScoreLines lines, double[] weights, FeatureBatch features, Path file, long[] positions) {
    }

    /**
     * Fails, naming the first event concerned, where {@code scores} (of {@code chunk}) hold a
     * value that is not finite: no detector may write NaN or infinity as a score. It happens
     * for values far outside anything physical (a pT of 1e308 MeV makes MET/HT infinite), which
     * are bad input.
     */
    private static void requireFinite(float[] scores, EncodedChunk chunk, String detector) {
        for (int i = 0; i < scores.length; i++) {
            if (!Float.isFinite(scores[i])) {
                throw new InputException(chunk.file() + ": event " + chunk.positions()[i] + " of the file: " + detector
                        + " gave it the score " + scores[i] + "; its values lie outside anything the model can score "
                        + "(no score was written)");
            }
        }
    }

    private static final Object END_OF_INPUT = new Object();

    /** The reader stage: parse, encode, hand over chunks; then END_OF_INPUT, or the failure. */
    private static void readAndEncode(FittedEncoder encoder, List<Path> files, ParseMode mode, ReadAhead queue,
                                      List<EventFiles.FileReport> reports) {
        ScoreLines.Writer lines = new ScoreLines.Writer();
        try {
            for (Path input : files) {
                EventFiles.FileReport report = readChunks(encoder, input, mode, lines, null, false, null, chunk -> {
                    try {
                        queue.put(chunk);
                    } catch (InterruptedException e) {
                        throw new Interrupted(e);
                    }
                }).report();
                synchronized (reports) {
                    reports.add(report);
                }
            }
            queue.put(END_OF_INPUT);
        } catch (InterruptedException | Interrupted e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // any failure, an error such as running out of memory included, ends the command with
            // its message: the scoring thread must never wait for chunks that will not come
            RuntimeException failure = e instanceof RuntimeException r ? r
                    : new IllegalStateException("reading events failed: " + e, e);
            try {
                queue.put(failure);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Carries an interruption out of a chunk consumer. */
    private static final class Interrupted extends RuntimeException {
        Interrupted(InterruptedException cause) {
            super(cause);
        }
    }

    /** What reading a file gave, and how many of its events failed the selection it was read with (none without one). */
    private record FileRead(EventFiles.FileReport report, long outside, ProcessWeights weights) {
    }

    /**
     * Reads {@code file} and hands its events to {@code consumer} in encoded chunks of up to
     * {@value #CHUNK}, with the start of each event's scores line where {@code lines} is given:
     * those that pass {@code selection}, or every event where {@code keepOutside} or where there is
     * no selection (null: no event is tested; an image sample is never tested).
     */
    private static FileRead readChunks(FittedEncoder encoder, Path file, ParseMode mode, ScoreLines.Writer lines,
                                       Channel selection, boolean keepOutside, java.util.function.LongConsumer fingerprints,
                                       java.util.function.Consumer<EncodedChunk> consumer) {
        if (ImageSample.isImageSample(file)) {
            return new FileRead(readImageChunks(encoder, file, mode, lines, fingerprints, consumer), 0, new ProcessWeights());
        }
        if (encoder.encoding() instanceof ImageEncoding image) {
            throw new InputException(file + ": an event file; the model reads detector images of " + shapeText(image.shape())
                    + " (.npy files, folders of PNG)");
        }
        try (EventReader reader = EventReader.open(file, mode)) {
            // without a selection the reader itself: the rate of score
            SelectedEvents selected = selection != null ? new SelectedEvents(reader, selection, keepOutside) : null;
            java.util.Iterator<Event> events = selected != null ? selected : reader;
            java.util.function.LongSupplier position = selected != null ? selected::position : null;
            ProcessWeights weights = new ProcessWeights(); // for a measurement (a selection), not for score's rate
            chunks(encoder, file, CHUNK, lines, consumer, events::hasNext, position, (values, offset, text) -> {
                Event e = events.next();
                if (fingerprints != null) {
                    fingerprints.accept(e.fingerprint());
                }
                if (selected != null) {
                    weights.add(e);
                }
                if (text != null) {
                    lines.add(text, e);
                }
                encoder.encode(e, values, offset);
                return e.weight();
            });
            return new FileRead(reader.report(), selected != null ? selected.outside() : 0, weights);
        }
    }

    /** {@link #readChunks} for an image sample: each image standardised as the model's encoder says, weight 1. */
    private static EventFiles.FileReport readImageChunks(FittedEncoder encoder, Path file, ParseMode mode, ScoreLines.Writer lines,
                                                         java.util.function.LongConsumer fingerprints,
                                                         java.util.function.Consumer<EncodedChunk> consumer) {
        int chunk = Math.max(1, Math.min(CHUNK, (1 << 24) / encoder.size())); // at most 64 MB of pixels a chunk
        String process = EventFiles.sampleName(file);
        try (ImageSample images = ImageSample.open(file, mode)) {
            requireShape(encoder.encoding(), images);
            chunks(encoder, file, chunk, lines, consumer, images::hasNext, null, (values, offset, text) -> {
                float[] image = images.next();
                if (fingerprints != null) {
                    fingerprints.accept(ImageSample.fingerprint(image));
                }
                if (text != null) {
                    lines.add(text, images.id(), process);
                }
                System.arraycopy(image, 0, values, offset, image.length);
                encoder.standardizer().apply(values, offset);
                return 1.0;
            });
            return images.report();
        }
    }

    /** Reads one row (an event, an image): its features into {@code values} from {@code offset}, its line's start into {@code text} (if not null); returns its weight. */
    private interface RowReader {
        double read(float[] values, int offset, ScoreLines text);
    }

    /**
     * Hands {@code consumer} the rows {@code next} reads while {@code more} says there are, in
     * chunks of up to {@code chunk}; {@code position} gives the place in the file of the row just read
     * (null: every row of the file is read, the n-th row at n).
     */
    private static void chunks(FittedEncoder encoder, Path file, int chunk, ScoreLines.Writer lines,
                               java.util.function.Consumer<EncodedChunk> consumer, java.util.function.BooleanSupplier more,
                               java.util.function.LongSupplier position, RowReader next) {
        int size = encoder.size();
        long read = 0;
        while (more.getAsBoolean()) {
            ScoreLines text = lines == null ? null : new ScoreLines(chunk);
            double[] weights = new double[chunk];
            long[] positions = new long[chunk];
            float[] values = new float[chunk * size];
            int n = 0;
            while (n < chunk && more.getAsBoolean()) {
                weights[n] = next.read(values, n * size, text);
                read++;
                positions[n] = position != null ? position.getAsLong() : read;
                n++;
            }
            if (n < chunk) {
                weights = java.util.Arrays.copyOf(weights, n);
                positions = java.util.Arrays.copyOf(positions, n);
                values = java.util.Arrays.copyOf(values, n * size);
            }
            consumer.accept(new EncodedChunk(text, weights, new FeatureBatch(values, n, encoder.encoding().shape()), file, positions));
        }
    }

    /** Scores events held in memory (distorted copies, slices of a sample), {@value #CHUNK} at a time. */
    public static float[] scoreEvents(TrainedModel model, List<Event> events) {
        float[] scores = new float[events.size()];
        for (int from = 0; from < events.size(); from += CHUNK) {
            int to = Math.min(events.size(), from + CHUNK);
            float[] part = model.detector().score(model.encoder().encode(events.subList(from, to)));
            System.arraycopy(part, 0, scores, from, part.length);
        }
        return scores;
    }

    /**
     * {@code weights}, checked for a weighted measurement of {@code sample} (a file, or files, as the
     * caller names them): their total must be positive. A negative weight (an NLO generator's) counts
     * against its sample; where such weights outweigh the rest there is no efficiency to measure.
     */
    public static double[] positiveTotal(String sample, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        requirePositiveTotal(sample, weights.length, total);
        return weights;
    }

    /** Refuses a weighted measurement of {@code sample} whose {@code events} (at least one) have weights summing to {@code total} of 0 or less. */
    public static void requirePositiveTotal(String sample, long events, double total) {
        if (events > 0 && !(total > 0)) {
            throw new InputException(String.format(java.util.Locale.ROOT, "%s: the weights of its %,d events sum to %.6g; a weighted"
                    + " measurement needs a positive total (negative weights count against it): leave out --weighted, or give more events",
                    sample, events, total));
        }
    }

    /**
     * Scores and weights of every event of a file scored, what reading it gave, how many of its
     * events are among the model's training events ({@link EventFingerprints.Overlap}), how many
     * lie outside the model's channel, and how their weights spread within their processes.
     */
    public record ScoredSample(float[] scores, double[] weights, EventFiles.FileReport report, EventFingerprints.Overlap overlap,
                               long outsideChannel, Channel channel, Selection selection, ProcessWeights processWeights) {
        /**
         * A line saying that the file's weights differ within a process and that each event counts
         * once, for a measurement that counts them so; empty where they do not ({@link ProcessWeights#countingNote}).
         */
        public String describeCountedOnce() {
            return processWeights.countingNote(report.file().toString()).map(n -> "note: " + n + System.lineSeparator()).orElse("");
        }

        /**
         * What reading the file found, for a measurement: the lines skipped, the events outside the
         * model's channel, and, where it counts every event once ({@code countsWeights} false), weights
         * that differ within a process.
         */
        public String describeReading(boolean countsWeights) {
            return EventFiles.describeSkipped(List.of(report)) + describeOutsideChannel() + (countsWeights ? "" : describeCountedOnce());
        }

        /**
         * The weights, for a weighted measurement: finite, as the reader reads them, and refused
         * (naming the file) where they do not sum to a positive total ({@link #positiveTotal}).
         */
        public double[] measurementWeights() {
            return positiveTotal(report.file().toString(), weights);
        }

        /** A line saying how many events lie outside the model's channel and what became of them; empty where none do. */
        public String describeOutsideChannel() {
            long read = selection == Selection.IN_CHANNEL ? outsideChannel + scores.length : scores.length;
            return Pipeline.describeOutsideChannel(report.file(), outsideChannel, read, channel, selection);
        }
    }

    /**
     * Streams a file through the model, keeping only scores and weights (8 + 4 bytes per event),
     * and counts its events that the model was trained on, from the sample of their fingerprints
     * in {@code trainingEvents}. The events outside the model's channel are counted, and scored or
     * not as {@code selection} says.
     */
    public static ScoredSample scoreFile(TrainedModel model, EventFingerprints trainingEvents, Path file, ParseMode mode,
                                         Selection selection) {
        return scoreFile(model, trainingEvents, file, mode, selection, fingerprint -> { }, Progress.NONE);
    }

    /**
     * A line saying that {@code outside} of the {@code read} events of {@code file} lie outside
     * the model's {@code channel}, and what became of them; empty where none do.
     */
    public static String describeOutsideChannel(Path file, long outside, long read, Channel channel, Selection selection) {
        return outside == 0 ? "" : String.format(java.util.Locale.ROOT, "%s: %d of %d events lie outside %s, the model's channel: %s%n",
                file, outside, read, channel.cliName(), selection == Selection.IN_CHANNEL ? "not judged"
                        : "scored all the same, where the model learned nothing");
    }

    /**
     * Which events of a file are scored: those in the model's channel (a model is judged in the
     * selection it learned), or every event (a trigger sees every event that reaches it).
     */
    public enum Selection {
        IN_CHANNEL, EVERY_EVENT
    }

    /**
     * {@link #scoreFile(TrainedModel, EventFingerprints, Path, ParseMode, Selection)}, handing every
     * scored event's fingerprint to {@code fingerprints} as well (to find the events two samples
     * share) and telling {@code progress} how far it has got.
     */
    public static ScoredSample scoreFile(TrainedModel model, EventFingerprints trainingEvents, Path file, ParseMode mode,
                                         Selection selection, java.util.function.LongConsumer fingerprints, Progress progress) {
        ScoreCollector collector = new ScoreCollector(model.detector(), n -> progress.scored(file, n));
        EventFingerprints.Counter overlap = trainingEvents.counter();
        java.util.function.LongConsumer counted = overlap::count;
        Channel channel = Channel.byName(model.manifest().channel());
        FileRead read;
        try {
            read = readChunks(model.encoder(), file, mode, null, channel, selection == Selection.EVERY_EVENT,
                    counted.andThen(fingerprints), collector);
        } finally {
            progress.finished(file);
        }
        return collector.sample(read.report(), overlap.overlap(), read.outside(), channel, selection, read.weights());
    }

    /** Scores chunk after chunk, keeping scores and weights in arrays that grow as needed. */
    private static final class ScoreCollector implements java.util.function.Consumer<EncodedChunk> {
        private final Detector detector;
        private final java.util.function.LongConsumer scored;
        private float[] scores = new float[CHUNK];
        private double[] weights = new double[CHUNK];
        private int n;

        /** {@code scored} hears the number of events scored after each chunk. */
        ScoreCollector(Detector detector, java.util.function.LongConsumer scored) {
            this.detector = detector;
            this.scored = scored;
        }

        @Override
        public void accept(EncodedChunk chunk) {
            float[] part = detector.score(chunk.features());
            requireFinite(part, chunk, detector.name());
            if (n + part.length > scores.length) {
                scores = java.util.Arrays.copyOf(scores, Math.max(2 * scores.length, n + part.length));
                weights = java.util.Arrays.copyOf(weights, scores.length);
            }
            System.arraycopy(part, 0, scores, n, part.length);
            System.arraycopy(chunk.weights(), 0, weights, n, part.length);
            n += part.length;
            scored.accept(n);
        }

        ScoredSample sample(EventFiles.FileReport report, EventFingerprints.Overlap overlap, long outsideChannel, Channel channel,
                            Selection selection, ProcessWeights processWeights) {
            return new ScoredSample(java.util.Arrays.copyOf(scores, n), java.util.Arrays.copyOf(weights, n), report, overlap,
                    outsideChannel, channel, selection, processWeights);
        }
    }
}
