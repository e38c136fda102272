package hrm.cli;

import hrm.io.DidYouMean;
import hrm.io.ErrorText;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * How every command reports what stops it: one line, {@code hrm <command>: <what is wrong>}, and an
 * exit code; with HRM_DEBUG set, the stack trace first. One place, so no command's error path can
 * forget the trace (or the cause of an exception without a message).
 */
final class ErrorReport {
    private ErrorReport() {}

    /** Reports {@code e} as the failure of {@code cmd}'s command and returns {@code code}. */
    static int oneLine(CommandLine cmd, Throwable e, int code) {
        PrintWriter err = cmd.getErr();
        if (Main.debug(Main.env(cmd.getCommandSpec()))) e.printStackTrace(err);
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + ErrorText.of(e));
        err.flush();
        return code;
    }

    /**
     * A command line picocli could not parse: the one line and where the usage is, exit 2. picocli's
     * own report is the whole usage (pages for hrm data sudoku) with the error above it, scrolled out
     * of sight; an unknown option or command gets the nearest known ones instead.
     */
    static int parameterError(CommandLine.ParameterException ex) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        if (Main.debug(Main.env(cmd.getCommandSpec()))) ex.printStackTrace(err);
        String name = cmd.getCommandSpec().qualifiedName();
        // picocli checks required options before it reports the arguments it could not place: a
        // misspelt required option shows as missing, which hides the misspelling
        List<String> unmatched = ex instanceof CommandLine.UnmatchedArgumentException u ? u.getUnmatched() : cmd.getUnmatchedArguments();
        String what = unmatched.isEmpty() ? sentence(ErrorText.of(ex)) : unmatched(cmd.getCommandSpec(), unmatched.get(0));
        err.println(name + ": " + what + " (see " + name + " --help)");
        err.flush();
        return 2;
    }

    /** An argument no option, parameter or command took, and the nearest names it may have meant. */
    private static String unmatched(CommandSpec spec, String arg) {
        if (arg.startsWith("-")) {
            String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            return "unknown option '" + option + "'" + DidYouMean.hint(option, spec.optionsMap().keySet(), "");
        }
        if (!spec.subcommands().isEmpty())
            return "unknown command '" + arg + "'" + DidYouMean.hint(arg, spec.subcommands().keySet(), "");
        return "unexpected argument '" + arg + "'";
    }

    /** picocli's "Missing required option ..." as the rest of our line: lower case first. */
    private static String sentence(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
