package hrm.train.log;

import java.nio.file.Path;

/** Test helper run as its own process: locks a run directory, says so, and holds it until killed. */
public final class RunLockHolder {
    public static void main(String[] args) throws InterruptedException {
        RunLock.acquire(Path.of(args[0]));
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(120_000); // bounded: the test kills it long before
    }
}
