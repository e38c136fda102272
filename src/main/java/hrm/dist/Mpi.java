package hrm.dist;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The MPI C library called through FFM (no JNI of ours): the calls data-parallel training needs
 * ({@link MpiCluster}'s sums, gathers and abort, and the barrier each sum and gather waits at first),
 * on MPI_COMM_WORLD, and nothing else. Open MPI (Debian's {@code libopenmpi3}, {@code libmpi.so.40}) is the one
 * supported and tested; {@code HRM_MPI_LIB} names another Open MPI build's library file. MPICH-ABI
 * libraries (MPICH, Intel MPI, MVAPICH: integer handles) are refused with a message.
 *
 * <p>Open MPI's MPI_COMM_WORLD, MPI_FLOAT and MPI_SUM are the addresses of global structs, looked
 * up as symbols. The library is opened with RTLD_GLOBAL because Open MPI's plugins resolve its
 * symbols at load time, and Open MPI's own signal handlers are turned off (the JVM relies on SIGSEGV
 * and SIGBUS itself).
 *
 * <p>The collectives take memory of the Java heap too ({@code MemorySegment.ofArray}: the CPU
 * backend's tensors, the trainer's arrays), reduced in place with no staging copy: they are linked
 * critical with heap access, so the JVM neither moves nor collects the arrays while MPI reads and
 * writes them. It cannot bring this thread to a safepoint meanwhile either, so each such call first
 * waits at a barrier linked as usual: inside the critical call the ranks only move data, they never
 * wait for a slower (or a dead) rank there.
 */
public final class Mpi implements AutoCloseable {
    static final String[] LIBRARIES = {"libmpi.so.40", "libmpi.so"};
    private static final int RTLD_NOW = 2, RTLD_GLOBAL = 0x100, MPI_THREAD_FUNNELED = 1;
    private static final MemorySegment IN_PLACE = MemorySegment.ofAddress(1); // Open MPI's MPI_IN_PLACE

    private final Linker linker = Linker.nativeLinker();
    private final SymbolLookup lib;
    private final String library, version;
    final int rank, size;
    // Open MPI's handles: the addresses of its predefined objects
    private final MemorySegment commWorld, floatType, doubleType, byteType, sumOp;
    private final MethodHandle allreduce, allgather, barrier, abort, finalizeCall;
    private final Arena arena = Arena.ofShared();
    private boolean finalized;

    private Mpi(String path) throws Throwable {
        library = path;
        setenv("OMPI_MCA_opal_signal", ""); // Open MPI must not catch SIGSEGV/SIGBUS/SIGFPE: the JVM uses them
        MethodHandle dlopen = linker.downcallHandle(linker.defaultLookup().find("dlopen").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        MethodHandle dlerror = linker.downcallHandle(linker.defaultLookup().find("dlerror").orElseThrow(), FunctionDescriptor.of(ADDRESS));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = (MemorySegment) dlopen.invokeExact(a.allocateFrom(path), RTLD_NOW | RTLD_GLOBAL);
            if (h.address() == 0) {
                MemorySegment err = (MemorySegment) dlerror.invokeExact();
                throw new IllegalStateException(err.address() == 0 ? "dlopen failed" : err.reinterpret(4096).getString(0));
            }
        }
        lib = SymbolLookup.libraryLookup(path, arena);
        if (lib.find("ompi_mpi_comm_world").isEmpty())
            throw new IllegalStateException("not Open MPI (no ompi_mpi_comm_world): MPICH-ABI libraries are not supported");
        MemorySegment world = symbol("ompi_mpi_comm_world");
        commWorld = world;
        floatType = symbol("ompi_mpi_float");
        doubleType = symbol("ompi_mpi_double");
        byteType = symbol("ompi_mpi_byte");
        sumOp = symbol("ompi_mpi_op_sum");
        var h = ADDRESS;
        MethodHandle initThread = handle("MPI_Init_thread", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        MethodHandle commRank = handle("MPI_Comm_rank", FunctionDescriptor.of(JAVA_INT, h, ADDRESS));
        MethodHandle commSize = handle("MPI_Comm_size", FunctionDescriptor.of(JAVA_INT, h, ADDRESS));
        Linker.Option heap = Linker.Option.critical(true);
        allreduce = handle("MPI_Allreduce", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, h, h, h), heap);
        allgather = handle("MPI_Allgather", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, h, ADDRESS, JAVA_INT, h, h), heap);
        barrier = handle("MPI_Barrier", FunctionDescriptor.of(JAVA_INT, h));
        abort = handle("MPI_Abort", FunctionDescriptor.of(JAVA_INT, h, JAVA_INT));
        finalizeCall = handle("MPI_Finalize", FunctionDescriptor.of(JAVA_INT));
        MethodHandle libVersion = handle("MPI_Get_library_version", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment provided = a.allocate(JAVA_INT), out = a.allocate(JAVA_INT);
            check((int) initThread.invokeExact(MemorySegment.NULL, MemorySegment.NULL, MPI_THREAD_FUNNELED, provided), "MPI_Init_thread");
            check((int) commRank.invokeExact(world, out), "MPI_Comm_rank");
            rank = out.get(JAVA_INT, 0);
            check((int) commSize.invokeExact(world, out), "MPI_Comm_size");
            size = out.get(JAVA_INT, 0);
            MemorySegment text = a.allocate(8192);
            check((int) libVersion.invokeExact(text, out), "MPI_Get_library_version");
            String v = text.getString(0).strip();
            version = v.contains("\n") ? v.substring(0, v.indexOf('\n')).strip() : v;
        }
    }

    /**
     * Whether an MPI launcher (mpirun, mpiexec, srun with PMI) started this process: the variables
     * Open MPI, MPICH/Hydra and Slurm's PMI set in every rank's environment.
     */
    public static boolean launched(Map<String, String> env) {
        for (String k : new String[]{"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"})
            if (env.containsKey(k)) return true;
        return false;
    }

    /**
     * Opens the library (HRM_MPI_LIB, else the first of {@link #LIBRARIES} that loads) and calls
     * MPI_Init_thread. Fails with one line saying what to install when no library loads.
     */
    public static Mpi init(Map<String, String> env) {
        String chosen = env.get("HRM_MPI_LIB");
        String[] candidates = chosen != null && !chosen.isBlank() ? new String[]{chosen} : LIBRARIES;
        StringBuilder why = new StringBuilder();
        for (String c : candidates) {
            try {
                return new Mpi(c);
            } catch (Throwable t) {
                why.append(why.isEmpty() ? "" : "; ").append(c).append(": ").append(hrm.io.ErrorText.of(t));
            }
        }
        throw new IllegalArgumentException("started by an MPI launcher, but no MPI library could be loaded (" + why
                + "); install Open MPI (Debian: apt-get install openmpi-bin libopenmpi3) or name the library in HRM_MPI_LIB");
    }

    public int rank() {
        return rank;
    }

    public int size() {
        return size;
    }

    /** The library's own version line (MPI_Get_library_version), and which file. */
    public String describe() {
        return version + " (" + library + ")";
    }

    /** Sums {@code count} floats at {@code buf} (native or heap memory) over every rank, in place. */
    public void allreduceSumFloats(MemorySegment buf, int count) {
        allreduce(buf, count, floatType, sumOp);
    }

    /** Sums {@code count} doubles at {@code buf} over every rank, in place. */
    public void allreduceSumDoubles(MemorySegment buf, int count) {
        allreduce(buf, count, doubleType, sumOp);
    }

    /** Every rank's {@code bytes} bytes, concatenated in rank order into {@code out} (size x bytes). */
    public void allgatherBytes(MemorySegment in, MemorySegment out, int bytes) {
        barrier(); // then the critical call only moves data (see the class comment)
        try {
            check((int) allgather.invokeExact(in, bytes, byteType, out, bytes, byteType, commWorld), "MPI_Allgather");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("MPI_Allgather: " + t, t);
        }
    }

    /** Returns when every rank has called it: where a collective on heap memory waits for the others (see the class comment). */
    private void barrier() {
        try {
            check((int) barrier.invokeExact(commWorld), "MPI_Barrier");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("MPI_Barrier: " + t, t);
        }
    }

    /** Ends every rank of the job (MPI_Abort): what a failing rank does so that the others never wait for it. */
    public void abort(int code) {
        try {
            int ignored = (int) abort.invokeExact(commWorld, code);
        } catch (Throwable t) {
            Runtime.getRuntime().halt(code);
        }
    }

    @Override
    public synchronized void close() {
        if (finalized) return;
        finalized = true;
        try {
            check((int) finalizeCall.invokeExact(), "MPI_Finalize");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** In place (MPI_IN_PLACE), invoked exactly: a training step calls this, and a generic invocation would allocate. */
    private void allreduce(MemorySegment buf, int count, MemorySegment type, MemorySegment op) {
        barrier(); // then the critical call only moves data (see the class comment)
        try {
            check((int) allreduce.invokeExact(IN_PLACE, buf, count, type, op, commWorld), "MPI_Allreduce");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("MPI_Allreduce: " + t, t);
        }
    }

    private MethodHandle handle(String name, FunctionDescriptor d, Linker.Option... options) {
        return linker.downcallHandle(lib.find(name).orElseThrow(() -> new IllegalStateException("symbol " + name + " missing")), d, options);
    }

    private MemorySegment symbol(String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException("symbol " + name + " missing"));
    }

    private static void check(int rc, String what) {
        if (rc != 0) throw new IllegalStateException(what + " returned error " + rc);
    }

    private void setenv(String k, String v) throws Throwable {
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        try (Arena a = Arena.ofConfined()) {
            if ((int) setenv.invokeExact(a.allocateFrom(k), a.allocateFrom(v), 1) != 0) throw new IllegalStateException("setenv " + k + " failed");
        }
    }
}
