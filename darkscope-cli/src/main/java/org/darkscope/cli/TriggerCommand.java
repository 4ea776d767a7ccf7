package org.darkscope.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code darkscope trigger}: design an anomaly trigger path (the "hotline") from one's own samples. */
@Command(name = "trigger", mixinStandardHelpOptions = true, subcommands = {TriggerCalibrateCommand.class, TriggerRunCommand.class, TriggerQuantizeCommand.class,
                TriggerExportCommand.class},
        description = {"Design an anomaly trigger path: the threshold that keeps a given rate of background, and what it keeps of each signal."})
final class TriggerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** No subcommand: the usage, exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.EXIT_USAGE;
    }
}
