package hrm.serve;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The bounded line in front of the model: one worker (the model takes one puzzle at a time anyway,
 * under {@link hrm.api.HrmModel}'s lock, each on every core) and a queue of fixed length. A request
 * that finds the queue full is refused at once (503) rather than piling up threads and memory; one
 * that waits and runs longer than the time limit is answered 504 (its work is cancelled if it has
 * not started; a puzzle already in the model runs to its end, as the model cannot be interrupted).
 */
final class ModelQueue implements AutoCloseable {
    private final ThreadPoolExecutor worker;
    private final Duration limit;

    ModelQueue(int length, Duration limit) {
        if (length < 1) throw new IllegalArgumentException("queue length: " + length + ", expected 1 or more");
        this.limit = limit;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(length), r -> {
            Thread t = new Thread(r, "hrm-serve-model");
            t.setDaemon(true); // a stuck puzzle must not keep the JVM from exiting on SIGTERM
            return t;
        });
    }

    /** {@code work}'s result, run in turn; ApiError 503 when the queue is full, 504 past the time limit. */
    <T> T run(Callable<T> work) {
        Future<T> f;
        try {
            f = worker.submit(work);
        } catch (RejectedExecutionException e) {
            throw new ApiError(503, "busy: " + worker.getQueue().size() + " requests are already waiting for the model; try again later");
        }
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new ApiError(504, "timeout: no answer within " + limit.toSeconds() + " s");
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw new ApiError(503, "the server is stopping");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Requests waiting for the model (not counting the one it runs). */
    int waiting() {
        return worker.getQueue().size();
    }

    /** Stops taking work; waiting requests are dropped (their callers time out or see the server stop). */
    @Override
    public void close() {
        worker.shutdownNow();
    }
}
