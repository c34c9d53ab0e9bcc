package dev.conduit.observe;

import dev.conduit.store.RequestLogEntry;
import dev.conduit.store.RequestLogRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes request log rows off the request path: requests put rows on a bounded queue (never
 * blocking), and writer threads (one, or several on PostgreSQL: {@code requestLog.writers}) take
 * them in batches, each batch one transaction. While the database is down a writer keeps its batch
 * and retries, so rows wait rather than vanish; only when the queue itself is full are new rows
 * dropped, and every drop is counted ({@code conduit_request_log_dropped_total}) and logged.
 * Writers may commit out of order: each row carries its own time, and a batch's rollups take row
 * locks in one order, so two writers never deadlock.
 */
public final class RequestLogWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RequestLogWriter.class);
  private static final long MAX_BACKOFF_MS = 2_000;

  private final BlockingQueue<RequestLogEntry> queue;
  private final RequestLogRepository repository;
  private final int batchSize;
  private final long lingerMs;
  private final long shutdownGraceMs;
  private final List<BatchWriter> writers = new ArrayList<>();
  private final Counter dropped;
  private final Counter written;

  /** Rows taken from the queue into batches not yet committed, all writers together. */
  private final AtomicLong inBatches = new AtomicLong();

  private final AtomicLong droppedSinceWarning = new AtomicLong();
  private volatile boolean running = true;

  /** Set once the thread has stopped: no row queued from then on would be written by it. */
  private volatile boolean closed;

  private volatile String lastError;

  public RequestLogWriter(
      RequestLogRepository repository,
      int writerThreads,
      int capacity,
      int batchSize,
      long lingerMs,
      long shutdownGraceMs,
      MeterRegistry metrics) {
    this.repository = repository;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.batchSize = batchSize;
    this.lingerMs = lingerMs;
    this.shutdownGraceMs = shutdownGraceMs;
    for (int i = 1; i <= writerThreads; i++) {
      writers.add(new BatchWriter("conduit-request-log-" + i));
    }
    this.dropped =
        Counter.builder("conduit.request.log.dropped")
            .description("Request log rows dropped because the write queue was full")
            .register(metrics);
    this.written =
        Counter.builder("conduit.request.log.written")
            .description("Request log rows written to the database")
            .register(metrics);
    Gauge.builder("conduit.request.log.pending", this, RequestLogWriter::pending)
        .description("Request log rows waiting to be written")
        .register(metrics);
    Gauge.builder(
            "conduit.request.log.writer.stalled.seconds",
            this,
            writer -> writer.stalledMillis() / 1_000.0)
        .description(
            "How long the request log writer has had rows waiting without committing; 0 while"
                + " it keeps up")
        .register(metrics);
    writers.forEach(writer -> writer.thread.start());
  }

  /**
   * Queues a row; never blocks. A full queue drops the row, counted and logged. So does a writer
   * already closed: {@link #close} writes the rows queued before it finished, and a row that comes
   * later is counted and logged rather than left in the queue unseen.
   */
  public void submit(RequestLogEntry entry) {
    if (!queue.offer(entry)) {
      dropped.increment();
      if (droppedSinceWarning.getAndIncrement() == 0) {
        log.error(
            "Request log queue is full ({} rows waiting): dropping rows until it drains; "
                + "see conduit_request_log_dropped_total",
            queue.size());
      }
      return;
    }
    // Queued before close() set the flag: close()'s last drain takes it. Otherwise whoever removes
    // it first decides: close() writes it, or it is counted here.
    if (closed && queue.remove(entry)) {
      dropped.increment();
      log.error(
          "A request log row came after the writer stopped and was not written (request {}); "
              + "see conduit_request_log_dropped_total",
          entry.requestId());
    }
  }

  /** Rows not yet written (queued or in a batch being written). */
  public long pending() {
    return queue.size() + inBatches.get();
  }

  /**
   * How long rows have been waiting without a commit: since the writer furthest behind last
   * committed or found the queue empty, while rows are pending; 0 when none are. A writer blocked
   * on the database (a statement waiting on a dead connection) shows here before any error does,
   * also while another writer still commits.
   */
  public long stalledMillis() {
    if (pending() == 0) {
      return 0;
    }
    long now = System.nanoTime();
    long furthestBehind = 0;
    for (BatchWriter writer : writers) {
      furthestBehind = Math.max(furthestBehind, now - writer.caughtUpNanos);
    }
    return TimeUnit.NANOSECONDS.toMillis(furthestBehind);
  }

  /** The last write error while rows are waiting, or null when writes succeed. */
  public String lastError() {
    return lastError;
  }

  /** One writer thread: takes a batch from the queue, writes it, and again. */
  private final class BatchWriter implements Runnable {
    private final Thread thread;

    /** When this writer last had nothing left to write (a commit, or an empty queue). */
    private volatile long caughtUpNanos = System.nanoTime();

    BatchWriter(String name) {
      thread = new Thread(this, name);
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      List<RequestLogEntry> batch = new ArrayList<>(batchSize);
      long backoffMs = 100;
      long stopDeadline = Long.MAX_VALUE;
      while (true) {
        if (!running && stopDeadline == Long.MAX_VALUE) {
          stopDeadline = System.currentTimeMillis() + shutdownGraceMs;
        }
        if (batch.isEmpty()) {
          if (!fillBatch(batch)) {
            caughtUpNanos = System.nanoTime();
            if (!running) {
              return;
            }
            continue;
          }
        }
        try {
          repository.insertBatch(batch);
          written.increment(batch.size());
          inBatches.addAndGet(-batch.size());
          batch.clear();
          caughtUpNanos = System.nanoTime();
          backoffMs = 100;
          if (lastError != null) {
            log.info("Request log writes resumed; {} rows still queued", queue.size());
            lastError = null;
          }
          long droppedRows = droppedSinceWarning.getAndSet(0);
          if (droppedRows > 0) {
            log.warn("{} request log rows were dropped while the queue was full", droppedRows);
          }
        } catch (SQLException | RuntimeException e) {
          if (lastError == null) {
            log.warn(
                "Request log write failed; {} rows wait and will be retried: {}",
                pending(),
                e.getMessage());
          }
          lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
          if (System.currentTimeMillis() >= stopDeadline) {
            // This writer's batch, and what the queue still holds: no writer will write those.
            long lost = batch.size() + queue.size();
            dropped.increment(batch.size());
            inBatches.addAndGet(-batch.size());
            List<RequestLogEntry> rest = new ArrayList<>();
            queue.drainTo(rest);
            dropped.increment(rest.size());
            log.error(
                "Shutting down with the database unreachable: {} request log rows were "
                    + "not written",
                lost);
            return;
          }
          pause(backoffMs);
          backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        }
      }
    }

    /**
     * Takes up to a batch of rows from the queue, waiting briefly for the first, then lingering for
     * more. Writing whatever had arrived at once meant a commit every few rows under load: the
     * writer thread then took 30% of the gateway's CPU at 34,000 requests/s (perf, bench/run.sh).
     * While it lingers it waits on no lock, so requests queueing rows do not wake it either.
     */
    private boolean fillBatch(List<RequestLogEntry> batch) {
      try {
        RequestLogEntry first = running ? queue.poll(200, TimeUnit.MILLISECONDS) : queue.poll();
        if (first == null) {
          return false;
        }
        batch.add(first);
        inBatches.addAndGet(1 + queue.drainTo(batch, batchSize - 1));
        if (running && lingerMs > 0 && batch.size() < batchSize) {
          Thread.sleep(lingerMs);
          inBatches.addAndGet(queue.drainTo(batch, batchSize - batch.size()));
        }
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
        return !batch.isEmpty(); // rows taken are written, not left behind
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Writes what is queued, waiting up to the shutdown grace period, and stops. Rows queued while
   * the writers were finishing are written here, on the closing thread.
   */
  @Override
  public void close() {
    running = false;
    long deadline = System.currentTimeMillis() + shutdownGraceMs + 5_000;
    for (BatchWriter writer : writers) {
      try {
        writer.thread.join(Math.max(1, deadline - System.currentTimeMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (writer.thread.isAlive()) {
        return; // still retrying a dead database within its grace: it counts what it cannot write
      }
    }
    closed = true;
    List<RequestLogEntry> late = new ArrayList<>();
    queue.drainTo(late);
    if (late.isEmpty()) {
      return;
    }
    try {
      repository.insertBatch(late);
      written.increment(late.size());
    } catch (SQLException | RuntimeException e) {
      dropped.increment(late.size());
      log.error(
          "Shutting down: {} request log rows queued at the last moment were not written: {}",
          late.size(),
          e.getMessage());
    }
  }
}
