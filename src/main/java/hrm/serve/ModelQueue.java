package hrm.serve;

import hrm.api.Answer;
import hrm.api.Puzzle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded line in front of the model: one worker (the model runs one call at a time anyway,
 * under {@link hrm.api.HrmModel}'s lock, on every core) and a queue of fixed length. A request that
 * finds the queue full is refused at once (503) rather than piling up threads and memory; one that
 * waits and runs longer than the time limit is answered 504 (it leaves the queue if it has not
 * started; a puzzle already in the model runs to its end, as the model cannot be interrupted).
 *
 * <p>Plain solves are batched: when the worker takes one, it takes with it up to {@code batch - 1}
 * other plain solves waiting for puzzles of the same size, and runs them as one batch
 * ({@link Solver#solveAll}), each answered exactly as alone. Other work (a trace, a solve with
 * views, which is a batch of its own) runs by itself.
 */
final class ModelQueue implements AutoCloseable {
    private final ArrayBlockingQueue<Job<?>> waiting;
    private final Duration limit;
    private final int batch;
    private final Solver solver;
    private final Thread worker;
    private final AtomicLong modelCalls = new AtomicLong();
    private volatile boolean closed;

    /** A request's work: a plain solve of {@code puzzle} (batched), or {@code work}; one object per request (compared by identity). */
    private static final class Job<T> {
        final Puzzle puzzle;
        final Callable<T> work;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Job(Puzzle puzzle, Callable<T> work) {
            this.puzzle = puzzle;
            this.work = work;
        }

        boolean batchesWith(Job<?> first) {
            return puzzle != null && puzzle.tokens().length == first.puzzle.tokens().length;
        }
    }

    ModelQueue(int length, Duration limit, int batch, Solver solver) {
        if (length < 1) throw new IllegalArgumentException("queue length: " + length + ", expected 1 or more");
        if (batch < 1) throw new IllegalArgumentException("batch: " + batch + ", expected 1 or more");
        this.waiting = new ArrayBlockingQueue<>(length);
        this.limit = limit;
        this.batch = batch;
        this.solver = solver;
        this.worker = new Thread(this::work, "hrm-serve-model");
        worker.setDaemon(true); // a stuck puzzle must not keep the JVM from exiting on SIGTERM
        worker.start();
    }

    /** {@code work}'s result, run in turn by itself; ApiError 503 when the queue is full, 504 past the time limit. */
    <T> T run(Callable<T> work) {
        return submit(new Job<>(null, work));
    }

    /** The plain answer to {@code p}, computed in a batch with other waiting puzzles of its size; errors as {@link #run}. */
    Answer solve(Puzzle p) {
        return submit(new Job<Answer>(p, null));
    }

    private <T> T submit(Job<T> job) {
        if (closed) throw new ApiError(503, "the server is stopping");
        if (!waiting.offer(job))
            throw new ApiError(503, "busy: " + waiting.size() + " requests are already waiting for the model; try again later");
        try {
            return job.result.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            giveUp(job);
            throw new ApiError(504, "timeout: no answer within " + limit.toSeconds() + " s");
        } catch (InterruptedException e) {
            giveUp(job);
            Thread.currentThread().interrupt();
            throw new ApiError(503, "the server is stopping");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A caller no longer waits: the job leaves the queue (freeing its place) and is skipped if the worker holds it already. */
    private void giveUp(Job<?> job) {
        job.result.cancel(false);
        waiting.remove(job);
    }

    /** The worker: one job, or one batch of plain solves, at a time, until closed. */
    private void work() {
        while (!closed) {
            Job<?> first;
            try {
                first = waiting.take();
            } catch (InterruptedException e) {
                return; // closed
            }
            if (first.result.isDone()) continue; // given up on
            if (first.puzzle == null) {
                runAlone(first);
                continue;
            }
            List<Job<?>> together = new ArrayList<>(List.of(first));
            for (Iterator<Job<?>> it = waiting.iterator(); it.hasNext() && together.size() < batch; ) {
                Job<?> j = it.next();
                if (j.batchesWith(first) && waiting.remove(j) && !j.result.isDone()) together.add(j);
            }
            solveTogether(together);
        }
    }

    private <T> void runAlone(Job<T> job) {
        modelCalls.incrementAndGet();
        try {
            job.result.complete(job.work.call());
        } catch (Throwable t) {
            job.result.completeExceptionally(t);
        }
    }

    /** Plain solves of one size as one batch; a puzzle the model refuses is answered with its refusal, the others still run. */
    @SuppressWarnings("unchecked")
    private void solveTogether(List<Job<?>> jobs) {
        List<CompletableFuture<Answer>> results = new ArrayList<>();
        List<Puzzle> puzzles = new ArrayList<>();
        for (Job<?> j : jobs) {
            CompletableFuture<Answer> result = (CompletableFuture<Answer>) j.result;
            try {
                solver.prepare(j.puzzle);
                results.add(result);
                puzzles.add(j.puzzle);
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }
        if (puzzles.isEmpty()) return;
        modelCalls.incrementAndGet();
        try {
            List<Answer> answers = solver.solveAll(puzzles);
            for (int i = 0; i < answers.size(); i++) results.get(i).complete(answers.get(i));
        } catch (Throwable t) {
            for (CompletableFuture<Answer> r : results) r.completeExceptionally(t);
        }
    }

    /** Requests waiting for the model (not counting those it runs). */
    int waiting() {
        return waiting.size();
    }

    /** How many times the worker has called the model: a batch of plain solves counts once. */
    long modelCalls() {
        return modelCalls.get();
    }

    /** Stops taking work; waiting requests are answered 503. */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        for (Job<?> j; (j = waiting.poll()) != null; ) j.result.completeExceptionally(new ApiError(503, "the server is stopping"));
    }
}
