package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every option and parameter of every command says in its help what it is for: a bare "--json=OUT" tells a user nothing. */
public class OptionHelpTest {
    /** "darkscope search --json" for each option or parameter, of any command or subcommand, that has no description. */
    public static List<String> undescribed(CommandLine command) {
        List<String> missing = new ArrayList<>();
        for (CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
            if (String.join("", option.description()).isBlank()) {
                missing.add(command.getCommandSpec().qualifiedName() + " " + option.longestName());
            }
        }
        for (CommandLine.Model.PositionalParamSpec parameter : command.getCommandSpec().positionalParameters()) {
            if (String.join("", parameter.description()).isBlank()) {
                missing.add(command.getCommandSpec().qualifiedName() + " " + parameter.paramLabel());
            }
        }
        for (CommandLine sub : command.getSubcommands().values()) {
            missing.addAll(undescribed(sub));
        }
        return missing;
    }

    @Test
    void everyOptionOfEveryCommandHasADescription() {
        CommandLine cli = new CommandLine(new Main());
        Main.SUBCOMMANDS.forEach(cli::addSubcommand);
        assertEquals(List.of(), undescribed(cli));
    }
}
