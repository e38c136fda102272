package hrm.cli;

import hrm.runtime.CheckpointResolver;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/**
 * The checkpoint a command loads, named the same two ways in every command: {@code --checkpoint PATH}
 * (the form the help shows) and {@code checkpoint=PATH} (the style of the authors' evaluate.py, which
 * eval and analyze took first). A picocli mixin, so both are declared once; {@link CheckpointResolver}
 * turns the path into the checkpoint.
 */
final class CheckpointOption {
    static final String FLAG = "--checkpoint";
    /** checkpoint=PATH, taken by this option rather than by the command's KEY=VALUE list (whose checks still name it). */
    static final String KEY = "checkpoint";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = FLAG, paramLabel = "PATH", description = {"a run directory of hrm train (its latest step_N), a step_N directory, "
            + "a .safetensors file or a released torch checkpoint (all_config.yaml beside the files); checkpoint=PATH is accepted too"})
    Path flag;

    // An option named without dashes: picocli matches "checkpoint=PATH" as this option wherever it
    // stands, so it is never taken for a KEY=VALUE or for a positional parameter (solve's KIND).
    // Hidden: the help shows the one form.
    @Option(names = KEY, paramLabel = "PATH", hidden = true)
    Path key;

    /** The path the user named, in either form; refused when neither is given, or both with different paths. */
    Path named() {
        if (flag != null && key != null && !flag.toAbsolutePath().normalize().equals(key.toAbsolutePath().normalize()))
            throw new IllegalArgumentException(FLAG + " " + flag + " and checkpoint=" + key + " name two checkpoints; give one");
        if (flag == null && key == null) throw new IllegalArgumentException(FLAG + " PATH is required (or checkpoint=PATH)");
        Path named = flag != null ? flag : key;
        // an empty path is the working directory to java.nio: refused rather than searched for steps
        if (named.toString().isEmpty()) throw new IllegalArgumentException((flag != null ? FLAG + " ''" : "checkpoint=") + ": an empty path");
        return named;
    }

    /** The checkpoint to load ({@link CheckpointResolver}); the step taken from a run directory is said on stderr. */
    Path resolve() {
        return CheckpointResolver.resolve(named(), command.commandLine().getErr(), command.qualifiedName());
    }
}
