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

    static final List<String> ON_THE_BACKEND_INTERFACE = List.of("hrm/cli", "hrm/api", "hrm/serve");

    /**
     * The commands, the API and the server compute on {@link hrm.tensor.Backend}, never on the CPU
     * backend itself: what they ask of it (the run header's words, the compute path) is on the
     * interface, so that another backend can stand in its place; only the factory (hrm.runtime's
     * Backends) and hrm.tensor know the CPU type.
     */
    @Test
    void cliApiAndServeSeeTheBackendInterfaceOnly() throws Exception {
        Path classes = classesDirectory();
        List<String> found = new ArrayList<>();
        for (String pkg : ON_THE_BACKEND_INTERFACE) {
            List<Path> files = classFiles(classes.resolve(pkg));
            assertFalse(files.isEmpty(), "no compiled classes in " + pkg);
            for (Path f : files)
                for (String ref : references(f, "hrm/tensor/cpu/CpuBackend", "hrm.tensor.cpu.CpuBackend"))
                    found.add(classes.relativize(f) + " refers to " + ref);
        }
        assertEquals(List.of(), found);
    }

    /** The scan for the CPU backend sees it where it is named: the factory names it. */
    @Test
    void theBackendScanFindsTheFactorysReference() throws Exception {
        Path backends = classesDirectory().resolve("hrm/runtime/Backends.class");
        assertTrue(references(backends, "hrm/tensor/cpu/CpuBackend", "hrm.tensor.cpu.CpuBackend").contains("hrm/tensor/cpu/CpuBackend"));
    }

    /** The scan itself sees references: the CLI's own classes refer to each other. */
    @Test
    void theScanFindsReferencesWhereThereAreSome() throws Exception {
        Path solve = classesDirectory().resolve("hrm/cli/SolveCommand.class");
        assertTrue(cliReferences(solve).contains("hrm/cli/SudokuSolve"), cliReferences(solve).toString());
    }

    /** Every constant-pool string (class names, descriptors, signatures, string constants) that names something in hrm.cli. */
    static List<String> cliReferences(Path classFile) throws IOException {
        return references(classFile, "hrm/cli/", "hrm.cli.");
    }

    /** Every constant-pool string that names something starting with {@code internal} (slashes) or {@code dotted}, from there to the end of the name. */
    static List<String> references(Path classFile, String internal, String dotted) throws IOException {
        ClassModel model = ClassFile.of().parse(Files.readAllBytes(classFile));
        List<String> refs = new ArrayList<>();
        for (PoolEntry e : model.constantPool())
            if (e instanceof Utf8Entry u) {
                String s = u.stringValue();
                int i = s.indexOf(internal) >= 0 ? s.indexOf(internal) : s.indexOf(dotted);
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
