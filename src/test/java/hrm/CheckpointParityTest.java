package hrm;

import hrm.checkpoint.NamedTensor;
import hrm.checkpoint.NpyStateDict;
import hrm.checkpoint.ParameterLoader;
import hrm.checkpoint.ModelCheckpoint;
import hrm.checkpoint.TensorMap;
import hrm.model.ModelConfig;
import hrm.model.Parameters;
import hrm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The released-checkpoint path on every fixture under $HRM_PARITY_FIXTURES (as {@link ParityTest}
 * finds them): each fixture's {@code checkpoint/} (a torch.save zip, {@code _orig_mod.} names,
 * bfloat16 H_init/L_init) and the all_config.yaml beside it are read with the safe unpickler,
 * turned into a model configuration and parameters, and the evaluation segments must match the
 * fixture's {@code eval/} within the tolerances of docs/model.md §12.
 *
 * <p>bfloat16 H_init/L_init make no difference here, and this test pins that down: the fixtures'
 * float32 {@code init/} values are exactly the widened bfloat16 ones (the reference creates these
 * buffers in its forward dtype, bfloat16, then PyTorch's type promotion widens them exactly where
 * they meet the float32 carry), so every tensor loaded from the checkpoint must equal
 * {@code init/} bit for bit, and the outputs match as tightly as ParityTest's.
 */
class CheckpointParityTest {

    @TestFactory
    List<DynamicNode> fixtures() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (var e : ParityTest.fixtureDirs().entrySet()) {
            Path d = e.getValue();
            nodes.add(DynamicTest.dynamicTest(e.getKey() + " checkpoint", () -> check(new ParityFixture(d))));
        }
        return nodes;
    }

    /** The checkpoint file: config.json's "checkpoint" entry, else the one file in checkpoint/ that is not the yaml. */
    static Path checkpointFile(ParityFixture f) throws IOException {
        if (f.json.hasNonNull("checkpoint")) return f.dir.resolve(f.json.get("checkpoint").asText());
        if (!Files.isDirectory(f.dir.resolve("checkpoint")))
            throw new AssertionError(f.dir + ": no checkpoint/ folder (docs/model.md §12: every fixture set has one)");
        try (Stream<Path> s = Files.list(f.dir.resolve("checkpoint"))) {
            List<Path> files = s.filter(p -> !p.getFileName().toString().equals("all_config.yaml")).toList();
            if (files.size() != 1) throw new AssertionError(f.dir + "/checkpoint: expected one checkpoint file, found " + files);
            return files.get(0);
        }
    }

    static void check(ParityFixture f) throws IOException {
        ModelCheckpoint ck = ModelCheckpoint.read(checkpointFile(f));
        ModelConfig want = f.config;

        // the yaml plus the dataset's shape must give the fixture's model; vocabulary and puzzle count
        // read off the tensors must agree. forward_dtype is not in the yaml (the reference's default,
        // bfloat16, is its GPU compute type; the engine computes in float32 either way).
        ModelConfig cfg = ck.modelConfig(want.batchSize(), want.seqLen(), want.vocabSize(), want.numPuzzleIdentifiers());
        assertEquals(withoutDtype(want), withoutDtype(cfg), f.dir + ": config from all_config.yaml");
        assertEquals(cfg, ck.modelConfig(want.batchSize(), want.seqLen()), f.dir + ": vocabulary and puzzle count from the tensors");

        TensorMap init = NpyStateDict.read(f.dir.resolve("init"));
        TensorMap stored = ck.stateDict();
        assertEquals(init.size(), stored.size(), f.dir + ": tensors in the checkpoint");
        for (NamedTensor t : stored.tensors()) {
            assertTrue(t.name().startsWith(ParameterLoader.COMPILED_PREFIX), t.name() + ": released checkpoints carry the _orig_mod. prefix");
            String name = t.name().substring(ParameterLoader.COMPILED_PREFIX.length());
            assertArrayEquals(init.get(name).toFloats(), t.toFloats(), f.dir + ": " + name + " in the checkpoint against init/");
        }

        try (CpuBackend be = new CpuBackend(2)) {
            Parameters p = ck.load(cfg.withForwardDtype(want.activationType()), be);
            ParityTest.checkEvalSteps(f, p, be);

            // a dataset whose vocabulary or puzzle count does not fit the checkpoint is refused, naming the tensor
            ModelConfig wrongVocab = ck.modelConfig(want.batchSize(), want.seqLen(), want.vocabSize() + 1, want.numPuzzleIdentifiers());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ck.load(wrongVocab, be));
            assertTrue(e.getMessage().contains("embed_tokens.embedding_weight' has shape") && e.getMessage().contains("vocab_size " + (want.vocabSize() + 1)),
                    e.getMessage());
            if (want.puzzleEmbNdim() > 0) {
                ModelConfig wrongPuzzles = ck.modelConfig(want.batchSize(), want.seqLen(), want.vocabSize(), want.numPuzzleIdentifiers() + 2);
                e = assertThrows(IllegalArgumentException.class, () -> ck.load(wrongPuzzles, be));
                assertTrue(e.getMessage().contains("puzzle_emb.weights' has shape"), e.getMessage());
            }
        }
    }

    static Map<String, Object> withoutDtype(ModelConfig c) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(c.toMap());
        m.remove("forward_dtype");
        return m;
    }
}
