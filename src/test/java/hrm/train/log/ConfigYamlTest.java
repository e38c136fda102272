package hrm.train.log;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigYamlTest {
    private static final Path FIXTURES = Path.of("testdata/parity");

    @TempDir
    Path dir;

    @Test
    void writesTheReferenceShapeOfEveryFixtureConfig() throws IOException {
        List<Path> configs;
        try (Stream<Path> s = Files.list(FIXTURES)) {
            configs = s.map(p -> p.resolve("checkpoint").resolve(RunDirectory.CONFIG_FILE)).filter(Files::exists).toList();
        }
        assertFalse(configs.isEmpty(), "no fixture configurations under " + FIXTURES);
        for (Path fixture : configs) {
            Map<String, Object> config = ConfigYaml.read(fixture);
            Path out = dir.resolve("all_config.yaml");
            ConfigYaml.write(out, config);
            assertEquals(config, ConfigYaml.read(out), fixture + " does not read back the same");
            // Top-level lines are written exactly as the reference wrote them (PyYAML, sorted keys).
            List<String> ours = Files.readAllLines(out);
            List<String> theirs = Files.readAllLines(fixture);
            List<String> ourTop = ours.stream().filter(l -> !l.startsWith(" ")).toList();
            List<String> theirTop = theirs.stream().filter(l -> !l.startsWith(" ")).toList();
            assertEquals(theirTop, ourTop, fixture.toString());
            // Nested keys are sorted at every level, as yaml.dump does.
            List<String> archKeys = ours.stream().filter(l -> l.matches("  \\S.*")).map(l -> l.strip().split(":")[0]).toList();
            List<String> sortedKeys = new ArrayList<>(archKeys);
            sortedKeys.sort(null);
            assertEquals(sortedKeys, archKeys);
        }
    }

    @Test
    void theResolvedTrainingConfigurationRoundTrips() {
        var loaded = new hrm.train.config.ConfigLoader(Path.of("config"))
                .load("cfg_pretrain", List.of("data_path=data/sudoku-extreme-1k-aug-1000", "lr=7e-5"));
        var config = hrm.train.config.TrainConfig.fromMap(loaded);
        Map<String, Object> resolved = config.withNames(hrm.train.log.RunNames.defaultProject(config.dataPath()), "run", "checkpoints/x").toMap();
        Path out = dir.resolve("all_config.yaml");
        ConfigYaml.write(out, resolved);
        Map<String, Object> back = ConfigYaml.read(out);
        assertEquals(resolved.keySet(), back.keySet());
        assertEquals(7e-5, ((Number) back.get("lr")).doubleValue());
        assertEquals("Sudoku-extreme-1k-aug-1000 ACT-torch", back.get("project_name"));
        assertEquals(resolved.get("arch"), back.get("arch"));
        assertEquals(resolved, hrm.train.config.TrainConfig.fromMap(back).toMap(), "the file configures the same run");
    }

    @Test
    void floatsAsPythonWritesThem() {
        assertEquals("0.0001", ConfigYaml.pythonFloat(1e-4));
        assertEquals("1.0e-05", ConfigYaml.pythonFloat(1e-5));
        assertEquals("1.5e-05", ConfigYaml.pythonFloat(1.5e-5));
        assertEquals("4.0", ConfigYaml.pythonFloat(4));
        assertEquals("0.95", ConfigYaml.pythonFloat(0.95));
        assertEquals("-0.1", ConfigYaml.pythonFloat(-0.1));
        assertEquals("1000000.0", ConfigYaml.pythonFloat(1e6));
        assertEquals("1.0e+16", ConfigYaml.pythonFloat(1e16));
        assertEquals("123456789012345.0", ConfigYaml.pythonFloat(123456789012345.0));
        assertEquals("0.0", ConfigYaml.pythonFloat(0));
        assertEquals(".nan", ConfigYaml.pythonFloat(Double.NaN));
        assertEquals("-.inf", ConfigYaml.pythonFloat(Double.NEGATIVE_INFINITY));
    }

    @Test
    void nestedListsAndFloatsRoundTrip() {
        Map<String, Object> arch = new LinkedHashMap<>();
        arch.put("name", "hrm.hrm_act_v1@HierarchicalReasoningModel_ACTV1");
        arch.put("H_cycles", 2);
        arch.put("expansion", 4.0);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("project_name", "Sudoku-extreme-1k-aug-1000 ACT-torch");
        config.put("lr", 7e-5);
        config.put("eval_save_outputs", List.of("inputs", "labels"));
        config.put("arch", arch);
        config.put("seed", 0);
        config.put("checkpoint_path", null);
        String text = ConfigYaml.dump(config);
        assertEquals("""
                arch:
                  H_cycles: 2
                  expansion: 4.0
                  name: hrm.hrm_act_v1@HierarchicalReasoningModel_ACTV1
                checkpoint_path: null
                eval_save_outputs:
                - inputs
                - labels
                lr: 7.0e-05
                project_name: Sudoku-extreme-1k-aug-1000 ACT-torch
                seed: 0
                """, text);
    }

    @Test
    void badFilesAndValuesAreNamed() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "arch:\n  hidden_size: 512\n   num_heads: [8\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigYaml.read(bad));
        assertTrue(e.getMessage().startsWith(bad + " line 3"), e.getMessage());

        Files.writeString(bad, "- just\n- a list\n");
        e = assertThrows(IllegalArgumentException.class, () -> ConfigYaml.read(bad));
        assertTrue(e.getMessage().contains("top level must be a mapping"), e.getMessage());

        Files.writeString(bad, "x: !!java.io.File /etc\n");
        assertThrows(IllegalArgumentException.class, () -> ConfigYaml.read(bad), "no arbitrary classes are built");

        // a recursive anchor: the list contains itself (a StackOverflowError in any later walk of the tree)
        Files.writeString(bad, "arch: &a\n  - 1\n  - *a\nlr: 1\n");
        e = assertThrows(IllegalArgumentException.class, () -> ConfigYaml.read(bad));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("recursive anchor"), e.getMessage());
        Files.writeString(bad, "a: &m\n  b: *m\n");
        e = assertThrows(IllegalArgumentException.class, () -> ConfigYaml.read(bad));
        assertTrue(e.getMessage().contains("recursive"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> ConfigYaml.dump(Map.of("arch", Map.of("loss", new Object()))));
        assertTrue(e.getMessage().contains("'arch.loss'"), e.getMessage());
    }
}
