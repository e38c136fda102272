package hrm.cli;

import hrm.train.Trainer;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM during training: the run finishes the step in progress, saves a checkpoint and
 * stops, so that {@code --resume} (or the same {@code hrm demo} again) continues where it stopped
 * rather than from the last periodic checkpoint. The JVM runs shutdown hooks while the training
 * thread goes on: the hook asks the trainer to stop and waits for the save, at most
 * {@value #WAIT_SECONDS} s (a step and a checkpoint write), then lets the JVM end. SIGKILL cannot
 * be caught: the periodic checkpoints and the atomic writes cover it.
 */
final class SaveOnSignal {
    static final int WAIT_SECONDS = 120;

    private SaveOnSignal() {}

    static Map<String, Map<String, Double>> run(Trainer trainer) {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            trainer.requestStop();
            System.err.println("\nhrm: interrupted: saving a checkpoint after this step (--resume continues from it)");
            try {
                done.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hrm-save-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return trainer.run();
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it sees done and returns
            }
        }
    }
}
