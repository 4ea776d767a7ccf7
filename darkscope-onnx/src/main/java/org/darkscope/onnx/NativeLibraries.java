package org.darkscope.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
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
    private static boolean loaded;

    private NativeLibraries() {
    }

    /** The environment, made once per process, quiet below errors. */
    static synchronized OrtEnvironment environment() {
        if (!loaded) {
            loaded = true;
            if (System.getProperty(PATH_PROPERTY) == null) {
                loadFromPrivateCopy();
            }
        }
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "darkscope");
    }

    private static void loadFromPrivateCopy() {
        List<Path> written = new ArrayList<>();
        Path directory;
        try {
            directory = Files.createTempDirectory("darkscope-onnxruntime"); // owner-only where the file system has permissions
            for (String library : LIBRARIES) {
                String file = System.mapLibraryName(library).replace("jnilib", "dylib");
                try (InputStream in = OrtEnvironment.class.getResourceAsStream("/ai/onnxruntime/native/" + platform() + "/" + file)) {
                    if (in == null) { // not in the jar for this platform: ONNX Runtime finds it its own way
                        deleteNow(written, directory);
                        return;
                    }
                    Path target = directory.resolve(file);
                    Files.copy(in, target);
                    written.add(target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy ONNX Runtime's native libraries to a temporary directory: " + e.getMessage(), e);
        }
        System.setProperty(PATH_PROPERTY, directory.toString());
        try {
            OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "darkscope"); // loads both
        } finally {
            System.clearProperty(PATH_PROPERTY);
            deleteNow(written, directory);
        }
    }

    /** Deletes the files and then the directory, or marks what cannot go now for exit, the directory first so that it goes last. */
    private static void deleteNow(List<Path> files, Path directory) {
        List<Path> left = new ArrayList<>();
        for (Path file : files) {
            if (!file.toFile().delete()) {
                left.add(file);
            }
        }
        if (!left.isEmpty() || !directory.toFile().delete()) {
            directory.toFile().deleteOnExit();
            left.forEach(file -> file.toFile().deleteOnExit());
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
