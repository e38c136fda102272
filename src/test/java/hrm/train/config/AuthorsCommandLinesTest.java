package hrm.train.config;

import hrm.data.DatasetMetadata;
import hrm.model.ModelConfig;
import hrm.model.TrmFamily;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every training command line of the authors' README, with {@code python pretrain.py} or
 * {@code torchrun ... pretrain.py} replaced by {@code ./hrm train}, composes into a valid
 * configuration with the values the authors meant (the datasets themselves are built with
 * ./hrm data; the trainer's behaviour on data is tested elsewhere).
 */
class AuthorsCommandLinesTest {
    static final String[] LINES = {
            "OMP_NUM_THREADS=8 python pretrain.py data_path=data/sudoku-extreme-1k-aug-1000 epochs=20000 eval_interval=2000 global_batch_size=384 lr=7e-5 puzzle_emb_lr=7e-5 weight_decay=1.0 puzzle_emb_weight_decay=1.0",
            "OMP_NUM_THREADS=8 torchrun --nproc-per-node 8 pretrain.py",
            "OMP_NUM_THREADS=8 torchrun --nproc-per-node 8 pretrain.py data_path=data/arc-2-aug-1000",
            "OMP_NUM_THREADS=8 torchrun --nproc-per-node 8 pretrain.py data_path=data/sudoku-extreme-1k-aug-1000 epochs=20000 eval_interval=2000 lr=1e-4 puzzle_emb_lr=1e-4 weight_decay=1.0 puzzle_emb_weight_decay=1.0",
            "OMP_NUM_THREADS=8 torchrun --nproc-per-node 8 pretrain.py data_path=data/maze-30x30-hard-1k epochs=20000 eval_interval=2000 lr=1e-4 puzzle_emb_lr=1e-4 weight_decay=1.0 puzzle_emb_weight_decay=1.0",
            "OMP_NUM_THREADS=8 torchrun --nproc-per-node 8 pretrain.py data_path=data/sudoku-hard-full epochs=100 eval_interval=10 lr_min_ratio=0.1 global_batch_size=2304 lr=3e-4 puzzle_emb_lr=3e-4 weight_decay=0.1 puzzle_emb_weight_decay=0.1 arch.loss.loss_type=softmax_cross_entropy arch.L_cycles=8 arch.halt_max_steps=8 arch.pos_encodings=learned",
    };

    /** The shape of Sudoku-Extreme-1k's metadata: 81 cells, vocabulary 11, one puzzle identifier. */
    static final DatasetMetadata SUDOKU = new DatasetMetadata(0, 0, 0, 11, 81, 1, 1000, 1001.0, List.of("all"));

    /** TinyRecursiveModels' README runs (docs/model.md §1.4), ${run_name} filled in. */
    static final String[] TRM_LINES = {
            "python pretrain.py arch=trm data_paths=\"[data/sudoku-extreme-1k-aug-1000]\" evaluators=\"[]\" epochs=50000 eval_interval=5000 lr=1e-4 puzzle_emb_lr=1e-4 weight_decay=1.0 puzzle_emb_weight_decay=1.0 arch.mlp_t=True arch.pos_encodings=none arch.L_layers=2 arch.H_cycles=3 arch.L_cycles=6 +run_name=pretrain_mlp_t_sudoku ema=True",
            "python pretrain.py arch=trm data_paths=\"[data/sudoku-extreme-1k-aug-1000]\" evaluators=\"[]\" epochs=50000 eval_interval=5000 lr=1e-4 puzzle_emb_lr=1e-4 weight_decay=1.0 puzzle_emb_weight_decay=1.0 arch.L_layers=2 arch.H_cycles=3 arch.L_cycles=6 +run_name=pretrain_att_sudoku ema=True",
            "torchrun --nproc-per-node 4 --rdzv_backend=c10d --rdzv_endpoint=localhost:0 --nnodes=1 pretrain.py arch=trm data_paths=\"[data/maze-30x30-hard-1k]\" evaluators=\"[]\" epochs=50000 eval_interval=5000 lr=1e-4 puzzle_emb_lr=1e-4 weight_decay=1.0 puzzle_emb_weight_decay=1.0 arch.L_layers=2 arch.H_cycles=3 arch.L_cycles=4 +run_name=pretrain_att_maze30x30 ema=True",
            "torchrun --nproc-per-node 4 --rdzv_backend=c10d --rdzv_endpoint=localhost:0 --nnodes=1 pretrain.py arch=trm data_paths=\"[data/arc1concept-aug-1000]\" arch.L_layers=2 arch.H_cycles=3 arch.L_cycles=4 +run_name=pretrain_att_arc1concept_4 ema=True",
            "torchrun --nproc-per-node 4 --rdzv_backend=c10d --rdzv_endpoint=localhost:0 --nnodes=1 pretrain.py arch=trm data_paths=\"[data/arc2concept-aug-1000]\" arch.L_layers=2 arch.H_cycles=3 arch.L_cycles=4 +run_name=pretrain_att_arc2concept_4 ema=True",
    };

    /** The key=value arguments after pretrain.py, with the shell's double quotes taken off. */
    static List<String> overrides(String line) {
        List<String> words = Arrays.asList(line.trim().split("\\s+"));
        return words.subList(words.indexOf("pretrain.py") + 1, words.size()).stream().map(w -> w.replace("\"", "")).toList();
    }

    @Test
    void everyTrmLineComposes() {
        DatasetMetadata sudoku = SUDOKU;
        for (String line : TRM_LINES) {
            TrainConfig c = compose(line);
            ModelConfig m = c.modelConfig(SUDOKU);
            TrmFamily trm = assertInstanceOf(TrmFamily.class, m.family(), line);
            assertTrue(c.recursive().ema(), line);
            assertEquals(0.999, c.recursive().emaRate(), line);
            assertEquals(3, trm.hCycles(), line);
            assertEquals(2, trm.lLayers(), line);
            assertEquals(16, m.puzzleEmbLen(), line);
            assertEquals(81 + 16, m.tokens(), line);
            assertTrue(trm.noActContinue(), line);
            assertTrue(c.runName().startsWith("pretrain_"), line);
        }
        TrainConfig mlp = compose(TRM_LINES[0]);
        ModelConfig mm = mlp.modelConfig(sudoku);
        assertEquals("data/sudoku-extreme-1k-aug-1000", mlp.dataPath());
        assertTrue(((TrmFamily) mm.family()).mlpT());
        assertFalse(mm.ropePositions());
        assertEquals(512, mm.tokenInnerSize(), "It = 256 * ceil(round(4 * 97 * 2/3) / 256)");
        assertEquals(6, ((TrmFamily) mm.family()).lCycles());
        assertEquals(1.0, mlp.weightDecay());
        assertEquals(10, mlp.passes());
        // the author's code's parameter count for the Sudoku MLP model (docs/model.md §2.1), puzzle table
        // (1 x 512) and H_init/L_init aside
        assertEquals(5_028_866, mm.parameterCount() - 512 - 2 * 512);
        ModelConfig att = compose(TRM_LINES[1]).modelConfig(sudoku);
        assertEquals(6_828_034, att.parameterCount() - 512 - 2 * 512);
        TrainConfig maze = compose(TRM_LINES[2]);
        assertEquals(4, ((TrmFamily) maze.modelConfig(sudoku).family()).lCycles());
        assertEquals("data/maze-30x30-hard-1k", maze.dataPath());
        TrainConfig arc = compose(TRM_LINES[3]);
        assertEquals(768, arc.globalBatchSize());
        assertEquals("data/arc1concept-aug-1000", arc.dataPath());
        // the composed run writes data_paths back as a list, and reads back the same
        TrainConfig again = TrainConfig.fromMap(arc.toMap());
        assertEquals(arc.toMap(), again.toMap());
    }

    static TrainConfig compose(String line) {
        return TrainConfig.fromMap(new ConfigLoader(Path.of("config")).load("cfg_pretrain", overrides(line)));
    }

    @Test
    void everyLineComposes() {
        for (String line : LINES) {
            TrainConfig c = compose(line);
            ModelConfig m = c.modelConfig(SUDOKU);
            assertEquals(512, m.hiddenSize(), line);
            assertEquals(512, m.puzzleEmbNdim(), line + ": ${.hidden_size}");
            assertEquals(0, c.epochs() % c.epochsPerPass(), line);
        }
        TrainConfig first = compose(LINES[0]);
        assertEquals(384, first.globalBatchSize());
        assertEquals(7e-5, first.lr());
        assertEquals(1.0, first.weightDecay());
        assertEquals(10, first.passes());
        TrainConfig arc = compose(LINES[1]);
        assertEquals("data/arc-aug-1000", arc.dataPath());
        assertEquals(768, arc.globalBatchSize());
        assertEquals(1e-2, arc.puzzleEmbLr());
        TrainConfig full = compose(LINES[5]);
        ModelConfig fm = full.modelConfig(new DatasetMetadata(0, 0, 0, 11, 81, 1, 10, 1.0, List.of("all")));
        assertEquals(ModelConfig.LossType.SOFTMAX, fm.lossType());
        assertEquals(8, ((hrm.model.HrmFamily) fm.family()).lCycles());
        assertEquals(8, fm.haltMaxSteps());
        assertTrue(fm.learnedPositions());
        assertEquals(0.1, full.lrMinRatio());
    }
}
