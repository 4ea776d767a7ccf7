package org.darkscope.bundle;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.darkscope.InputException;
import org.darkscope.detect.Detector;
import org.darkscope.detect.Detectors;
import org.darkscope.detect.Hyperparameters;
import org.darkscope.detect.TrainingHistory;
import org.darkscope.feature.FittedEncoder;
import org.darkscope.io.FileDigests;
import org.darkscope.select.Channel;

/**
 * A trained model on disk: one directory with {@code manifest.json}, the detector's fitted
 * state (network parameters, trees) and a sample of the training events' fingerprints
 * ({@link EventFingerprints}), every file with its SHA-256 in the manifest, and the manifest's
 * own SHA-256 in {@code manifest.sha256} (the format of {@code sha256sum}, so that
 * {@code sha256sum -c manifest.sha256} checks it too). Written to a temporary directory and moved
 * into place complete; loading checks the seal, the format version and every checksum and fails
 * with {@link InputException} (exit code 3) on a corrupt or foreign bundle. The checksums find
 * corruption and edits of one file; they are not a signature: whoever rewrites a bundle can
 * rewrite its checksums too (sign bundles you exchange with your own tools).
 */
public final class ModelBundle {
    /** The bundle layout this darkscope writes and reads: 2 added the seal and the training events' fingerprints. */
    public static final int FORMAT_VERSION = 2;
    public static final String MANIFEST = "manifest.json";
    /** The manifest's seal: its SHA-256 and name, as {@code sha256sum} writes them. */
    public static final String SEAL = "manifest.sha256";

    /** Writes manifests (read by {@link ManifestReader}); a holder, so that loading a model does not create it. */
    private static final class ManifestWriter {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private ModelBundle() {
    }

    /** Writes {@code detector} with its provenance to {@code directory}; returns the manifest written. */
    public static Manifest write(Path directory, Detector detector, Provenance provenance) {
        Path target = directory.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path temporary = temporaryDirectory(target);
            try {
                Manifest manifest = writeInto(temporary, detector, provenance);
                replace(temporary, target);
                return manifest;
            } finally {
                deleteRecursively(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model bundle " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * A new directory beside {@code target} to write the bundle into, {@code .NAME.PID.N.part},
     * made with the umask's permissions, as the bundle's files are (a directory of
     * {@code Files.createTempDirectory} is readable by its owner alone, and so was every bundle);
     * those of processes no longer alive, left by a training that was killed, are removed first.
     */
    private static Path temporaryDirectory(Path target) throws IOException {
        String prefix = "." + target.getFileName() + ".";
        try (Stream<Path> siblings = Files.list(target.getParent())) {
            for (Path stale : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                String[] rest = stale.getFileName().toString().substring(prefix.length()).split("\\.");
                if (rest.length == 3 && rest[2].equals("part") && rest[0].matches("[0-9]{1,18}")
                        && ProcessHandle.of(Long.parseLong(rest[0])).isEmpty()) {
                    deleteRecursively(stale);
                }
            }
        }
        for (int n = 0; ; n++) {
            try {
                return Files.createDirectory(target.resolveSibling(prefix + ProcessHandle.current().pid() + "." + n + ".part"));
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // another training of this process writes beside it: the next number
            }
        }
    }

    /** Writes the bundle's files into an existing, empty directory. */
    static Manifest writeInto(Path directory, Detector detector, Provenance provenance) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        List<Path> written = new ArrayList<>(detector.save(directory));
        Path fingerprints = directory.resolve(EventFingerprints.FILE);
        provenance.trainingEvents().write(fingerprints);
        written.add(fingerprints);
        for (Path file : written) {
            files.put(directory.relativize(file).toString().replace('\\', '/'), sha256(file));
        }
        Manifest manifest = new Manifest(FORMAT_VERSION, provenance.darkscopeVersion(), provenance.created(),
                detector.name(), detector.hyperparameters().asMap(), detector.parameterCount(), provenance.encoder(),
                provenance.channel(), provenance.trainingFiles(), provenance.trainedOnEvents(), provenance.validationEvents(),
                provenance.training(), provenance.libraryVersions(), history(detector.history()), files);
        writeManifest(directory.resolve(MANIFEST), manifest);
        Files.writeString(directory.resolve(SEAL), sha256(directory.resolve(MANIFEST)) + "  " + MANIFEST + "\n");
        return manifest;
    }

    /** The sample of the training events' fingerprints of a verified bundle. */
    public static EventFingerprints trainingEvents(Path directory) {
        try {
            return EventFingerprints.read(directory.resolve(EventFingerprints.FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + directory.resolve(EventFingerprints.FILE) + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code manifest} as JSON to {@code file}. */
    static void writeManifest(Path file, Manifest manifest) throws IOException {
        ManifestWriter.MAPPER.writeValue(file.toFile(), manifest);
    }

    /** Reads and verifies a bundle, and rebuilds its detector and encoder. */
    public static TrainedModel load(Path directory) {
        return load(directory, readManifest(directory));
    }

    /**
     * Verifies and loads the bundle whose manifest {@link #readManifest} has given: read once,
     * the encoder that reads events ahead of the loading and the model loaded are from the same
     * manifest.
     */
    public static TrainedModel load(Path directory, Manifest manifest) {
        verify(directory, manifest);
        FittedEncoder encoder = encoder(directory, manifest);
        Detector detector;
        try {
            detector = Detectors.create(manifest.detector(), Hyperparameters.of(manifest.hyperparameters()));
        } catch (IllegalArgumentException e) {
            throw new InputException(directory + ": " + e.getMessage(), e);
        }
        try {
            detector.load(directory, encoder.encoding().shape(), history(manifest.history()));
        } catch (IOException e) {
            detector.close();
            throw new InputException(directory + ": cannot read the detector's state: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            detector.close();
            throw e instanceof InputException ? e : new InputException(directory + ": " + e.getMessage(), e);
        }
        return new TrainedModel(manifest, encoder, detector);
    }

    /**
     * The fitted encoder of the bundle in {@code directory}, from its manifest alone (quick: the
     * detector is not loaded), so that reading and encoding events can start while the network loads.
     */
    public static FittedEncoder encoder(Path directory, Manifest manifest) {
        try {
            return FittedEncoder.fromState(manifest.encoder());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InputException(directory + ": bundle encoder is invalid: " + e.getMessage(), e);
        }
    }

    /** The manifest of a bundle, checked for format version (not for checksums). */
    public static Manifest readManifest(Path directory) {
        Path file = directory.resolve(MANIFEST);
        if (!Files.isDirectory(directory)) {
            throw new InputException(directory + ": no such model bundle directory");
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException(directory + ": not a darkscope model bundle (no " + MANIFEST + ")");
        }
        Manifest manifest;
        try {
            manifest = ManifestReader.read(file);
        } catch (JacksonException e) {
            throw new InputException(file + ": manifest is not valid JSON or is truncated: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (manifest.formatVersion() != FORMAT_VERSION) {
            throw new InputException(file + ": bundle format version " + manifest.formatVersion()
                    + " is not supported (this darkscope reads version " + FORMAT_VERSION
                    + (manifest.formatVersion() < FORMAT_VERSION ? "; version 2 added the manifest's seal and the training events'"
                    + " fingerprints: train the model again" : "") + ")");
        }
        requireKey(file, "detector", manifest.detector());
        requireKey(file, "hyperparameters", manifest.hyperparameters());
        requireKey(file, "encoder", manifest.encoder());
        requireKey(file, "channel", manifest.channel());
        requireKey(file, "files", manifest.files());
        requireKey(file, "training_files", manifest.trainingFiles());
        requireKey(file, "training", manifest.training());
        requireKey(file, "history", manifest.history());
        try {
            Channel.byName(manifest.channel());
        } catch (IllegalArgumentException e) {
            throw new InputException(file + ": 'channel': " + e.getMessage(), e);
        }
        return manifest;
    }

    private static void requireKey(Path file, String key, Object value) {
        if (value == null) {
            throw new InputException(file + ": the manifest has no '" + key + "' (or it is null): not a bundle this darkscope wrote");
        }
    }

    /**
     * Checks that the bundle holds exactly the files its manifest lists, each with its SHA-256,
     * none a symbolic link or outside the directory: a file added, removed from the list, linked
     * in from elsewhere (even another bundle) or changed is refused.
     */
    private static void verify(Path directory, Manifest manifest) {
        Path root = directory.toAbsolutePath().normalize();
        verifySeal(directory);
        if (!manifest.files().containsKey(EventFingerprints.FILE)) {
            throw new InputException(directory + ": the manifest does not list " + EventFingerprints.FILE + " with its checksum");
        }
        for (Map.Entry<String, String> entry : manifest.files().entrySet()) {
            Path file = root.resolve(entry.getKey()).normalize();
            if (!file.startsWith(root)) {
                throw new InputException(directory + ": bundle file " + entry.getKey() + " lies outside the bundle");
            }
            if (Files.isSymbolicLink(file)) {
                throw new InputException(directory + ": bundle file " + entry.getKey() + " is a symbolic link; a bundle holds its own files");
            }
            if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new InputException(directory + ": bundle file " + entry.getKey() + " is missing");
            }
            String actual = sha256(file);
            if (!actual.equals(entry.getValue())) {
                throw new InputException(directory + ": checksum mismatch for " + entry.getKey()
                        + ": the bundle is corrupt (expected SHA-256 " + entry.getValue() + ", found " + actual + ")");
            }
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String name = root.relativize(p).toString().replace('\\', '/');
                if (Files.isSymbolicLink(p)) {
                    throw new InputException(directory + ": " + name + " is a symbolic link; a bundle holds its own files");
                }
                if (Files.isRegularFile(p) && !name.equals(MANIFEST) && !name.equals(SEAL) && !manifest.files().containsKey(name)) {
                    throw new InputException(directory + ": " + name + " is not listed in the manifest with its checksum");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Checks the manifest against its seal: any change to the manifest's bytes is refused. */
    private static void verifySeal(Path directory) {
        Path seal = directory.resolve(SEAL);
        if (Files.isSymbolicLink(seal) || !Files.isRegularFile(seal, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new InputException(directory + ": " + SEAL + " (the manifest's seal) is missing or not a plain file");
        }
        String expected;
        try {
            expected = Files.size(seal) > 200 ? "" : Files.readString(seal, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + seal + ": " + e.getMessage(), e);
        }
        String actual = sha256(directory.resolve(MANIFEST)) + "  " + MANIFEST + "\n";
        if (!actual.equals(expected)) {
            throw new InputException(directory + ": " + MANIFEST + " does not match its seal " + SEAL
                    + ": the manifest was changed or is corrupt (its SHA-256 is " + actual.substring(0, 64) + ")");
        }
    }

    /** SHA-256 of a file, hex-encoded, read now (a bundle's files are checked afresh at every load). */
    public static String sha256(Path file) {
        return FileDigests.compute(file);
    }

    static Manifest.History history(TrainingHistory history) {
        List<Manifest.Epoch> epochs = new ArrayList<>();
        for (TrainingHistory.Epoch e : history.epochs()) {
            epochs.add(new Manifest.Epoch(e.epoch(), e.loss(), e.validationLoss(), e.learningRate(), e.eventsPerSecond()));
        }
        return new Manifest.History(epochs, history.bestEpoch(), history.recoveries(), history.stopReason());
    }

    static TrainingHistory history(Manifest.History history) {
        if (history == null) {
            return new TrainingHistory();
        }
        List<TrainingHistory.Epoch> epochs = new ArrayList<>();
        for (Manifest.Epoch e : history.epochs()) {
            epochs.add(new TrainingHistory.Epoch(e.epoch(), e.loss(), e.validationLoss(), e.learningRate(), e.eventsPerSecond()));
        }
        return new TrainingHistory(epochs, history.recoveries(), history.bestEpoch(), history.stopReason());
    }

    /**
     * Moves the finished bundle {@code source} to {@code target}. An existing bundle is first
     * renamed aside ({@code .NAME.replaced-PID} beside it), the new one renamed in, and only then
     * the old one deleted: interrupted at any point, one of the two is complete on disk. A
     * directory that is not a darkscope bundle is never replaced.
     */
    static void replace(Path source, Path target) throws IOException {
        if (!Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        if (!isBundle(target) && !(Files.isDirectory(target) && isEmpty(target))) {
            throw new IOException(target + " exists and is not a darkscope model bundle; not overwriting it");
        }
        Path aside = target.resolveSibling("." + target.getFileName() + ".replaced-" + ProcessHandle.current().pid());
        Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE); // the old bundle back in place
            throw e;
        }
        deleteRecursively(aside);
    }

    /** Whether {@code directory} is a darkscope model bundle: a directory whose manifest reads as one. */
    public static boolean isBundle(Path directory) {
        if (!Files.isDirectory(directory, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            readManifest(directory);
            return true;
        } catch (InputException | UncheckedIOException e) {
            return false;
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** Deletes {@code path} and, where it is a directory, everything in it; nothing where it does not exist. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
