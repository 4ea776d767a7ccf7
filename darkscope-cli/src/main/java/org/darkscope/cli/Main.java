package org.darkscope.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.darkscope.InputException;
import org.darkscope.detect.NeuralDetector;
import org.darkscope.io.StandardOutput;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code darkscope} command. Exit codes: 0 success, 1 failure while running, 2 bad usage,
 * 3 bad input data (unparseable event file in strict mode, corrupt model bundle). An
 * {@link IllegalArgumentException} (unknown detector, channel or setting) counts as bad usage.
 */
@Command(name = "darkscope", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Model-independent searches for new physics in LHC events with unsupervised anomaly detection.",
        footer = {"", "  spark      score, evaluate, search, sample, convert, cluster-test on Spark:",
                "             darkscope spark --help",
                "", "Exit codes: 0 success, 1 failure while running, 2 bad usage, 3 bad input data.",
                "darkscope COMMAND --help describes a command's options."})
public final class Main implements java.util.concurrent.Callable<Integer> {
    /** The subcommands, in the order the usage lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(DemoCommand.class, InspectCommand.class, TrainCommand.class,
            InfoCommand.class, ScoreCommand.class, EvaluateCommand.class, BenchmarkCommand.class, SplitCommand.class,
            MixCommand.class, UnweightCommand.class, SearchCommand.class, CompareCommand.class, TriggerCommand.class, ExportCommand.class,
            SimulateTpcCommand.class, CommandLine.HelpCommand.class);

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_BAD_INPUT = 3;

    private static final String DISABLE_GROOVY_CLOSURES = "picocli.disable.closures";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // darkscope speaks English: its numbers are written the English way under any locale, where
        // LC_ALL=de_DE.UTF-8 gave tables of 0,703 beside lines of the same table with 0.703
        java.util.Locale.setDefault(java.util.Locale.ROOT);
        // picocli looks for Groovy's Closure class at start-up, which is not there: a search that
        // opens every jar on the class path (40-50 ms) before the command can start.
        if (System.getProperty(DISABLE_GROOVY_CLOSURES) == null) {
            System.setProperty(DISABLE_GROOVY_CLOSURES, "true");
        }
        int status = run(args);
        if (Boolean.getBoolean(QuickExit.PROPERTY) && NeuralDetector.engineStarted()) {
            QuickExit.now(status);
        }
        System.exit(status);
    }

    /**
     * Runs the command line on the process's standard output and error and returns its exit code:
     * a failure to write standard output (a full disk) is one, exit 1, where {@code System.out}
     * would have swallowed it; its reader closing it ({@code | head}) is not.
     */
    public static int run(String... args) {
        return onProcessStreams((out, err) -> run(out, err, args));
    }

    /**
     * Runs {@code command} (given its output and error writers, giving its exit code) on the
     * process's standard output and error, as {@link #run(String...)} does: {@code darkscope spark} too.
     */
    public static int onProcessStreams(java.util.function.BiFunction<PrintWriter, PrintWriter, Integer> command) {
        ProcessOutput out = new ProcessOutput();
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            int code = command.apply(out, err);
            out.flush();
            IOException failure = out.output.failure();
            if (failure != null && !StandardOutput.closedByReader(failure)) {
                err.println("darkscope: error: cannot write standard output: " + failure.getMessage());
                return code == EXIT_OK ? EXIT_FAILURE : code;
            }
            return code;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The command line's output when it is the process's standard output, as a command that
     * streams to it and must see a failed write (its reader gone, a full disk) asks with
     * {@code instanceof}: {@link org.darkscope.io.StandardOutput} is then the same output.
     */
    static final class ProcessOutput extends PrintWriter {
        private final StandardOutput.Watched output;

        ProcessOutput() {
            this(new StandardOutput.Watched(StandardOutput.open())); // buffered by the writer's encoder
        }

        private ProcessOutput(StandardOutput.Watched output) {
            super(new java.io.OutputStreamWriter(output), true);
            this.output = output;
        }
    }

    /** Runs with the given output streams. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        for (Class<?> subcommand : subcommandsFor(args)) {
            cli.addSubcommand(subcommand);
        }
        CommandLine train = cli.getSubcommands().get("train");
        if (train != null) {
            SettingsHelp.appendTo(train.getCommandSpec());
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(Main::exitCode);
        UsageErrors.install(cli);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": error: " + message(e));
            if (exitCode(e) == EXIT_FAILURE && System.getenv("DARKSCOPE_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return exitCode(e);
        });
        return cli.execute(args);
    }

    /**
     * The subcommand the arguments name, alone, or all of them (for usage, help and suggestions):
     * picocli takes 0.15 s to model them all, which every run would otherwise pay.
     */
    private static List<Class<?>> subcommandsFor(String[] args) {
        if (args.length > 0 && !args[0].equals("help")) {
            for (Class<?> subcommand : SUBCOMMANDS) {
                if (subcommand.getAnnotation(Command.class).name().equals(args[0])) {
                    return List.of(subcommand);
                }
            }
        }
        return SUBCOMMANDS;
    }

    static int exitCode(Throwable e) {
        if (e instanceof InputException) {
            return EXIT_BAD_INPUT;
        }
        if (e instanceof CommandLine.ParameterException || e instanceof UsageException
                || e instanceof IllegalArgumentException) {
            return EXIT_USAGE;
        }
        return EXIT_FAILURE;
    }

    private static String message(Throwable e) {
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            return e.getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** No command given: the usage, and exit code 2, as for any incomplete command line. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }
}
