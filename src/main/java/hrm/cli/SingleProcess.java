package hrm.cli;

import hrm.dist.Mpi;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.util.Map;
import java.util.Set;

/**
 * Every command but {@code train} runs as one process. Under {@code mpirun -np 2}, eval, solve, the
 * data builders and the demo would each do the whole work once per rank and race on the same
 * outputs, and bench would time two processes sharing the cores; so they refuse, before any work.
 * A launcher that started one process is no launcher at all; help and version still print.
 */
final class SingleProcess {
    /** Train is data parallel; the others only print their usage. */
    private static final Set<Class<?>> MAY_RUN_UNDER_A_LAUNCHER = Set.of(TrainCommand.class, Main.class, DataCommand.class, CommandLine.HelpCommand.class);

    private SingleProcess() {}

    /** The one line refusing this command under the launcher that {@code env} names, or null when it may run. */
    static String refusal(ParseResult parsed, Map<String, String> env) {
        ParseResult leaf = parsed;
        boolean help = parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested();
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
            help |= leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested();
        }
        if (help || MAY_RUN_UNDER_A_LAUNCHER.contains(leaf.commandSpec().userObject().getClass())) return null;
        int n = processes(env);
        if (n == 1) return null;
        return leaf.commandSpec().qualifiedName() + ": runs as one process; it is not data parallel (only hrm train is): run it without mpirun ("
                + (n > 1 ? "the launcher started " + n + " processes" : "started by an MPI launcher that does not say how many processes") + ")";
    }

    /**
     * How many processes the MPI launcher started: 1 without one (see {@link Mpi#launched}), 0 when a
     * launcher started this one without saying how many (PMIx alone): that may be many, so it counts as such.
     */
    static int processes(Map<String, String> env) {
        if (!Mpi.launched(env)) return 1;
        for (String k : new String[]{"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS"}) {
            try {
                int n = Integer.parseInt(env.getOrDefault(k, "").strip());
                if (n > 0) return n;
            } catch (NumberFormatException ignored) {
                // not set, or not a number: try the next launcher's variable
            }
        }
        return 0;
    }

    /** Whether this is the first rank (or the rank is unknown): only it prints the refusal, so a user reads it once. */
    static boolean firstRank(Map<String, String> env) {
        for (String k : new String[]{"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"}) {
            String v = env.get(k);
            if (v != null) return v.strip().equals("0");
        }
        return true;
    }
}
