import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.h2.mvstore.MVStore;

/**
 * warnflow's embedded MongoDB wire-protocol server (mongo-java-server).
 *
 * Usage: WarnflowMongoServer --port N [--file path/to/db.mv] [--parent-pid PID]
 * Without --file the memory backend is used (tests); with it, the H2 backend on an MVStore file
 * (the main run). Binds loopback only. Prints "READY <port>" once it accepts connections.
 */
public final class WarnflowMongoServer {
    /** The MVStore file of the main run, opened as the server opens it (also used by the store's soak test). */
    public static MVStore openStore(String file) {
        // A 512 MB page cache: with H2's default 16 MB a 100k-document scan takes ~35x longer.
        MVStore store = new MVStore.Builder().fileName(file).cacheSize(512).open();
        // The file only grows while documents are rewritten; compact what the last run left.
        store.compactFile(10_000);
        return store;
    }

    /** The H2 backend over an open store, as the server serves it. */
    public static MongoBackend fileBackend(MVStore store) {
        return new H2Backend(store);
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
