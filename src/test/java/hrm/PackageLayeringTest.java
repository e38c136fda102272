package hrm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI sits on top: the embedding API (hrm.api), the server (hrm.serve) and the runtime set-up
 * they share (hrm.runtime) never refer to hrm.cli. Read from the compiled classes, so that every
 * kind of reference counts: an import, a fully qualified name in the code, a method's descriptor, a
 * nested class, a string naming a CLI class.
 */
class PackageLayeringTest {
    static final List<String> BELOW_THE_CLI = List.of("hrm/api", "hrm/serve", "hrm/runtime");

    @Test
    void apiServeAndRuntimeNeverReferToTheCli() throws Exception {
        Path classes = classesDirectory();
        List<String> found = new ArrayList<>();
        for (String pkg : BELOW_THE_CLI) {
            List<Path> files = classFiles(classes.resolve(pkg));
            assertFalse(files.isEmpty(), "no compiled classes in " + pkg);
            for (Path f : files)
                for (String ref : cliReferences(f)) found.add(classes.relativize(f) + " refers to " + ref);
        }
        assertEquals(List.of(), found);
    }

    /** The scan itself sees references: the CLI's own classes refer to each other. */
    @Test
    void theScanFindsReferencesWhereThereAreSome() throws Exception {
        Path solve = classesDirectory().resolve("hrm/cli/SolveCommand.class");
        assertTrue(cliReferences(solve).contains("hrm/cli/SudokuSolve"), cliReferences(solve).toString());
    }

    /** Every constant-pool string (class names, descriptors, signatures, string constants) that names something in hrm.cli. */
    static List<String> cliReferences(Path classFile) throws IOException {
        ClassModel model = ClassFile.of().parse(Files.readAllBytes(classFile));
        List<String> refs = new ArrayList<>();
        for (PoolEntry e : model.constantPool())
            if (e instanceof Utf8Entry u) {
                String s = u.stringValue();
                int i = s.indexOf("hrm/cli/") >= 0 ? s.indexOf("hrm/cli/") : s.indexOf("hrm.cli.");
                if (i >= 0) refs.add(s.substring(i).replaceFirst("[;<$].*", ""));
            }
        return refs;
    }

    static List<Path> classFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
    }

    /** target/classes, where the main classes were compiled. */
    static Path classesDirectory() throws URISyntaxException {
        return Path.of(hrm.api.HrmModel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
