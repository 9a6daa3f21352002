import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * warnflow's embedded MongoDB wire-protocol server (mongo-java-server).
 *
 * Usage: WarnflowMongoServer --port N [--file path/to/db.mv] [--parent-pid PID]
 *        WarnflowMongoServer --restore backup.zip --file path/to/db.mv
 * Without --file the memory backend is used (tests); with it, the H2 backend on an MVStore file
 * (the main run). Binds loopback only. Prints "READY <port>" once it accepts connections.
 * On the file backend the admin command {warnflowBackup: "<name>.zip", include: ["uploads", …]} writes
 * a consistent copy of the running store (and the named folders beside it) to <data folder>/backups/;
 * --restore unpacks such a file into a data folder (the server must not be running on it).
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
            if (command.equals(BACKUP_COMMAND) && databaseName.equals("admin")) return backup(store, query);
            if (command.equals(STATUS_COMMAND) && databaseName.equals("admin")) return storeStatus(store);
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

        @Override
        protected MongoDatabase openOrCreateDatabase(String databaseName) {
            // Called from H2Backend's constructor too, before this class's fields are set: getMvStore() is.
            return new TopKH2Database(databaseName, getMvStore(), getCursorRegistry());
        }

        /**
         * H2Database whose collections sort a limited query by keeping the top k (TopKH2Collection). An inner class:
         * H2Database's constructor opens the collections before a field of this class could be set.
         */
        final class TopKH2Database extends H2Database {
            TopKH2Database(String databaseName, MVStore store, CursorRegistry cursorRegistry) {
                super(databaseName, store, cursorRegistry);
            }

            @Override
            protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
                String fullName = getFullCollectionNamespace(collectionName);
                MVStore mv = getMvStore();
                // The maps H2Database itself opens for a collection (its DATABASES_PREFIX and META_PREFIX).
                return new TopKH2Collection(this, collectionName, options, mv.openMap("databases." + fullName), mv.openMap("meta." + fullName), cursorRegistry);
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

    /**
     * A collection that reads lazily for aggregations, and sorts limited queries by keeping the top k.
     * The library sorts every match of a sorted query and then takes skip + limit of them: the inbox's 51 soonest
     * of 66,000 open tasks sorted all 66,000 (2.7-4.8 s here). With a limit it now keeps only the first
     * skip + limit in a bounded heap (ties in arrival order, as the stable sort had them) and hands them, in
     * order, to the library's own skip/limit/projection.
     */
    static final class TopKH2Collection extends H2Collection {
        /** Beyond this, the library's sort (a heap of this size is no cheaper). */
        private static final int MAX_KEPT = 10_000;

        private final org.h2.mvstore.MVMap<Object, Document> documents;

        TopKH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                         org.h2.mvstore.MVMap<Object, Document> dataMap, org.h2.mvstore.MVMap<String, Object> metaMap, CursorRegistry cursorRegistry) {
            super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
            this.documents = dataMap;
        }

        /**
         * What an aggregation reads: lazily, over the map's snapshot, instead of a list of every document of the
         * collection (the library's default, through a query): the weekly report's $match/$group over 700,000
         * day figures held them all in the heap, and a 1 GiB server spent its time collecting garbage until
         * clients timed out. The command holds its store version while the stream is read (DurableH2Backend).
         */
        @Override
        public Stream<Document> queryAllAsStream() {
            return documents.values().stream();
        }

        @Override
        protected QueryResult matchDocumentsFromStream(Document query, Stream<Document> documentStream, int numberToSkip, int limit, int batchSize,
                                                       Comparator<Document> documentComparator, Document fieldSelector) {
            long keep = (long) numberToSkip + limit;
            if (documentComparator == null || limit <= 0 || keep > MAX_KEPT) {
                return super.matchDocumentsFromStream(query, documentStream, numberToSkip, limit, batchSize, documentComparator, fieldSelector);
            }
            // Order: by the sort, then by arrival. The heap's head is the last of the kept ones.
            Comparator<Object[]> order = (x, y) -> {
                int c = documentComparator.compare((Document) x[0], (Document) y[0]);
                return c != 0 ? c : Long.compare((Long) x[1], (Long) y[1]);
            };
            PriorityQueue<Object[]> kept = new PriorityQueue<>((int) keep + 1, order.reversed());
            long[] arrival = {0};
            documentStream.filter(d -> documentMatchesQuery(d, query)).forEach(d -> {
                Object[] entry = {d, arrival[0]++};
                if (kept.size() < keep) {
                    kept.add(entry);
                } else if (order.compare(entry, kept.peek()) < 0) {
                    kept.poll();
                    kept.add(entry);
                }
            });
            List<Object[]> sorted = new ArrayList<>(kept);
            sorted.sort(order);
            List<Document> first = new ArrayList<>(sorted.size());
            for (Object[] e : sorted) first.add((Document) e[0]);
            return super.matchDocumentsFromStream(query, first.stream(), numberToSkip, limit, batchSize, null, fieldSelector);
        }
    }

    /** Netty event loops of the server: each runs the commands of the connections assigned to it, one at a time. */
    static final int EVENT_LOOPS = 128;

    static final String BACKUP_COMMAND = "warnflowBackup";
    static final String STATUS_COMMAND = "warnflowStoreStatus";

    /** Drops what an earlier run's oplog left in the store (local.oplog.rs). */
    static void dropOplog(MongoBackend backend) {
        if (backend instanceof H2Backend && ((H2Backend) backend).getMvStore().hasMap("databases.local.oplog.rs")) {
            backend.resolveDatabase("local").dropCollection("oplog.rs", de.bwaldvogel.mongo.oplog.NoopOplog.get());
            ((H2Backend) backend).getMvStore().commit();
        }
    }

    /** What warnflow's capacity guard needs: documents in all collections and the file's size (cheap: map sizes). */
    static Document storeStatus(MVStore store) {
        long documents = 0;
        for (String name : store.getMapNames()) {
            // Collections' data maps are "databases.<db>.<collection>" (index maps have no prefix); system.* are the library's.
            if (name.startsWith("databases.") && !name.contains(".system.")) documents += store.openMap(name).sizeAsLong();
        }
        return new Document("documents", documents).append("fileBytes", store.getFileStore().size())
            .append("file", store.getFileStore().getFileName()).append("ok", 1.0);
    }
    private static final Pattern BACKUP_NAME = Pattern.compile("[A-Za-z0-9._-]+\\.zip");
    private static final Pattern FOLDER_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    /**
     * A consistent copy of the running store: what is committed is written to the zip by H2's own backup
     * (space reuse is off while it copies, so no chunk it reads is overwritten; a chunk being appended at the
     * end is incomplete in the copy and ignored when it opens), followed by the files of the named folders
     * beside the store (report PDFs, documents, uploads). Written to a temporary name, then renamed.
     */
    static Document backup(MVStore store, Document query) {
        String name = String.valueOf(query.get(BACKUP_COMMAND));
        if (!BACKUP_NAME.matcher(name).matches()) throw new IllegalArgumentException("backup name must match " + BACKUP_NAME + ": " + name);
        long started = System.currentTimeMillis();
        Path dataDir = Path.of(store.getFileStore().getFileName()).toAbsolutePath().getParent();
        Path dir = dataDir.resolve("backups");
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(name + ".tmp");
        int files = 0;
        try {
            Files.createDirectories(dir);
            store.commit();
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                store.getFileStore().backup(zip);
                Object include = query.get("include");
                if (include instanceof List) {
                    for (Object folder : (List<?>) include) {
                        String f = String.valueOf(folder);
                        if (!FOLDER_NAME.matcher(f).matches() || f.equals("backups")) throw new IllegalArgumentException("folder to include: " + f);
                        Path root = dataDir.resolve(f);
                        if (!Files.isDirectory(root)) continue;
                        try (Stream<Path> walk = Files.walk(root)) {
                            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                                zip.putNextEntry(new ZipEntry(dataDir.relativize(p).toString().replace('\\', '/')));
                                Files.copy(p, zip);
                                zip.closeEntry();
                                files++;
                            }
                        }
                    }
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Document response = new Document("path", target.toString()).append("bytes", Files.size(target))
                .append("files", files).append("ms", System.currentTimeMillis() - started).append("ok", 1.0);
            return response;
        } catch (IOException e) {
            throw new IllegalStateException("backup to " + target + " failed: " + e, e);
        }
    }

    /**
     * Unpacks a backup into the data folder of `file`: the store to a temporary name, opened once to check it,
     * then moved in place (an existing store is kept beside it as mongo.mv.before-restore-<time>); the folders'
     * files to where they were.
     */
    static void restore(Path zipFile, Path file) throws IOException {
        Path dataDir = file.toAbsolutePath().getParent();
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve(file.getFileName() + ".restoring");
        boolean sawStore = false;
        int files = 0;
        try (InputStream in = Files.newInputStream(zipFile); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.isDirectory()) continue;
                Path out = dataDir.resolve(e.getName()).normalize();
                if (!out.startsWith(dataDir) || e.getName().startsWith("backups/")) throw new IOException("unexpected entry in the backup: " + e.getName());
                if (!e.getName().contains("/") && e.getName().endsWith(".mv")) {
                    Files.copy(zip, tmp, StandardCopyOption.REPLACE_EXISTING);
                    sawStore = true;
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
                    files++;
                }
            }
        }
        if (!sawStore) throw new IOException(zipFile + " holds no store file (*.mv)");
        MVStore check = new MVStore.Builder().fileName(tmp.toString()).readOnly().open();
        int maps = check.getMapNames().size();
        check.close();
        if (Files.exists(file)) Files.move(file, dataDir.resolve(file.getFileName() + ".before-restore-" + System.currentTimeMillis()));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("RESTORED " + file + " (" + maps + " maps) and " + files + " files");
    }

    public static void main(String[] args) throws Exception {
        int port = 27017;
        String file = null;
        String restoreFrom = null;
        long parentPid = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port": port = Integer.parseInt(args[++i]); break;
                case "--file": file = args[++i]; break;
                case "--parent-pid": parentPid = Long.parseLong(args[++i]); break;
                case "--restore": restoreFrom = args[++i]; break;
                default: throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (restoreFrom != null) {
            if (file == null) throw new IllegalArgumentException("--restore needs --file");
            restore(Path.of(restoreFrom), Path.of(file));
            return;
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
        if (store == null) {
            server.enableOplog(); // change streams (tests; warnflow uses none yet)
        } else {
            // On the file backend the library's oplog is a plain collection holding a copy of every write, never
            // trimmed (it doubled each write and grew the store without bound); warnflow uses no change streams.
            backend.disableOplog();
            dropOplog(backend);
        }
        // The library runs each command on its connection's netty event loop (default 2 x cores = 4 loops): a minute-long
        // report aggregation blocked every connection sharing its loop, the driver's monitor among them, so the driver
        // declared the server gone ("server monitor timeout") and failed all operations (700,000-figure soak, issue 11).
        // One loop per connection, as far as 128 go.
        server.bind(new java.net.InetSocketAddress("127.0.0.1", port), 1, EVENT_LOOPS);

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
