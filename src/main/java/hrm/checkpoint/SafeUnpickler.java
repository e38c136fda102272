package hrm.checkpoint;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads the pickle inside a {@code torch.save} file without executing anything.
 *
 * <p>Built on Pyrolite (net.razorvine:pickle), which never runs Python: a pickled "call" is
 * answered by a Java {@link IObjectConstructor} looked up by the global's name. Its default lookup
 * is permissive (an unknown global becomes a dictionary-like stand-in, a few datetime/array types
 * get reflective constructors), so this subclass takes over every opcode that names a global
 * (GLOBAL, STACK_GLOBAL, INST) and answers only from {@link #ALLOWED}: the tensor rebuild
 * functions, the storage classes and {@code collections.OrderedDict}. Anything else, such as
 * {@code os.system} or {@code builtins.eval}, is refused when the global is named, before any
 * REDUCE could use it. Since the stack can then only hold these constructors, REDUCE, NEWOBJ and
 * OBJ can call nothing else. BUILD (which Pyrolite answers by reflection) is accepted only on an
 * OrderedDict, where torch stores the state dict's {@code _metadata}, and ignored there.
 *
 * <p>Length-prefixed opcodes are checked against the bytes that remain, so a corrupt length
 * cannot make the reader allocate gigabytes. Dicts keep their insertion order.
 */
final class SafeUnpickler extends Unpickler {

    /** A torch storage class ({@code torch.FloatStorage}, ...): only ever referenced in a persistent id. */
    record StorageType(String global, DType dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException(global + " is a storage type; a checkpoint only refers to it, never calls it");
        }
    }

    /** The persistent id {@code ('storage', type, key, location, numel)}: the bytes live in {@code data/<key>}. */
    record StorageRef(StorageType type, String key, String location, long numel) {}

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, ...)}: a view of a storage, in elements. */
    record PickledTensor(StorageRef storage, long offset, long[] size, long[] stride) {}

    /** What {@code collections.OrderedDict()} builds; the only object BUILD may touch. */
    static final class OrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
    }

    static final Map<String, IObjectConstructor> ALLOWED = allowed();

    private static Map<String, IObjectConstructor> allowed() {
        Map<String, IObjectConstructor> m = new LinkedHashMap<>();
        m.put("torch._utils._rebuild_tensor_v2", args -> rebuildTensor(args, "_rebuild_tensor_v2", 6, 7));
        m.put("torch._utils._rebuild_tensor", args -> rebuildTensor(args, "_rebuild_tensor", 4, 4));
        m.put("torch._utils._rebuild_parameter", args -> {
            if (args.length != 3 || !(args[0] instanceof PickledTensor t))
                throw new PickleException("_rebuild_parameter expects (tensor, requires_grad, backward_hooks)");
            return t;
        });
        m.put("collections.OrderedDict", args -> {
            if (args.length != 0) throw new PickleException("collections.OrderedDict called with arguments");
            return new OrderedDict();
        });
        Object[][] storages = {{"FloatStorage", DType.F32}, {"BFloat16Storage", DType.BF16}, {"HalfStorage", DType.F16},
                {"DoubleStorage", DType.F64}, {"LongStorage", DType.I64}, {"IntStorage", DType.I32},
                {"ShortStorage", DType.I16}, {"CharStorage", DType.I8}, {"ByteStorage", DType.U8}, {"BoolStorage", DType.BOOL}};
        for (Object[] s : storages) m.put("torch." + s[0], new StorageType("torch." + s[0], (DType) s[1]));
        return Map.copyOf(m);
    }

    private final Path file;
    private final String at;

    /** {@code file} and {@code entry} (the pickle's name inside it) are named in messages. */
    SafeUnpickler(Path file, String entry) {
        this.file = file;
        this.at = entry + ": ";
    }

    /** Unpickles {@code bytes}; a refused global or malformed stream is a {@link CheckpointFormatException}. */
    Object read(byte[] bytes) {
        try {
            return load(new ByteArrayInputStream(bytes));
        } catch (CheckpointFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointFormatException(file, at + "truncated pickle (" + hrm.io.ErrorText.of(e) + ")");
        } catch (RuntimeException e) {
            throw new CheckpointFormatException(file, at + "corrupt pickle: " + e, e);
        } finally {
            close();
        }
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        switch (key) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input), name = PickleUtils.readline(input);
                stack.add(global(module, name));
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop(), module = stack.pop();
                if (!(module instanceof String m) || !(name instanceof String n))
                    throw new CheckpointFormatException(file, at + "STACK_GLOBAL with non-string module or name");
                stack.add(global(m, n));
            }
            case Opcodes.INST -> {
                String module = PickleUtils.readline(input), name = PickleUtils.readline(input);
                throw refused(module + "." + name);
            }
            case Opcodes.BUILD -> {
                Object state = stack.pop();
                if (!(stack.peek() instanceof OrderedDict) || !(state instanceof Map))
                    throw new CheckpointFormatException(file, at + "refused BUILD (setting the state of a "
                            + describe(stack.peek()) + "); only an OrderedDict's attributes may be set");
            }
            case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
            case Opcodes.DICT -> {
                List<Object> items = stack.pop_all_since_marker();
                Map<Object, Object> d = new LinkedHashMap<>();
                putPairs(d, items);
                stack.add(d);
            }
            case Opcodes.SETITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                if (!(stack.peek() instanceof Map<?, ?> target)) throw new CheckpointFormatException(file, at + "SETITEMS on a " + describe(stack.peek()));
                @SuppressWarnings("unchecked") Map<Object, Object> d = (Map<Object, Object>) target;
                putPairs(d, items);
            }
            case Opcodes.BINUNICODE, Opcodes.BINSTRING, Opcodes.BINBYTES -> {
                checkLength(4);
                return super.dispatch(key);
            }
            case Opcodes.LONG4 -> {
                checkLength(4);
                checkLiteralBytes(4);
                return super.dispatch(key);
            }
            case Opcodes.INT, Opcodes.LONG, Opcodes.FLOAT -> {
                checkTextLiteral();
                return super.dispatch(key);
            }
            case Opcodes.BINUNICODE8, Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> {
                checkLength(8);
                return super.dispatch(key);
            }
            default -> {
                return super.dispatch(key);
            }
        }
        return NO_RETURN_VALUE;
    }

    private IObjectConstructor global(String module, String name) {
        IObjectConstructor c = ALLOWED.get(module + "." + name);
        if (c == null) throw refused(module + "." + name);
        return c;
    }

    private CheckpointFormatException refused(String global) {
        return new CheckpointFormatException(file, at + "refused to load global '" + global + "': a checkpoint may only rebuild tensors ("
                + String.join(", ", new TreeSet<>(ALLOWED.keySet())) + "); nothing was executed");
    }

    private void putPairs(Map<Object, Object> d, List<Object> items) {
        if (items.size() % 2 != 0) throw new CheckpointFormatException(file, at + "dict items with an odd count " + items.size());
        for (int i = 0; i < items.size(); i += 2) d.put(items.get(i), items.get(i + 1));
    }

    /**
     * Numbers in a checkpoint are shapes, strides, offsets and sizes: a decimal literal longer than
     * this is refused before it is parsed, since parsing one is quadratic in its length (a
     * 2,000,000-digit LONG would take over a minute).
     */
    static final int MAX_NUMBER_CHARS = 64;

    /** A text literal (INT, LONG, FLOAT: digits up to a newline) may be at most {@link #MAX_NUMBER_CHARS} long. */
    private void checkTextLiteral() throws IOException {
        input.mark(MAX_NUMBER_CHARS + 2);
        byte[] b = input.readNBytes(MAX_NUMBER_CHARS + 2);
        input.reset();
        for (byte c : b) if (c == '\n') return;
        throw new CheckpointFormatException(file, at + "a numeric literal longer than " + MAX_NUMBER_CHARS + " characters (no newline within "
                + (MAX_NUMBER_CHARS + 1) + " bytes)");
    }

    /** A LONG4 integer may span at most 16 bytes (a checkpoint's integers fit in 8). */
    private void checkLiteralBytes(int width) throws IOException {
        input.mark(width);
        byte[] b = input.readNBytes(width);
        input.reset();
        long len = PickleUtils.bytes_to_uint(b, 0);
        if (len > 16) throw new CheckpointFormatException(file, at + "a " + len + "-byte integer literal (at most 16 accepted)");
    }

    /** The next {@code width}-byte little-endian length must not exceed what is left of the pickle. */
    private void checkLength(int width) throws IOException {
        input.mark(width);
        byte[] b = input.readNBytes(width);
        input.reset();
        if (b.length < width) throw new IOException("premature end of file in a length field");
        long len = width == 4 ? PickleUtils.bytes_to_uint(b, 0) : PickleUtils.bytes_to_long(b, 0);
        if (len < 0 || len > input.available() - width)
            throw new IOException("a length field says " + Long.toUnsignedString(len) + " bytes but only " + (input.available() - width) + " remain");
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (pid instanceof Object[] t && t.length == 5 && "storage".equals(t[0]) && t[1] instanceof StorageType type
                && t[2] instanceof String key && t[3] instanceof String location && t[4] instanceof Number n)
            return new StorageRef(type, key, location, toLong(n, "storage numel"));
        throw new CheckpointFormatException(file, at + "unexpected persistent id " + describe(pid)
                + " (expected ('storage', <storage type>, key, location, numel))");
    }

    private static PickledTensor rebuildTensor(Object[] args, String fn, int minArgs, int maxArgs) {
        if (args.length < minArgs || args.length > maxArgs)
            throw new PickleException(fn + " called with " + args.length + " arguments");
        if (!(args[0] instanceof StorageRef storage)) throw new PickleException(fn + ": first argument is not a storage");
        if (!(args[1] instanceof Number off)) throw new PickleException(fn + ": storage offset is not an integer");
        long[] size = longs(args[2], fn + " size"), stride = longs(args[3], fn + " stride");
        if (size.length != stride.length)
            throw new PickleException(fn + ": size has " + size.length + " dimensions, stride " + stride.length);
        return new PickledTensor(storage, toLong(off, fn + " storage offset"), size, stride);
    }

    private static long[] longs(Object o, String what) {
        if (!(o instanceof Object[] a)) throw new PickleException(what + " is not a tuple");
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            if (!(a[i] instanceof Number n)) throw new PickleException(what + "[" + i + "] is not an integer");
            out[i] = toLong(n, what);
        }
        return out;
    }

    private static long toLong(Number n, String what) {
        if (n instanceof BigInteger b) {
            if (b.bitLength() > 63) throw new PickleException(what + " = " + b + " is out of range");
            return b.longValue();
        }
        if (n instanceof Double || n instanceof Float) throw new PickleException(what + " = " + n + " is not an integer");
        return n.longValue();
    }

    private static String describe(Object o) {
        if (o == null) return "None";
        if (o instanceof Object[] a) return "tuple of " + a.length;
        return o.getClass().getSimpleName();
    }
}
