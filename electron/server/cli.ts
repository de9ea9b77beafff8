// `longbox serve`, `scan`, `export-state`, `import-state`, `prune-state`: the engine without a display.
// Run through bin/longbox.js. stdout carries results only (the "serving" line, the scan summary, JSON,
// the import's counts); logs go to stderr. The user's state (user.db) lives in the data home, shared by
// every library of that home; each library's cache lives in its own data dir under it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LongboxError, messageOf } from '../../shared/errors.js';
import type { CacheStatus, LibraryInfo } from '../../shared/types.js';
import { defaultDataHome, libraryDataDir, sampleLibraryDir } from '../library/data-dir.js';
import { consoleLogger, toLogFormat, type Logger } from '../library/logger.js';
import type { LibraryServiceOptions } from '../library/service-options.js';
import type { LibraryServiceApi } from '../library/service-types.js';
import { ensureSampleLibrary, SAMPLE_LIBRARY } from '../library/sample/ensure-sample.js';
import {
  parseCliArgs,
  UsageError,
  type CliCommand,
  type CommandName,
  type ExportStateCommand,
  type ImportStateCommand,
  type PruneStateCommand,
  type ScanCommand,
  type ServeCommand,
} from './cli-args.js';
import { exportStateToFile, readStateFile } from '../library/user/state-files.js';
import { describeImport } from '../library/user/state-transfer.js';
import { createHttpHost } from './http-server.js';
import { formatScanSummary, ProgressReporter, type ProgressSink } from './progress.js';

export type SampleLibraryOptions = { out: string } & typeof SAMPLE_LIBRARY;

/** Everything main touches outside itself, so tests can run it in process. */
export interface CliDeps {
  stdout(text: string): void;
  stderr: ProgressSink;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** The built renderer served by `serve`. */
  staticDir: string;
  openService(options: LibraryServiceOptions): Promise<LibraryServiceApi>;
  generateSampleLibrary(options: SampleLibraryOptions): Promise<void>;
  /** Resolves with the signal name when the process is asked to stop. */
  waitForStop(): Promise<string>;
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // A second Ctrl+C while shutting down exits at once.
      const force = (): void => process.exit(130);
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export function defaultDeps(): CliDeps {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: { write: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY === true },
    env: process.env,
    logger: consoleLogger('longbox', process.env.LONGBOX_LOG_LEVEL === 'debug' ? 'debug' : 'info'),
    // out/electron/server/cli.js → out/renderer/
    staticDir: fileURLToPath(new URL('../../renderer/', import.meta.url)),
    async openService(options) {
      const { openLibraryService } = await import('../library/library-service.js');
      return openLibraryService(options);
    },
    async generateSampleLibrary(options) {
      // Loaded only when the sample library is missing: keeps `serve` start-up small.
      const { generateLibrary } = await import('../library/sample/generate-library.js');
      await generateLibrary(options);
    },
    waitForStop: waitForSignal,
  };
}

/** Folder given on the command line → absolute path of an existing directory, or UsageError. */
function existingFolder(folder: string): string {
  const root = path.resolve(folder);
  let st: fs.Stats;
  try {
    st = fs.statSync(root);
  } catch {
    throw new UsageError(`no such folder: ${root}`);
  }
  if (!st.isDirectory()) throw new UsageError(`not a folder: ${root}`);
  return root;
}

function dataHome(dataDir: string | null, deps: CliDeps): string {
  return dataDir !== null ? path.resolve(dataDir) : defaultDataHome({ env: deps.env });
}

function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

async function serve(cmd: ServeCommand, deps: CliDeps): Promise<number> {
  const home = dataHome(cmd.dataDir, deps);
  const root =
    cmd.folder === null
      ? await ensureSampleLibrary(sampleLibraryDir(home), {
          generate: (out) => deps.generateSampleLibrary({ out, ...SAMPLE_LIBRARY }),
          logger: deps.logger,
        })
      : existingFolder(cmd.folder);
  const library: LibraryInfo = { root, isSample: cmd.folder === null };
  const dataDir = libraryDataDir(home, root);
  fs.mkdirSync(dataDir, { recursive: true });

  const stop = deps.waitForStop();
  const service = await deps.openService({ root, dataDir, userDataDir: home, watch: cmd.watch, logger: deps.logger });
  if (!fs.existsSync(path.join(deps.staticDir, 'index.html'))) {
    deps.logger.warn(`no built renderer in ${deps.staticDir}: serving the API only (run \`npm run build\`)`);
  }
  const host = createHttpHost({
    service,
    library,
    staticDir: deps.staticDir,
    token: cmd.token ?? undefined,
    host: cmd.host,
    logger: deps.logger,
  });
  let port: number;
  try {
    port = (await host.listen(cmd.port, cmd.host)).port;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    deps.logger.error(
      code === 'EADDRINUSE'
        ? `port ${cmd.port} is already in use (try --port 0 for a free one)`
        : `cannot listen on ${cmd.host}:${cmd.port}: ${toLogFormat(err)}`,
    );
    await service.close();
    return 1;
  }
  const token = cmd.token !== null ? `?token=${encodeURIComponent(cmd.token)}` : '';
  deps.stdout(`Longbox serving ${root} at http://${urlHost(cmd.host)}:${port}${token}\n`);
  deps.logger.info(`data dir ${dataDir}`);

  const signal = await stop;
  deps.logger.info(`${signal}: shutting down`);
  await host.close();
  await service.close();
  return 0;
}

async function scan(cmd: ScanCommand, deps: CliDeps): Promise<number> {
  const root = existingFolder(cmd.folder);
  const home = dataHome(cmd.dataDir, deps);
  const dataDir = libraryDataDir(home, root);
  fs.mkdirSync(dataDir, { recursive: true });

  const stop = deps.waitForStop();
  const startedAt = Date.now();
  const service = await deps.openService({ root, dataDir, userDataDir: home, watch: false, rebuildOnOpen: false, logger: deps.logger });
  const progress = new ProgressReporter(deps.stderr);
  const unsubscribe = service.subscribe((event) => {
    if (event.type === 'status') progress.update(event.status);
  });
  try {
    // A library without a generation starts its first rebuild on open: a refresh now would only
    // queue a second, pointless pass.
    const opened = service.getStatus();
    if (!(opened.generation === 0 && opened.rebuild_in_progress)) service.refresh('longbox scan');
    const interrupted = await Promise.race([service.whenIdle().then(() => null), stop]);
    progress.finish();
    if (interrupted !== null) {
      deps.logger.warn(`${interrupted}: scan interrupted`);
      return 130;
    }
    const status: CacheStatus = service.getStatus();
    const failed = status.last_error !== null && status.last_error.at >= startedAt;
    deps.stdout(cmd.json ? `${JSON.stringify(status, null, 2)}\n` : formatScanSummary(status, failed));
    return failed ? 1 : 0;
  } finally {
    unsubscribe();
    await service.close();
  }
}

/** Opens a library for a one-shot command (no watcher), with a generation (scanned first when `rescan`). */
async function withLibrary<T>(folder: string, dataDirOption: string | null, rescan: boolean, deps: CliDeps, run: (service: LibraryServiceApi) => Promise<T>): Promise<T> {
  const root = existingFolder(folder);
  const home = dataHome(dataDirOption, deps);
  const dataDir = libraryDataDir(home, root);
  fs.mkdirSync(dataDir, { recursive: true });
  const service = await deps.openService({ root, dataDir, userDataDir: home, watch: false, rebuildOnOpen: false, logger: deps.logger });
  try {
    // A library never scanned is scanned now (its first listing waits for the cold start).
    await service.listComics({ offset: 0, limit: 1, sort: 'file', order: 'asc' });
    if (rescan) {
      service.refresh('longbox state command');
      await service.whenIdle();
    }
    return await run(service);
  } finally {
    await service.close();
  }
}

async function exportStateCommand(cmd: ExportStateCommand, deps: CliDeps): Promise<number> {
  if (cmd.out === null) {
    const doc = await withLibrary(cmd.folder, cmd.dataDir, false, deps, (service) => service.exportUserState());
    deps.stdout(`${JSON.stringify(doc, null, 2)}\n`);
    return 0;
  }
  const out = path.resolve(cmd.out);
  const doc = await withLibrary(cmd.folder, cmd.dataDir, false, deps, (service) => exportStateToFile(service, out));
  const gone = doc.comics.filter((c) => !c.present).length;
  deps.stdout(`Exported the state of ${doc.comics.length} comic(s) (${gone} not in the library now) and ${doc.seriesSettings.length} series setting(s) to ${out}\n`);
  return 0;
}

async function importStateCommand(cmd: ImportStateCommand, deps: CliDeps): Promise<number> {
  let doc: unknown;
  try {
    doc = readStateFile(path.resolve(cmd.file));
  } catch (err) {
    deps.stderr.write(`longbox: ${messageOf(err)}\n`);
    return 1;
  }
  const report = await withLibrary(cmd.folder, cmd.dataDir, true, deps, (service) => service.importUserState(doc));
  deps.stdout(`${describeImport(report)}\n`);
  return 0;
}

async function pruneStateCommand(cmd: PruneStateCommand, deps: CliDeps): Promise<number> {
  return withLibrary(cmd.folder, cmd.dataDir, true, deps, async (service) => {
    const orphans = await service.listOrphans();
    if (cmd.dryRun) {
      for (const o of orphans) deps.stdout(`${o.path ?? o.fingerprint}\n`);
      deps.stdout(`${orphans.length} comic(s) whose files are gone have kept state; nothing deleted (--dry-run)\n`);
      return 0;
    }
    const pruned = await service.pruneOrphans();
    deps.stdout(`Deleted the kept state of ${pruned} comic(s) whose files are gone (a backup was taken first)\n`);
    return 0;
  });
}

/** One runner per command of cli-args.ts COMMANDS; resolves with the exit code. */
const RUNNERS: { [K in CommandName]: (cmd: Extract<CliCommand, { kind: K }>, deps: CliDeps) => Promise<number> } = {
  serve,
  scan,
  'export-state': exportStateCommand,
  'import-state': importStateCommand,
  'prune-state': pruneStateCommand,
};

/** Runs one command; resolves with the process exit code. */
export async function main(argv: readonly string[], deps: CliDeps = defaultDeps()): Promise<number> {
  try {
    const cmd = parseCliArgs(argv);
    if (cmd.kind === 'help') {
      if (cmd.exitCode === 0) deps.stdout(cmd.text);
      else deps.stderr.write(cmd.text);
      return cmd.exitCode;
    }
    const run = RUNNERS[cmd.kind] as (command: typeof cmd, deps: CliDeps) => Promise<number>;
    return await run(cmd, deps);
  } catch (err) {
    if (err instanceof UsageError) {
      deps.stderr.write(`longbox: ${err.message}\n`);
      return 2;
    }
    // Expected failures (a database from a newer version, an unreadable folder) need no stack.
    if (err instanceof LongboxError) deps.stderr.write(`longbox: ${err.message} (${err.code})\n`);
    else deps.logger.error(toLogFormat(err));
    return 1;
  }
}
