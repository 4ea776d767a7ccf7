package org.darkscope.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ONNX Runtime environment, its native libraries loaded without leaving a directory behind.
 * ONNX Runtime 1.20 copies its two libraries into a new directory under {@code java.io.tmpdir}
 * and marks the files, then the directory, for deletion at exit; the JDK deletes in the reverse
 * order, the directory while it still holds the files, so that every process that used it left
 * an empty {@code onnxruntime-java...} directory behind. Here the libraries are copied into a
 * private temporary directory, loaded from there ({@code onnxruntime.native.path}) and deleted with
 * it once loaded (a loaded library needs its file no longer on Linux and macOS; where it does, they
 * go at exit, files first). A path the user set is used as it is.
 */
final class NativeLibraries {
    private static final String PATH_PROPERTY = "onnxruntime.native.path";
    private static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni");
    private static OrtEnvironment environment;

    private NativeLibraries() {
    }

    /** The environment, made once per process, quiet below errors. */
    static synchronized OrtEnvironment environment() {
        if (environment == null) {
            Path copy = System.getProperty(PATH_PROPERTY) == null ? privateCopy() : null;
            if (copy != null) {
                System.setProperty(PATH_PROPERTY, copy.toString());
            }
            try {
                environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "darkscope"); // loads both
            } finally {
                if (copy != null) {
                    System.clearProperty(PATH_PROPERTY);
                    delete(copy);
                }
            }
        }
        return environment;
    }

    /** A new directory holding the libraries from ONNX Runtime's jar, or null where the jar has none for this platform. */
    private static Path privateCopy() {
        try {
            Path directory = Files.createTempDirectory("darkscope-onnxruntime"); // owner-only where the file system has permissions
            for (String library : LIBRARIES) {
                String file = System.mapLibraryName(library).replace("jnilib", "dylib");
                try (InputStream in = OrtEnvironment.class.getResourceAsStream("/ai/onnxruntime/native/" + platform() + "/" + file)) {
                    if (in == null) { // ONNX Runtime finds it its own way
                        delete(directory);
                        return null;
                    }
                    Files.copy(in, directory.resolve(file));
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy ONNX Runtime's native libraries to a temporary directory: " + e.getMessage(), e);
        }
    }

    /** Deletes the directory's files and then the directory, or marks what cannot go now for exit, the directory first so that it goes last. */
    private static void delete(Path directory) {
        File[] files = directory.toFile().listFiles();
        List<File> left = new ArrayList<>();
        for (File file : files == null ? new File[0] : files) {
            if (!file.delete()) {
                left.add(file);
            }
        }
        if (!left.isEmpty() || !directory.toFile().delete()) {
            directory.toFile().deleteOnExit();
            left.forEach(File::deleteOnExit);
        }
    }

    /** ONNX Runtime's name for this platform's folder of native libraries, as its jar lays them out. */
    private static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String system = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win" : "linux";
        String machine = arch.startsWith("amd64") || arch.startsWith("x86_64") ? "x64"
                : arch.startsWith("aarch64") ? "aarch64" : arch;
        return system + "-" + machine;
    }
}
