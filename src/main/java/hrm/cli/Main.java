package hrm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Map;

/** Entry point of the {@code hrm} command line. */
@Command(name = "hrm", mixinStandardHelpOptions = true, version = "hrm-java 0.1.0",
        description = "The Hierarchical Reasoning Model in pure Java.",
        subcommands = {BenchCommand.class, TuneCommand.class, DataCommand.class, TrainCommand.class, EvalCommand.class, SolveCommand.class, ServeCommand.class, DemoCommand.class, AnalyzeCommand.class, ViewCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** The environment the commands see: the process's, or a test's. */
    private final Map<String, String> env;

    public Main() {
        this(System.getenv());
    }

    Main(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The errors that mean "what you gave is wrong" (exit 2, one line): an argument, a configuration,
     * a dataset, checkpoint or puzzle file, a directory or setting that refuses the request. An I/O
     * error (a file that is not there, a hub that cannot be reached) is about what was given too.
     * Anything else is a bug and keeps its stack trace (exit 1): {@link IllegalStateException} (a
     * broken invariant), {@link NullPointerException} and the like. Code that refuses what the user
     * gave throws {@link IllegalArgumentException} or one of the specific types here.
     */
    public static boolean isBadInput(Throwable e) {
        return e instanceof IllegalArgumentException
                || e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException || e instanceof hrm.train.config.ConfigException
                || e instanceof hrm.data.DatasetException || e instanceof hrm.data.Npy.NpyFormatException
                || e instanceof hrm.checkpoint.CheckpointFormatException || e instanceof hrm.data.arc.ArcFormatException
                || e instanceof hrm.data.sudoku.SudokuInputException;
    }

    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /**
     * The command line with the policies every command shares, in the environment {@code env}:
     * bad input (a configuration key, a dataset or checkpoint file, an argument) is one line naming
     * what is wrong and exit code 2; anything else is a bug and keeps its stack trace, and HRM_DEBUG=1
     * gives traces of all errors. Under an MPI launcher only train runs ({@link SingleProcess}).
     */
    static CommandLine commandLine(Map<String, String> env) {
        CommandLine cl = new CommandLine(new Main(env));
        cl.setExecutionStrategy(parsed -> {
            String refusal = SingleProcess.refusal(parsed, env);
            if (refusal == null) return new CommandLine.RunLast().execute(parsed);
            if (SingleProcess.firstRank(env)) parsed.commandSpec().commandLine().getErr().println(refusal);
            return 2;
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (!isBadInput(e)) throw e; // a bug: picocli prints the trace, exit 1
            return ErrorReport.oneLine(cmd, e, 2);
        });
        cl.setParameterExceptionHandler((e, args) -> ErrorReport.parameterError(e));
        return cl;
    }

    /** Whether HRM_DEBUG asks for stack traces of every error. */
    static boolean debug(Map<String, String> env) {
        return env.get("HRM_DEBUG") != null;
    }

    /** The environment of the command line that runs {@code spec}'s command. */
    static Map<String, String> env(CommandLine.Model.CommandSpec spec) {
        return spec.root().userObject() instanceof Main m ? m.env : System.getenv();
    }
}
