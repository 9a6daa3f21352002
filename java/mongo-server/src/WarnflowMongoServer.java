import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

/**
 * warnflow's embedded MongoDB wire-protocol server (mongo-java-server).
 *
 * Usage: WarnflowMongoServer --port N [--file path/to/db.mv] [--parent-pid PID]
 * Without --file the memory backend is used (tests); with it, the H2 backend on an MVStore file
 * (the main run). Binds loopback only. Prints "READY <port>" once it accepts connections.
 */
public final class WarnflowMongoServer {
    /**
     * How long a freed chunk's space stays unused. Readers no longer depend on it (they hold their version, see
     * DurableH2Backend); it bounds how far the file grows under the per-command commits (every commit is a chunk:
     * H2's default 45 s let a 15,000-figure soak's file reach 365 MiB), while a chunk a crash's recovery may still
     * read stays in place for a moment after the chunk that superseded it was written.
     */
    static final int RETENTION_MS = 2_000;

    /** The MVStore file of the main run, opened as the server opens it (also used by the store's soak test). */
    public static MVStore openStore(String file) {
        // A 512 MB page cache: with H2's default 16 MB a 100k-document scan takes ~35x longer.
        MVStore store = new MVStore.Builder().fileName(file).cacheSize(512).open();
        // The file only grows while documents are rewritten; compact what the last run left.
        store.compactFile(10_000);
        // compactFile() leaves the retention time at 0 (freed space reusable at once) for the rest of the run.
        store.setRetentionTime(RETENTION_MS);
        return store;
    }

    /** The H2 backend over an open store, as the server serves it. */
    public static MongoBackend fileBackend(MVStore store) {
        return new DurableH2Backend(store);
    }

    /**
     * mongo-java-server's H2 backend reads a collection by iterating an MVMap snapshot without telling the store,
     * so H2 counts that snapshot's chunks as free once 5 newer versions exist (versionsToKeep) and its housekeeping
     * has rewritten them, and hands their space to new chunks while a long read is still walking them: "Chunk N not
     * found", "Could not deserialize" (issue 11). Here every command holds the store version it started at for as long
     * as it runs (the MVStore's own API for readers, as H2's transactions use it), and commits what it changed before
     * it answers, so a write acknowledged to a client is in the file and survives a kill -9 of this process.
     */
    static final class DurableH2Backend extends H2Backend {
        private final MVStore store;

        DurableH2Backend(MVStore store) {
            super(store);
            this.store = store;
        }

        @Override
        public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
            MVStore.TxCounter reading = store.registerVersionUsage();
            try {
                return super.handleCommand(channel, databaseName, command, query);
            } finally {
                commitAndRelease(reading);
            }
        }

        @Override
        public QueryResult handleQuery(MongoQuery query) {
            MVStore.TxCounter reading = store.registerVersionUsage();
            try {
                return super.handleQuery(query);
            } finally {
                commitAndRelease(reading);
            }
        }

        private void commitAndRelease(MVStore.TxCounter reading) {
            try {
                // A no-op when nothing changed (reads); otherwise it returns once the chunk is written.
                if (!store.isClosed()) store.commit();
            } finally {
                store.deregisterVersionUsage(reading);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int port = 27017;
        String file = null;
        long parentPid = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port": port = Integer.parseInt(args[++i]); break;
                case "--file": file = args[++i]; break;
                case "--parent-pid": parentPid = Long.parseLong(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }

        final MVStore store;
        final MongoBackend backend;
        if (file != null) {
            store = openStore(file);
            backend = fileBackend(store);
        } else {
            store = null;
            backend = new MemoryBackend();
        }
        // The Node driver 7 needs wire version >= 9 and the library's own versions report less:
        // report MongoDB 5.0 / wire version 13 (docs/mongodb-compatibility.md lists what we rely on).
        backend.version(new MongoVersion() {
            @Override public java.util.List<Integer> getVersionArray() { return java.util.List.of(5, 0, 0); }
            @Override public int getWireVersion() { return 13; }
        });

        final MongoServer server = new MongoServer(backend);
        server.enableOplog(); // change streams
        server.bind("127.0.0.1", port);

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdownNow();
            if (store != null && !store.isClosed()) {
                store.close();
            }
        }));

        System.out.println("READY " + port);
        System.out.flush();

        if (parentPid > 0) {
            // Leave no stray server behind when the process that started us dies without stopping us.
            final long watched = parentPid;
            Thread watchdog = new Thread(() -> {
                while (true) {
                    boolean alive = ProcessHandle.of(watched).map(ProcessHandle::isAlive).orElse(false);
                    if (!alive) {
                        System.exit(0);
                    }
                    try { Thread.sleep(1000); } catch (InterruptedException e) { return; }
                }
            }, "parent-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }
        Thread.currentThread().join();
    }
}
