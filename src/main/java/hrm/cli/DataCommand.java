package hrm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hrm data ...}: dataset builders writing the reference's on-disk layout. */
@Command(name = "data", mixinStandardHelpOptions = true,
        header = "Build puzzle datasets (Sudoku, mazes, ARC) in the authors' layout",
        description = "Build puzzle datasets in the authors' layout (DATASET/identifiers.json, {train,test}/dataset.json and .npy arrays).",
        subcommands = {
                ArcDataCommand.class,
                SudokuDataCommand.class, Sudoku6DataCommand.class, SudokuBenchCommand.class,
                MazeDataCommand.class,
        })
public final class DataCommand implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
