package hrm.cli;

import hrm.model.HrmAct;
import hrm.model.ModelConfig;
import hrm.model.Parameters;
import hrm.runtime.Backends;
import hrm.tensor.DataType;
import hrm.tensor.cpu.ThreadCount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * Measures again, on this machine, which path computes each bfloat16 matrix product of a model
 * fastest, and keeps the choices for later runs (which otherwise measure a shape the first time
 * they meet it). Prints every product's rates on each path and the choice.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        header = "Measure the fastest path for each bfloat16 product on this machine",
        description = {"Measure which path (oneDNN or the Java kernels) computes each bfloat16 matrix product of a model fastest on this machine;",
                "the choices are kept (under $HRM_CACHE_DIR or ~/.cache/hrm-java) for every later run with the same shapes.",
                "Runs measure a new shape by themselves the first time; this measures again, e.g. on a quiet machine."})
public final class TuneCommand implements Callable<Integer> {
    @Mixin
    BenchModel shape = new BenchModel();
    @Option(names = "--threads", description = "worker threads, as the runs that will use the choices (default: all cores)")
    Integer threads;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelConfig cfg = shape.config();
        int t = ThreadCount.orDefault("--threads", threads);
        PrintWriter out = spec.commandLine().getOut();
        if (cfg.activationType() != DataType.BFLOAT16) {
            out.println("float32: every product runs on the Java kernels; nothing to choose");
            return 0;
        }
        // a training model announces its products: they are measured now
        Backends.tune(t, out, spec.commandLine().getErr(), shape.name(), be -> new HrmAct(new Parameters(cfg, be), be, true));
        return 0;
    }
}
