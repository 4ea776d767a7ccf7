package org.darkscope.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** A failed job said in one line with its first cause, not Spark's page of causes and stack traces. */
class SparkMainTest {
    /** The message `spark score --out` on a full 64 KB tmpfs gave (its stack traces shortened). */
    private static final String FULL_DISK = """
            Job aborted due to stage failure: Task 0 in stage 2.0 failed 1 times, most recent failure: Lost task 0.0 in stage 2.0 (TID 2) \
            (localhost executor driver): org.apache.spark.SparkException: [TASK_WRITE_FAILED] Task failed while writing rows to file:/mnt/small/sc/csv.
            \tat org.apache.spark.sql.errors.QueryExecutionErrors$.taskFailedWhileWritingRowsError(QueryExecutionErrors.scala:789)
            Caused by: com.univocity.parsers.common.TextWritingException: Error writing row.
            Internal state when error was thrown: recordCount=1478, recordData=[file:/tmp/x/ho8.csv, 4902, ttbar, 1.12398E-4, 202.678]
            Caused by: java.lang.IllegalStateException: Error closing the output.
            Caused by: org.apache.hadoop.fs.FSError: java.io.IOException: No space left on device
            Caused by: java.io.IOException: No space left on device
            \t... 25 more

            Driver stacktrace:
            \tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2856)""";

    @Test
    void aFailedJobIsItsFirstLineAndItsDeepestCause() {
        assertEquals("Job aborted due to stage failure: Task 0 in stage 2.0 failed 1 times, most recent failure: Lost task 0.0 in stage 2.0 "
                + "(TID 2) (localhost executor driver): org.apache.spark.SparkException: [TASK_WRITE_FAILED] Task failed while writing rows "
                + "to file:/mnt/small/sc/csv. (caused by java.io.IOException: No space left on device)",
                SparkMain.failure(new SparkException(FULL_DISK)));
    }

    @Test
    void aFailureThatSaysItAllIsLeftAsItIs() {
        IOException io = new IOException("No space left on device");
        assertEquals("cannot write /x: No space left on device", SparkMain.failure(new UncheckedIOException("cannot write /x: " + io.getMessage(), io)));
        assertEquals("job failed (caused by java.io.IOException: No space left on device)",
                SparkMain.failure(new IllegalStateException("job failed", io)));
    }
}
