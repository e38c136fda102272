package hrm.checkpoint;

import hrm.data.Npy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A state dict stored as a directory of {@code NAME.npy} files (the parity fixtures' {@code init/}). */
public final class NpyStateDict {
    private NpyStateDict() {}

    /** Every {@code .npy} in {@code dir}, named by its file name without the extension, sorted. */
    public static TensorMap read(Path dir) {
        TensorMap out = new TensorMap(dir);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".npy")).sorted().toList()) {
                String f = p.getFileName().toString();
                out.put(tensor(f.substring(0, f.length() - 4), Npy.read(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + hrm.io.ErrorText.of(e), e);
        }
        return out;
    }

    static NamedTensor tensor(String name, Npy.Array a) {
        DType dt = switch (a.dtype()) {
            case FLOAT32 -> DType.F32;
            case FLOAT64 -> DType.F64;
            case INT32 -> DType.I32;
            case INT64 -> DType.I64;
            case INT16 -> DType.I16;
            case INT8 -> DType.I8;
            case UINT8 -> DType.U8;
            case BOOL -> DType.BOOL;
            default -> throw new Npy.NpyFormatException(a.file(), "dtype " + a.dtype().descr + " has no tensor equivalent");
        };
        return new NamedTensor(name, dt, a.shape(), a.data());
    }
}
