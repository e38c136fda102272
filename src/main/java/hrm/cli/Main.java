package hrm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code hrm} command line. */
@Command(name = "hrm", mixinStandardHelpOptions = true, version = "hrm-java 0.1.0",
        description = "The Hierarchical Reasoning Model in pure Java.",
        subcommands = {BenchCommand.class, DataCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
