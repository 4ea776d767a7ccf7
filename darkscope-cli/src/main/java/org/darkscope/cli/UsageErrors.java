package org.darkscope.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * How a command line that does not parse is answered: what is wrong, each argument the command
 * does not know with the options it may have meant, a file given without the option that names
 * it, and the command's synopsis; exit code 2. Not the whole help: {@code train}'s runs to 270
 * lines with every detector's settings, and the error would scroll out of sight.
 */
public final class UsageErrors implements CommandLine.IParameterExceptionHandler {
    /** The options that name what a command writes, not what it reads. */
    private static final List<String> OUTPUTS = List.of("--out", "--json", "--report", "--accepted");

    /**
     * Answers {@code cli}'s parse errors (and its subcommands', added before) so, and refuses an
     * option it does not know where picocli would take it as the value of the option before it: a
     * mistyped {@code --jsno out.json} after {@code --signal a.csv} was read as a signal file
     * ("--jsno: no such file", exit 3), where it is a usage error naming the option meant.
     */
    public static void install(CommandLine cli) {
        cli.setUnmatchedOptionsAllowedAsOptionParameters(false);
        cli.setParameterExceptionHandler(new UsageErrors());
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": error: " + ex.getMessage());
        List<String> unknown = command.getUnmatchedArguments();
        // an option refused as the value of the option before it comes as an UnmatchedArgumentException naming nothing
        CommandLine.UnmatchedArgumentException unmatched = ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty() ? u
                : !unknown.isEmpty() ? new CommandLine.UnmatchedArgumentException(command, unknown)
                : unknownOptions(command, args);
        if (unmatched != null) {
            if (unmatched != ex && !ex.getMessage().startsWith("Unknown option")) { // a required option missing is reported first; say also what was not understood
                err.println(name + ": error: " + unmatched.getMessage());
            }
            CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, err);
            fileHint(command, unmatched.getUnmatched(), err);
        }
        CommandLine.Help help = command.getHelp();
        err.print(help.synopsisHeading() + help.synopsis(help.synopsisHeadingLength()));
        err.println(name + " --help describes its options.");
        err.flush();
        return Main.EXIT_USAGE;
    }

    /**
     * The arguments that look like options {@code command} does not have ({@code --jsno}, refused as
     * the value of the option before it), for picocli's suggestions; null where there are none.
     */
    private static CommandLine.UnmatchedArgumentException unknownOptions(CommandLine command, String[] args) {
        List<String> unknown = java.util.Arrays.stream(args).filter(a -> a.startsWith("--") && a.length() > 2)
                .filter(a -> command.getCommandSpec().findOption(a.split("=", 2)[0]) == null).toList();
        return unknown.isEmpty() ? null : new CommandLine.UnmatchedArgumentException(command, unknown);
    }

    /**
     * An existing file among the arguments not understood, none of them a mistyped option (whose
     * value it would be): the options this command reads files with.
     */
    private static void fileHint(CommandLine command, List<String> arguments, PrintWriter err) {
        List<String> fileOptions = command.getCommandSpec().options().stream()
                .filter(o -> o.paramLabel().contains("FILE") || o.paramLabel().equals("MODEL"))
                .map(OptionSpec::longestName).filter(o -> !OUTPUTS.contains(o)).toList();
        if (fileOptions.isEmpty() || arguments.stream().anyMatch(a -> a.startsWith("-"))) {
            return;
        }
        for (String argument : arguments) {
            if (isFile(argument)) {
                err.println(argument + " is a file given without an option: " + command.getCommandSpec().qualifiedName()
                        + " reads files with " + String.join(", ", fileOptions) + ".");
                return;
            }
        }
    }

    private static boolean isFile(String argument) {
        try {
            return Files.exists(Path.of(argument));
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
