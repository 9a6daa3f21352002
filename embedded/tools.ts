/**
 * Installs the tools the embedded services need into the git-ignored tool folder, once.
 * Each step prints a progress line saying what it installs and why it takes time; a stamp file
 * records what was built so a second run skips it in milliseconds.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { paths, versions } from '../config';

/** Per-user cache shared by checkouts on one machine (binaries only; the project folder stays the source of truth). */
const userCache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'warnflow');

export type Say = (line: string) => void;
const defaultSay: Say = (line) => process.stderr.write(`[setup] ${line}\n`);

export function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, cmd);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

function stampOk(file: string, value: string): boolean {
  try {
    return fs.readFileSync(file, 'utf8') === value;
  } catch {
    return false;
  }
}

function run(
  say: Say,
  what: string,
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): void {
  const started = Date.now();
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${what} failed (${cmd} ${args.join(' ')}): ${r.error?.message ?? `exit ${r.status}`}\n${out}`);
  }
  say(`${what}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function sha(...parts: string[]): string {
  return crypto.createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}

/** The Temporal CLI (dev server): tool folder → PATH → `go install` at the pinned version. */
export function ensureTemporalCli(say: Say = defaultSay): string {
  const local = path.join(paths.toolsBin, 'temporal');
  const stamp = path.join(paths.toolsBin, '.temporal.version');
  if (fs.existsSync(local) && stampOk(stamp, versions.temporalCli)) return local;
  // A build from another checkout on this machine (e.g. CI's fresh clone): link it, do not rebuild.
  const cached = path.join(userCache, 'temporal-cli', versions.temporalCli, 'temporal');
  if (fs.existsSync(cached)) {
    fs.mkdirSync(paths.toolsBin, { recursive: true });
    fs.rmSync(local, { force: true });
    fs.symlinkSync(cached, local);
    fs.writeFileSync(stamp, versions.temporalCli);
    say(`Temporal CLI ${versions.temporalCli}: using the build cached in ${path.dirname(cached)}`);
    return local;
  }
  const onPath = which('temporal');
  if (onPath) {
    say(`Temporal CLI: using ${onPath} from PATH`);
    return onPath;
  }
  const go = which('go');
  if (!go) {
    throw new Error(
      'No Temporal CLI: put `temporal` on PATH, set TEMPORAL_ADDRESS to a running server, or install Go so warnflow can ' +
        `build github.com/temporalio/cli ${versions.temporalCli}.`,
    );
  }
  say(
    `Temporal CLI ${versions.temporalCli}: building with go install into ${paths.toolsBin} (about 5 minutes on 2 cores, once; later runs reuse it)`,
  );
  fs.mkdirSync(paths.toolsBin, { recursive: true });
  run(say, 'Temporal CLI build', go, ['install', `github.com/temporalio/cli/cmd/temporal@${versions.temporalCli}`], {
    env: { GOBIN: paths.toolsBin, GOFLAGS: '-trimpath' },
  });
  fs.writeFileSync(stamp, versions.temporalCli);
  try {
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    fs.copyFileSync(local, `${cached}.tmp`);
    fs.renameSync(`${cached}.tmp`, cached);
  } catch {
    /* the cache is an optimisation only */
  }
  return local;
}

function requireJava(): { java: string; javac: string; mvn: string } {
  const java = which('java');
  const javac = which('javac');
  const mvn = which('mvn');
  if (!java || !javac || !mvn) {
    throw new Error(
      `The embedded MongoDB-wire and Temporal test servers need a JDK (java, javac) and Maven (mvn) on PATH; missing: ${[
        !java && 'java',
        !javac && 'javac',
        !mvn && 'mvn',
      ]
        .filter(Boolean)
        .join(', ')}. Alternatively set MONGODB_URI (and TEMPORAL_ADDRESS).`,
    );
  }
  return { java, javac, mvn };
}

/** Resolves a java/<module>/pom.xml's dependencies into the tool folder with Maven. */
function ensureJars(module: 'mongo-server' | 'temporal-test-server', say: Say): string {
  const { mvn } = requireJava();
  const pom = path.join(paths.java, module, 'pom.xml');
  const dir = path.join(paths.jars, module);
  const stamp = path.join(dir, '.stamp');
  const want = sha(fs.readFileSync(pom, 'utf8'));
  if (stampOk(stamp, want)) return dir;
  say(`${module}: fetching jars with Maven into ${dir} (a minute the first time, once)`);
  fs.rmSync(dir, { recursive: true, force: true });
  run(say, `${module} jars`, mvn, ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${dir}`]);
  fs.writeFileSync(stamp, want);
  return dir;
}

export interface MongoJavaServerTool {
  java: string;
  classpath: string;
  mainClass: string;
}

/** mongo-java-server and warnflow's small Java main around it, compiled with javac. */
export function ensureMongoJavaServer(say: Say = defaultSay): MongoJavaServerTool {
  const { java, javac } = requireJava();
  const jars = ensureJars('mongo-server', say);
  const src = path.join(paths.java, 'mongo-server', 'src', 'WarnflowMongoServer.java');
  const out = path.join(paths.javaClasses, 'mongo-server');
  const stamp = path.join(out, '.stamp');
  const want = sha(fs.readFileSync(src, 'utf8'), fs.readFileSync(path.join(jars, '.stamp'), 'utf8'));
  if (!stampOk(stamp, want)) {
    say('mongo-server: compiling WarnflowMongoServer.java');
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out, { recursive: true });
    run(say, 'WarnflowMongoServer compile', javac, ['-d', out, '-cp', `${jars}/*`, src]);
    fs.writeFileSync(stamp, want);
  }
  return { java, classpath: `${out}${path.delimiter}${jars}/*`, mainClass: 'WarnflowMongoServer' };
}

/**
 * Temporal's time-skipping test server (Java), behind a wrapper script that `exec`s the JVM so a
 * kill from the SDK reaches it. The SDK runs it as `<exe> <port>`.
 */
export function ensureTimeSkippingTestServer(say: Say = defaultSay): string {
  const { java } = requireJava();
  const jars = ensureJars('temporal-test-server', say);
  const wrapper = path.join(paths.toolsBin, 'temporal-test-server');
  const body = `#!/bin/sh\n# Generated by embedded/tools.ts: Temporal time-skipping test server ${versions.temporalTestServer}.\nexec "${java}" -Xss1m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "${jars}/*" io.temporal.testserver.TestServer "$@"\n`;
  if (!stampOk(wrapper, body)) {
    fs.mkdirSync(paths.toolsBin, { recursive: true });
    fs.writeFileSync(wrapper, body, { mode: 0o755 });
  }
  return wrapper;
}

/** Debian packages of the broker: mosquitto and the libraries a plain Debian machine may lack (libssl3, libsystemd0 are base). */
const MOSQUITTO_PACKAGES = ['mosquitto', 'libmosquitto1', 'libcjson1', 'libdlt2', 'libwrap0'];

/**
 * The MQTT broker (Debian's mosquitto): PATH → tool folder → `apt-get download` of its packages, unpacked with
 * `dpkg-deb -x` into the tool folder (no root needed once the package lists are there; as root a missing list is
 * fetched with `apt-get update`) behind a wrapper that finds the unpacked libraries. Undefined when it cannot
 * be installed: the run goes on without MQTT ingestion and says why.
 */
export function ensureMosquitto(say: Say = defaultSay): string | undefined {
  const onPath = which('mosquitto') ?? (fs.existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : undefined);
  if (onPath) return onPath;
  const wrapper = path.join(paths.toolsBin, 'mosquitto');
  const stamp = path.join(paths.toolsBin, '.mosquitto.version');
  if (fs.existsSync(wrapper) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').startsWith(versions.mosquitto))
    return wrapper;
  if (!which('apt-get') || !which('dpkg-deb')) {
    say('MQTT broker: no mosquitto on PATH and no apt-get/dpkg-deb to fetch it; MQTT ingestion is off (set MQTT_URL)');
    return undefined;
  }
  const root = path.join(paths.tools, 'mosquitto');
  const debs = fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-mosquitto-'));
  try {
    say(`MQTT broker: fetching Debian's mosquitto ${versions.mosquitto} with apt-get download into ${root} (once)`);
    try {
      run(say, 'mosquitto download', 'apt-get', ['download', ...MOSQUITTO_PACKAGES], { cwd: debs });
    } catch (err) {
      if (process.getuid?.() !== 0) throw err;
      run(say, 'apt-get update', 'apt-get', ['update', '-qq']);
      run(say, 'mosquitto download', 'apt-get', ['download', ...MOSQUITTO_PACKAGES], { cwd: debs });
    }
    const files = fs.readdirSync(debs).filter((f) => f.endsWith('.deb'));
    const broker = files.find((f) => f.startsWith('mosquitto_'));
    const version = broker?.split('_')[1] ?? '';
    if (!version.startsWith(versions.mosquitto))
      throw new Error(
        `apt-get offered mosquitto ${version || '(none)'}, warnflow is tested with ${versions.mosquitto}`,
      );
    fs.rmSync(root, { recursive: true, force: true });
    // dpkg-deb makes the folder but not its parents (a fresh tool folder).
    fs.mkdirSync(root, { recursive: true });
    for (const f of files) run(say, `unpack ${f}`, 'dpkg-deb', ['-x', path.join(debs, f), root]);
    const libs = path.join(root, 'usr', 'lib', 'x86_64-linux-gnu');
    const body = `#!/bin/sh\n# Generated by embedded/tools.ts: Debian's mosquitto ${version}, unpacked in ${root}.\nLD_LIBRARY_PATH="${libs}\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "${path.join(root, 'usr', 'sbin', 'mosquitto')}" "$@"\n`;
    fs.mkdirSync(paths.toolsBin, { recursive: true });
    fs.writeFileSync(wrapper, body, { mode: 0o755 });
    fs.writeFileSync(stamp, version);
    return wrapper;
  } catch (err) {
    say(`MQTT broker: could not install mosquitto (${(err as Error).message.split('\n')[0]}); MQTT ingestion is off`);
    return undefined;
  } finally {
    fs.rmSync(debs, { recursive: true, force: true });
  }
}

/** Everything the run and the tests may need, decided by which services the environment already provides. */
export function ensureTools(
  env: NodeJS.ProcessEnv = process.env,
  say: Say = defaultSay,
  opts: { testServer?: boolean } = {},
): void {
  if (!env.TEMPORAL_ADDRESS) ensureTemporalCli(say);
  else say(`Temporal: using TEMPORAL_ADDRESS=${env.TEMPORAL_ADDRESS}`);
  if (!env.MONGODB_URI && !which('mongod')) ensureMongoJavaServer(say);
  else say(env.MONGODB_URI ? 'MongoDB: using MONGODB_URI' : 'MongoDB: using mongod from PATH');
  if (!env.MQTT_URL) ensureMosquitto(say);
  if (opts.testServer) ensureTimeSkippingTestServer(say);
}
