package hrm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code hrm} command line. */
@Command(name = "hrm", mixinStandardHelpOptions = true, version = "hrm-java 0.1.0",
        description = "The Hierarchical Reasoning Model in pure Java.",
        subcommands = {BenchCommand.class, DataCommand.class, TrainCommand.class, EvalCommand.class, SolveCommand.class, DemoCommand.class, AnalyzeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with the error policy every command shares: bad input (a configuration key,
     * a dataset or checkpoint file, an argument) is one line naming what is wrong and exit code 2;
     * anything else is a bug and keeps its stack trace. Set HRM_DEBUG=1 for traces of all errors.
     */
    /** The errors that mean "what you gave is wrong" (exit 2, one line); anything else is a bug. */
    public static boolean isBadInput(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof java.io.UncheckedIOException || e instanceof hrm.train.config.ConfigException
                || e instanceof hrm.data.DatasetException || e instanceof hrm.data.Npy.NpyFormatException
                || e instanceof hrm.checkpoint.CheckpointFormatException || e instanceof hrm.data.arc.ArcFormatException
                || e instanceof hrm.data.sudoku.SudokuInputException;
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (!isBadInput(e) || System.getenv("HRM_DEBUG") != null) throw e;
            cmd.getErr().println("hrm " + cmd.getCommandName() + ": " + e.getMessage());
            return 2;
        });
        return cl;
    }
}
