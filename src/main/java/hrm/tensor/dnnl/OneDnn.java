package hrm.tensor.dnnl;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * oneDNN (the library PyTorch's CPU backend runs its bfloat16 matrix products on: AMX or
 * AVX512-BF16 kernels) called through FFM, with no JNI of ours. The shared libraries come from the
 * pinned JavaCPP presets jars on the class path ({@code org.bytedeco:dnnl:linux-x86_64} and
 * {@code org.bytedeco:opencl:linux-x86_64}, which libdnnl links against); they are copied to a cache
 * directory (dlopen needs files), checked against their jars before every load ({@link NativeCache}:
 * a damaged file would crash the JVM) and loaded from there. {@link #get()} is empty, with the
 * reason in {@link #unavailableReason()}, where they cannot be had: callers then run on the Java
 * kernels after a one-line notice.
 */
public final class OneDnn {
    /** The oneDNN version the bindings were written against (the presets' jar); another is refused. */
    public static final int MAJOR = 3, MINOR = 3;
    /** dnnl_cpu_isa_t's bit of the AVX512-BF16 instructions (set in avx512_core_bf16 = 0xe7 and in every AMX level). */
    static final int ISA_BF16_BIT = 0x80;
    /** The pinned presets version (pom.xml's dnnl.version): the cache directory is per version, so an upgrade never loads stale files. */
    static final String PINNED = "3.3.4-1.5.10";
    static final String RESOURCES = "org/bytedeco/";
    private static final String[] LIBS = {"opencl/linux-x86_64/libOpenCL.so.1", "dnnl/linux-x86_64/libgomp.so.1", "dnnl/linux-x86_64/libdnnl.so.3"};

    private static final class Holder {
        static final Object LOADED = load();
    }

    private final SymbolLookup lib;
    private final Linker linker = Linker.nativeLinker();
    private final MethodHandle ompSetNumThreads;
    final MemorySegment engine, stream;
    final String version;
    final int cpuIsa;

    final MethodHandle memoryDescCreate, memoryDescDestroy, matmulDescCreate, primitiveDescDestroy, primitiveCreate, primitiveDestroy,
            memoryCreate, memorySetHandle, memoryDestroy, execute, streamWait, streamCreate, streamDestroy;

    private OneDnn(SymbolLookup gomp, SymbolLookup lib) throws Throwable {
        this.lib = lib;
        ompSetNumThreads = linker.downcallHandle(gomp.find("omp_set_num_threads").orElseThrow(
                () -> new IllegalStateException("symbol omp_set_num_threads missing in libgomp")), FunctionDescriptor.ofVoid(JAVA_INT));
        MemorySegment v = ((MemorySegment) handle("dnnl_version", FunctionDescriptor.of(ADDRESS)).invokeExact()).reinterpret(24);
        int major = v.get(JAVA_INT, 0), minor = v.get(JAVA_INT, 4), patch = v.get(JAVA_INT, 8);
        version = major + "." + minor + "." + patch;
        if (major != MAJOR || minor != MINOR)
            throw new IllegalStateException("oneDNN " + version + " found, " + MAJOR + "." + MINOR + ".x wanted");
        cpuIsa = (int) handle("dnnl_get_effective_cpu_isa", FunctionDescriptor.of(JAVA_INT)).invokeExact();
        memoryDescCreate = handle("dnnl_memory_desc_create_with_tag", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        memoryDescDestroy = handle("dnnl_memory_desc_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        matmulDescCreate = handle("dnnl_matmul_primitive_desc_create",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        primitiveDescDestroy = handle("dnnl_primitive_desc_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        primitiveCreate = handle("dnnl_primitive_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        primitiveDestroy = handle("dnnl_primitive_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        memoryCreate = handle("dnnl_memory_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        memorySetHandle = handle("dnnl_memory_set_data_handle", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        memoryDestroy = handle("dnnl_memory_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        execute = handle("dnnl_primitive_execute", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        streamWait = handle("dnnl_stream_wait", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        streamCreate = handle("dnnl_stream_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        streamDestroy = handle("dnnl_stream_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pe = a.allocate(ADDRESS), ps = a.allocate(ADDRESS);
            check((int) handle("dnnl_engine_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG)).invokeExact(pe, 1 /* dnnl_cpu */, 0L),
                    "dnnl_engine_create");
            engine = pe.get(ADDRESS, 0);
            check((int) streamCreate.invokeExact(ps, engine, 1 /* in order */), "dnnl_stream_create");
            stream = ps.get(ADDRESS, 0);
        }
    }

    /** The loaded library, or empty where it cannot be had (see {@link #unavailableReason()}). */
    public static Optional<OneDnn> get() {
        return Holder.LOADED instanceof OneDnn d ? Optional.of(d) : Optional.empty();
    }

    /** Why {@link #get()} is empty, as one line naming the library, the version wanted and what was found; null when loaded. */
    public static String unavailableReason() {
        return Holder.LOADED instanceof String why ? why : null;
    }

    public String version() {
        return version;
    }

    /**
     * A stream of one's own: a stream is not to be used by two threads at once, so each backend
     * (driven by one thread) executes on its own; {@link #destroyStream} when done.
     */
    public MemorySegment newStream() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ps = a.allocate(ADDRESS);
            check((int) streamCreate.invokeExact(ps, engine, 1 /* in order */), "dnnl_stream_create");
            return ps.get(ADDRESS, 0);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public void destroyStream(MemorySegment s) {
        try {
            check((int) streamDestroy.invokeExact(s), "dnnl_stream_destroy");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * The number of threads oneDNN's next primitives use when run from the calling thread (OpenMP
     * keeps this per thread, so the thread that runs the products sets it).
     */
    public void setThreads(int threads) {
        try {
            ompSetNumThreads.invokeExact(threads);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** True where oneDNN runs bfloat16 products on bfloat16 hardware (AVX512-BF16 or AMX), not by emulation. */
    public boolean nativeBf16() {
        return (cpuIsa & ISA_BF16_BIT) != 0;
    }

    /** oneDNN's dnnl_cpu_isa_t of the kernels it will run (for example avx512_core_bf16, avx512_core_amx). */
    public int cpuIsa() {
        return cpuIsa;
    }

    private static Object load() {
        String wanted = "oneDNN " + MAJOR + "." + MINOR + " (org.bytedeco:dnnl linux-x86_64)";
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux") || !System.getProperty("os.arch", "").equals("amd64"))
            return wanted + ": not available on " + System.getProperty("os.name") + "/" + System.getProperty("os.arch");
        try {
            Path dir = extract();
            passiveOpenMpWaits();
            Arena arena = Arena.global(); // loaded for the life of the process
            SymbolLookup[] lookups = new SymbolLookup[LIBS.length];
            for (int i = 0; i < LIBS.length; i++) lookups[i] = SymbolLookup.libraryLookup(dir.resolve(Path.of(LIBS[i]).getFileName()), arena);
            return new OneDnn(lookups[1], lookups[2]);
        } catch (Throwable e) {
            return wanted + ": " + hrm.io.ErrorText.of(e);
        }
    }

    /**
     * OpenMP threads spin for a while after each parallel region by default; between oneDNN's products
     * our own worker threads run on the same cores, so the spinning would steal their time. The policy
     * is read when libgomp loads; a value the user set is kept.
     */
    private static void passiveOpenMpWaits() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        try (Arena a = Arena.ofConfined()) {
            int rc = (int) setenv.invokeExact(a.allocateFrom("OMP_WAIT_POLICY"), a.allocateFrom("PASSIVE"), 0);
            if (rc != 0) throw new IllegalStateException("setenv OMP_WAIT_POLICY failed");
        }
    }

    /** The libraries in their per-version cache directory, checked against their jars (and copied again where they differ) before anything loads them. */
    private static Path extract() throws IOException {
        Path dir = NativeCache.directory("dnnl-" + PINNED + "-linux-x86_64");
        List<NativeCache.Source> sources = new ArrayList<>();
        for (String l : LIBS) sources.add(NativeCache.resource(OneDnn.class.getClassLoader(), RESOURCES + l));
        NativeCache.ensure(dir, sources);
        return dir;
    }

    MethodHandle handle(String name, FunctionDescriptor fd) {
        return linker.downcallHandle(lib.find(name).orElseThrow(() -> new IllegalStateException("symbol " + name + " missing")), fd);
    }

    static void check(int status, String call) {
        if (status != 0) throw new IllegalStateException(call + " failed with dnnl_status " + status);
    }
}
