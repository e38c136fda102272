package hrm.tensor.cpu;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/jit-commands keeps vectors from being boxed (see that file): every method of ours that takes or
 * returns a vector is always inlined, every method that calls one is never inlined into its caller.
 * This reads the compiled classes, finds both sets, and checks the file names exactly them; and that
 * the tests' JVM and the launcher are given the file.
 */
class JitCommandsTest {
    private static final Path COMMANDS = Path.of("bin/jit-commands");

    record Rule(String verb, String className, String method) {
        boolean matches(String cls, String name) {
            return className.equals(cls) && (method.equals("*") || method.equals(name));
        }
    }

    @Test
    void everyVectorFunctionIsInlinedAndEveryCallerIsCompiledOnItsOwn() throws IOException {
        List<ClassModel> classes = ourClasses();
        Set<String> vectorFunctions = new TreeSet<>(), callers = new TreeSet<>();
        Set<String> signatures = new TreeSet<>(); // name + descriptor: Bf16.round(float) is no vector function
        for (ClassModel c : classes)
            for (MethodModel m : c.methods())
                if (takesOrReturnsVector(m.methodTypeSymbol().descriptorString())) {
                    vectorFunctions.add(name(c, m));
                    signatures.add(name(c, m) + m.methodTypeSymbol().descriptorString());
                }
        assertTrue(vectorFunctions.contains("hrm.tensor.cpu.VectorExp::exp"), "found " + vectorFunctions);
        for (ClassModel c : classes)
            for (MethodModel m : c.methods()) {
                if (signatures.contains(name(c, m) + m.methodTypeSymbol().descriptorString())) continue; // inlined: its calls are its caller's
                CodeModel code = m.code().orElse(null);
                if (code == null) continue;
                for (var e : code)
                    if (e instanceof InvokeInstruction call) {
                        String callee = call.owner().asInternalName().replace('/', '.') + "::" + call.name().stringValue();
                        if (signatures.contains(callee + call.typeSymbol().descriptorString())) callers.add(name(c, m));
                    }
            }
        assertFalse(callers.isEmpty());
        List<Rule> rules = rules();
        List<String> missing = new ArrayList<>();
        for (String f : vectorFunctions) if (!matched(rules, "inline", f)) missing.add("inline " + f);
        for (String f : callers) if (!matched(rules, "dontinline", f)) missing.add("dontinline " + f);
        assertEquals(List.of(), missing, "lines missing from " + COMMANDS + " (vector functions: inline; their callers: dontinline)");
        for (Rule r : rules) {
            String full = r.className() + "::" + r.method();
            Set<String> named = r.verb().equals("inline") ? vectorFunctions : callers;
            assertTrue(named.stream().anyMatch(n -> r.matches(n.substring(0, n.indexOf("::")), n.substring(n.indexOf("::") + 2))),
                    r.verb() + " " + full + " in " + COMMANDS + " names no " + (r.verb().equals("inline") ? "vector function" : "caller of one"));
        }
    }

    @Test
    void theTestsAndTheLauncherAreGivenTheCommands() throws IOException {
        String flag = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-XX:CompileCommandFile=")).findFirst().orElse("");
        assertFalse(flag.isEmpty(), "the tests' JVM runs without -XX:CompileCommandFile (pom.xml's argLine)");
        assertEquals(COMMANDS.toAbsolutePath().normalize(), Path.of(flag.substring(flag.indexOf('=') + 1)).toAbsolutePath().normalize());
        assertTrue(Files.readString(Path.of("hrm")).contains("-XX:CompileCommandFile=\"$root/bin/jit-commands\""), "./hrm does not pass bin/jit-commands");
    }

    private static boolean matched(List<Rule> rules, String verb, String full) {
        String cls = full.substring(0, full.indexOf("::")), m = full.substring(full.indexOf("::") + 2);
        return rules.stream().anyMatch(r -> r.verb().equals(verb) && r.matches(cls, m));
    }

    private static List<Rule> rules() throws IOException {
        List<Rule> rules = new ArrayList<>();
        for (String line : Files.readAllLines(COMMANDS)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.equals("quiet")) continue;
            String[] p = t.split("\\s+");
            assertEquals(2, p.length, "line '" + t + "' of " + COMMANDS);
            String[] target = p[1].split("::");
            rules.add(new Rule(p[0], target[0], target[1]));
        }
        return rules;
    }

    private static boolean takesOrReturnsVector(String descriptor) {
        return descriptor.contains("Ljdk/incubator/vector/");
    }

    private static String name(ClassModel c, MethodModel m) {
        return c.thisClass().asInternalName().replace('/', '.') + "::" + m.methodName().stringValue();
    }

    /** Every class compiled from src/main (the directory or jar VectorExp was loaded from). */
    private static List<ClassModel> ourClasses() throws IOException {
        Path root;
        try {
            root = Path.of(VectorExp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        assertTrue(Files.isDirectory(root), "classes are read from a directory: " + root);
        List<ClassModel> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList())
                out.add(ClassFile.of().parse(Files.readAllBytes(f)));
        }
        return out;
    }
}
