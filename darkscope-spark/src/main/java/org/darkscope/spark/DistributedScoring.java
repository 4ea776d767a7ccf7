package org.darkscope.spark;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.darkscope.Pipeline;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.InputException;
import org.darkscope.event.Event;
import org.darkscope.io.BadLine;
import org.darkscope.io.EventReader;
import org.darkscope.io.ParseMode;

/**
 * Scores Dark Machines files on a cluster: every file is one task that streams it through the
 * same reader as the command line (so strict mode fails the job naming file and line, and lenient
 * mode counts skipped lines in an accumulator), in the same chunks, so scores are identical to
 * {@code darkscope score}'s.
 */
public final class DistributedScoring {
    /** Skipped lines, counted on the executors, reported on the driver. */
    public record BadLineCounters(LongAccumulator count, CollectionAccumulator<String> firstMessages)
            implements java.io.Serializable {
    }

    private DistributedScoring() {
    }

    /**
     * Ships the bundle to the executors and returns the name to load it by. A bundle on shared
     * storage (hdfs://, s3a://, ...) is shipped as the directory it is; a local one as a zip archive
     * that Spark unpacks on every executor (Spark ships a local directory in local mode only: on a
     * cluster it refuses it).
     *
     * @param model the bundle directory, local or on shared storage
     */
    public static String shipModel(JavaSparkContext sc, String model) {
        URI uri = URI.create(model.replace('\\', '/'));
        if (uri.getScheme() != null && !uri.getScheme().equals("file")) {
            sc.sc().addFile(model, true);
            return Path.of(uri.getPath()).getFileName().toString();
        }
        Path local = uri.getScheme() == null ? Path.of(model) : Path.of(uri);
        Path archive = BundleArchive.zip(local);
        sc.sc().addArchive(archive.toString());
        return archive.getFileName().toString();
    }

    public static BadLineCounters counters(JavaSparkContext sc) {
        return new BadLineCounters(sc.sc().longAccumulator("bad lines"), sc.sc().collectionAccumulator("bad line messages"));
    }

    /**
     * Every event of {@code inputs} scored: files and globs as given, directories as their
     * {@code *.csv} and {@code *.gz} files (so a data card or Spark's own marker files beside the
     * data are not read as events).
     */
    public static JavaRDD<ScoredEvent> score(JavaSparkContext sc, List<String> inputs, String modelName, ParseMode mode,
                                             BadLineCounters counters) {
        return sc.binaryFiles(patterns(sc, inputs)).flatMap(file -> new FileScorer(file._1(), file._2(), modelName, mode, counters));
    }

    /** The inputs as Spark reads them: files and globs as given, directories as their {@code *.csv} and {@code *.gz} files. */
    static String patterns(JavaSparkContext sc, List<String> inputs) {
        List<String> patterns = new ArrayList<>();
        for (String input : inputs) {
            patterns.add(isDirectory(sc, input) ? input.replaceAll("/+$", "") + "/*.{csv,gz}" : input);
        }
        return String.join(",", patterns);
    }

    private static boolean isDirectory(JavaSparkContext sc, String input) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(input);
        try {
            return path.getFileSystem(sc.hadoopConfiguration()).getFileStatus(path).isDirectory();
        } catch (java.io.FileNotFoundException e) {
            return false; // a glob, or missing: Spark reports it
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot reach " + input + ": " + e.getMessage(), e);
        }
    }

    /** Streams one file in chunks of {@link Pipeline#CHUNK} events, scoring each chunk as it is needed. */
    private static final class FileScorer implements Iterator<ScoredEvent> {
        private final String file;
        private final EventReader reader;
        private final TrainedModel model;
        private final BadLineCounters counters;
        private List<Event> chunk = List.of();
        private float[] scores;
        private int position;
        private long index;
        private boolean done;

        FileScorer(String file, PortableDataStream stream, String modelName, ParseMode mode, BadLineCounters counters) {
            this.file = file;
            this.model = ModelCache.get(modelName);
            InputStream in = stream.open();
            this.reader = EventReader.open(in, Path.of(URI.create(file).getPath()), mode);
            this.counters = counters;
        }

        @Override
        public boolean hasNext() {
            if (position < chunk.size()) {
                return true;
            }
            if (done) {
                return false;
            }
            List<Event> next = new ArrayList<>(Pipeline.CHUNK);
            while (next.size() < Pipeline.CHUNK && reader.hasNext()) {
                next.add(reader.next());
            }
            if (next.isEmpty()) {
                finish();
                return false;
            }
            chunk = next;
            scores = model.score(chunk);
            for (int i = 0; i < scores.length; i++) {
                if (!Float.isFinite(scores[i])) { // as on one machine: no detector writes a score that is not finite
                    throw new InputException(file + ": event " + (index + i + 1) + " of the file: " + model.detector().name()
                            + " gave it the score " + scores[i] + "; its values lie outside anything the model can score "
                            + "(no score was written)");
                }
            }
            position = 0;
            return true;
        }

        private void finish() {
            done = true;
            counters.count().add(reader.badLineCount());
            for (BadLine bad : reader.badLines()) {
                counters.firstMessages().add(file + ":" + bad.line() + ": " + bad.problem());
            }
            reader.close();
        }

        @Override
        public ScoredEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Event e = chunk.get(position);
            float score = scores[position++];
            return new ScoredEvent(file, index++, e.eventId(), e.processId(), e.weight(), score);
        }
    }
}
