package hrm.model;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Nothing outside the model layer asks which family a model is: no source outside {@code hrm/model}
 * names a family's type (the families are asked through {@link ModelFamily}).
 */
class FamilyEncapsulationTest {
    private static final Pattern FAMILY_TYPE = Pattern.compile("\\b(HrmFamily|TrmFamily|TransformerFamily)\\b|\\bisTrm\\(");

    @Test
    void noSourceOutsideTheModelLayerNamesAFamilyType() throws IOException {
        List<String> found = new ArrayList<>();
        Path root = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.startsWith(root.resolve("hrm/model"))).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++)
                    if (FAMILY_TYPE.matcher(lines.get(i)).find()) found.add(root.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
            }
        }
        assertEquals(List.of(), found, "family types named outside hrm.model");
    }
}
