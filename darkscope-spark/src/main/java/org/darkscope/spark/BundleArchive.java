package org.darkscope.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.darkscope.bundle.ModelBundle;

/**
 * A model bundle as one zip archive, for Spark to ship to the executors of a cluster and unpack
 * there ({@code SparkContext.addArchive}): its files at the archive's root, so that the unpacked
 * directory is the bundle. The archive and its temporary folder are deleted when the JVM exits.
 */
final class BundleArchive {
    private BundleArchive() {
    }

    /** The zip of the bundle in {@code directory}, named after it ({@code NAME.zip}), in a new temporary directory. */
    static Path zip(Path directory) {
        ModelBundle.readManifest(directory); // a bundle, or the message saying why not, before Spark ships anything
        try {
            Path folder = Files.createTempDirectory("darkscope-bundle");
            // deleted at exit in the reverse order of these calls: the archive, then its emptied folder
            folder.toFile().deleteOnExit();
            Path archive = folder.resolve(directory.toAbsolutePath().normalize().getFileName() + ".zip");
            List<Path> files;
            try (Stream<Path> walk = Files.walk(directory)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            try (OutputStream out = Files.newOutputStream(archive); ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Path file : files) {
                    zip.putNextEntry(new ZipEntry(directory.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, zip);
                    zip.closeEntry();
                }
            }
            archive.toFile().deleteOnExit();
            return archive;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack the model bundle " + directory + " for the executors: " + e.getMessage(), e);
        }
    }
}
