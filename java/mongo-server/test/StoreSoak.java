import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.embedded.EmbeddedChannel;
import org.h2.mvstore.MVStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Soak of the embedded store (issue 11): long reads under concurrent writes on the H2 MVStore file,
 * through the backend's command entry point exactly as the server opens it
 * (WarnflowMongoServer.openStore / fileBackend), in one process so it fits in CI.
 *
 * A long read is a read that spans many store versions while the background housekeeping rewrites
 * the old chunks it is reading — the 700,000-document weekly-report aggregation did. Here it is made
 * long cheaply: every scanned figure is tested with an expression that adds up a
 * few thousand numbers (always true). The figures are seeded in batches with keys out of order and interleaved with churn documents,
 * so their chunks end up part dead (rewrite candidates); writer threads update the churn documents, and
 * the store rewrites part-dead chunks every second as its background housekeeping does on a busy store.
 * On the server before issue 11's fix this fails with "Chunk 1 not found [2.3.232/9]" within seconds.
 *
 * Usage: StoreSoak --file path.mv [--seconds 25] [--figures 6000] [--writers 3] [--probe 40] [--pause-ms 1]
 * Prints each scan (ms, store versions it spanned, ok/error) and ends with "errors N"; exit 1 if N > 0
 * or the file does not reopen with every figure.
 */
public final class StoreSoak {
    public static void main(String[] args) throws Exception {
        String file = null;
        int seconds = 25, figures = 6_000, writers = 3, probe = 40, pauseMs = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--file": file = args[++i]; break;
                case "--seconds": seconds = Integer.parseInt(args[++i]); break;
                case "--figures": figures = Integer.parseInt(args[++i]); break;
                case "--writers": writers = Integer.parseInt(args[++i]); break;
                case "--probe": probe = Integer.parseInt(args[++i]); break;
                case "--pause-ms": pauseMs = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (file == null) throw new IllegalArgumentException("--file is required");

        MVStore store = WarnflowMongoServer.openStore(file);
        MongoBackend backend = WarnflowMongoServer.fileBackend(store);
        EmbeddedChannel channel = new EmbeddedChannel();
        List<Integer> probeValue = new ArrayList<>();
        for (int i = 0; i < 50; i++) probeValue.add(i);

        long expectedOffline = 0;
        long t = System.currentTimeMillis();
        for (int s = 0; s < figures; s += 1000) {
            List<Document> batch = new ArrayList<>();
            for (int k = s; k < Math.min(figures, s + 1000); k++) {
                int i = (int) ((k * 7919L) % figures);
                expectedOffline += i % 97;
                batch.add(new Document("_id", "f" + i).append("day", "2026-11-" + (16 + i % 7)).append("offlineSeconds", i % 97)
                    .append("probe", probeValue).append("pad", "x".repeat(400)));
            }
            command(backend, channel, "insert", new Document("insert", "figures").append("documents", batch).append("ordered", true));
            List<Document> churn = new ArrayList<>();
            for (int j = 0; j < 1000; j++) churn.add(new Document("_id", "c" + (s + j)).append("payload", "y".repeat(2000)));
            command(backend, channel, "insert", new Document("insert", "churn").append("documents", churn).append("ordered", true));
        }
        System.out.printf("seeded %d figures in %d ms, store version %d%n", figures, System.currentTimeMillis() - t, store.getCurrentVersion());

        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicLong writes = new AtomicLong();
        int churnDocs = (figures + 999) / 1000 * 1000;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            final int writer = w;
            final int pause = pauseMs;
            threads.add(new Thread(() -> {
                EmbeddedChannel ch = new EmbeddedChannel();
                for (int i = 0; !stop.get(); i++) {
                    try {
                        Document update = new Document("q", new Document("_id", "c" + ((i * 31 + writer * 1000) % churnDocs)))
                            .append("u", new Document("$set", new Document("payload", String.format("%-2000s", writer + "/" + i))))
                            .append("upsert", true);
                        command(backend, ch, "update", new Document("update", "churn").append("updates", List.of(update)).append("ordered", true));
                        writes.incrementAndGet();
                        if (pause > 0) Thread.sleep(pause);
                    } catch (Throwable e) {
                        errors.add("write: " + e);
                    }
                }
            }, "writer-" + w));
        }
        final long expectedSum = expectedOffline;
        final int expectedCount = figures;
        // Always true, and costs `probe` × 50 additions of the server's expression interpreter per figure.
        List<String> copies = new ArrayList<>();
        for (int i = 0; i < probe; i++) copies.add("$probe");
        Document slowFilter = new Document("$expr", new Document("$gte", List.of(
            new Document("$reduce", new Document("input", new Document("$concatArrays", copies)).append("initialValue", 0)
                .append("in", new Document("$add", List.of("$$value", "$$this")))),
            0)));
        threads.add(new Thread(() -> {
            EmbeddedChannel ch = new EmbeddedChannel();
            for (int scan = 0; !stop.get(); scan++) {
                long v0 = store.getCurrentVersion();
                long t0 = System.currentTimeMillis();
                String outcome;
                try {
                    Document response = command(backend, ch, "find", new Document("find", "figures").append("filter", slowFilter)
                        .append("projection", new Document("offlineSeconds", 1)).append("batchSize", Integer.MAX_VALUE));
                    @SuppressWarnings("unchecked")
                    List<Document> docs = (List<Document>) ((Document) response.get("cursor")).get("firstBatch");
                    long sum = 0;
                    for (Document d : docs) sum += ((Number) d.get("offlineSeconds")).longValue();
                    outcome = docs.size() == expectedCount && sum == expectedSum ? "ok" : "WRONG " + docs.size() + " / " + sum;
                    if (!outcome.equals("ok")) errors.add("read: " + outcome);
                } catch (Throwable e) {
                    outcome = "ERROR " + e;
                    errors.add("read: " + e);
                }
                System.out.printf("scan %d: %d ms, versions %d → %d, %s%n", scan, System.currentTimeMillis() - t0, v0, store.getCurrentVersion(), outcome);
            }
        }, "reader"));
        // H2's background housekeeping rewrites part-dead chunks when the store is busy (a 700,000-document scan
        // that misses the page cache is); here it is asked for every second, so it happens within a CI-sized run.
        threads.add(new Thread(() -> {
            while (!stop.get()) {
                try {
                    store.compact(80, 5 << 20);
                    if (System.getenv("STORE_SOAK_VERBOSE") != null) {
                        StringBuilder line = new StringBuilder("store v" + store.getCurrentVersion());
                        store.getFileStore().populateInfo((k, v) -> {
                            if (k.matches("info.(CHUNKS_FILL_RATE|CHUNK_COUNT|FILE_SIZE)")) line.append(' ').append(k.substring(5)).append('=').append(v);
                        });
                        System.out.println(line);
                    }
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                } catch (Throwable e) {
                    errors.add("housekeeping: " + e);
                }
            }
        }, "housekeeping"));
        threads.forEach(Thread::start);
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread th : threads) th.join();
        System.out.printf("writes %d, store version %d, fill rate %d %%%n", writes.get(), store.getCurrentVersion(), store.getFillRate());

        backend.close();
        if (!store.isClosed()) store.close();
        // The file opens again and holds every figure.
        MVStore reopened = WarnflowMongoServer.openStore(file);
        MongoBackend again = WarnflowMongoServer.fileBackend(reopened);
        Document count = command(again, channel, "count", new Document("count", "figures"));
        long n = ((Number) count.get("n")).longValue();
        if (n != figures) errors.add("reopened: " + n + " figures, expected " + figures);
        again.close();
        if (!reopened.isClosed()) reopened.close();

        errors.stream().limit(5).forEach(e -> System.out.println("  " + e));
        System.out.println("errors " + errors.size());
        System.exit(errors.isEmpty() ? 0 : 1);
    }

    private static Document command(MongoBackend backend, EmbeddedChannel channel, String name, Document body) {
        Document response = backend.handleCommand(channel, "soak", name, body);
        Object ok = response.get("ok");
        if (!(ok instanceof Number) || ((Number) ok).doubleValue() != 1.0) throw new IllegalStateException(name + ": " + response);
        Object writeErrors = response.get("writeErrors");
        if (writeErrors instanceof List && !((List<?>) writeErrors).isEmpty()) throw new IllegalStateException(name + ": " + writeErrors);
        return response;
    }
}
