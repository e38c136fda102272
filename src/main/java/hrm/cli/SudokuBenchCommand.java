package hrm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.data.sudoku.SudokuBatchSolver;
import hrm.data.sudoku.SudokuPuzzleList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** Solves and rates every puzzle of a list and reports the time, the rate and peak memory. */
@Command(name = "sudoku-bench", mixinStandardHelpOptions = true,
        description = "Solve and rate every puzzle of a puzzle list (counting solutions up to --max-solutions); prints one JSON line.")
public final class SudokuBenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "puzzle list: one 81-character puzzle per line, '#' comments")
    Path file;
    @Option(names = "--threads", description = "solver threads (default: all cores)")
    Integer threads;
    @Option(names = "--max-solutions", defaultValue = "2", description = "count solutions up to this; 1 only solves, without proving uniqueness (default: ${DEFAULT-VALUE})")
    int maxSolutions;
    @Option(names = "--repeat", defaultValue = "1", description = "solve the whole list this many times; the fastest pass is reported (default: ${DEFAULT-VALUE})")
    int repeat;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return bench(); // a bad puzzle file: Main reports it in one line (ErrorReport)
    }

    private int bench() throws Exception {
        int t = hrm.tensor.cpu.ThreadCount.orDefault("--threads", threads);
        long t0 = System.nanoTime();
        SudokuPuzzleList list = SudokuPuzzleList.read(file);
        double readSec = (System.nanoTime() - t0) * 1e-9;
        double best = Double.MAX_VALUE;
        SudokuBatchSolver.Results r = null;
        for (int i = 0; i < Math.max(1, repeat); i++) {
            long s = System.nanoTime();
            r = SudokuBatchSolver.solveAll(list.puzzles(), t, maxSolutions);
            best = Math.min(best, (System.nanoTime() - s) * 1e-9);
        }
        int n = list.size(), unique = 0, none = 0, several = 0;
        long backtracks = 0, maxBacktracks = 0, guesses = 0;
        for (int i = 0; i < n; i++) {
            switch (r.solutionCounts()[i]) {
                case 0 -> none++;
                case 1 -> unique++;
                default -> several++;
            }
            backtracks += r.backtracks()[i];
            maxBacktracks = Math.max(maxBacktracks, r.backtracks()[i]);
            guesses += r.guesses()[i];
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", file.toString());
        out.put("puzzles", n);
        out.put("threads", t);
        out.put("max_solutions", maxSolutions);
        out.put("read_sec", round(readSec));
        out.put("solve_sec", round(best));
        out.put("puzzles_per_sec", Math.round(n / best));
        out.put("us_per_puzzle_per_thread", round(best * 1e6 * t / n));
        if (maxSolutions == 1) {
            out.put("solved", unique);
        } else {
            out.put("unique", unique);
            out.put("several_solutions", several);
        }
        out.put("no_solution", none);
        out.put("mean_backtracks", round((double) backtracks / n));
        out.put("max_backtracks", maxBacktracks);
        out.put("mean_guesses", round((double) guesses / n));
        out.put("peak_rss_mb", PeakMemory.rssMegabytes());
        spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(out));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
