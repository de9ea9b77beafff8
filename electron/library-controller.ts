// Which library is open in the app, and switching between libraries. One LibraryService at a time:
// a switch opens the new service first (if that fails the old one stays), then closes the old one.
// Switches are serialised, so two quick clicks cannot leave two services running. No electron
// import: main.ts passes the dialog and openLibraryService in.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { LongboxError } from '../shared/errors.js';
import type { LibraryInfo } from '../shared/types.js';
import { silentLogger, toLogFormat, type Logger } from './library/logger.js';
import { ensureSampleLibrary, type SampleGenerator } from './library/sample/ensure-sample.js';
import type { LibraryServiceOptions } from './library/service-options.js';
import type { LibraryServiceApi } from './library/service-types.js';
import type { SettingsStore } from './settings.js';

export interface LibraryControllerDeps {
  /** app.getPath('userData'). */
  userData: string;
  openService(options: LibraryServiceOptions): Promise<LibraryServiceApi>;
  /** libraryDataDir(userData, root). */
  dataDirFor(root: string): string;
  /** Native folder picker; null when cancelled. */
  chooseFolder(): Promise<string | null>;
  /** Writes the sample library into `out` (a fresh folder); default: the product's sample generator. */
  generateSample?: SampleGenerator;
  settings: SettingsStore;
  /** Extra options for every service (launcher, nativeBinding, logger). */
  serviceOptions?: Omit<LibraryServiceOptions, 'root' | 'dataDir'>;
  /** The open service changed (null = none). */
  onChange?(service: LibraryServiceApi | null, info: LibraryInfo | null): void;
  logger?: Logger;
}

export const SAMPLE_FOLDER = 'sample-library';

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

export class LibraryController {
  #service: LibraryServiceApi | null = null;
  #info: LibraryInfo | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  readonly sampleDir: string;
  private readonly logger: Logger;

  constructor(private readonly deps: LibraryControllerDeps) {
    this.sampleDir = path.join(deps.userData, SAMPLE_FOLDER);
    this.logger = deps.logger ?? silentLogger;
  }

  get service(): LibraryServiceApi | null {
    return this.#service;
  }

  /** Runs `task` after every earlier switch has finished (and even if one failed). */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** The open library, after any switch in progress has settled. */
  getLibrary(): Promise<LibraryInfo | null> {
    return this.#serial(async () => this.#info);
  }

  /** Opens `root` (remembered in settings). A missing folder is refused with ROOT_UNREADABLE. */
  openRoot(root: string): Promise<LibraryInfo> {
    return this.#serial(() => this.#open(root));
  }

  /**
   * At startup: the folder from the command line if any, else the remembered one. A remembered
   * library that cannot be opened leaves the app on its welcome screen (logged), not in a crash.
   */
  restore(fromArgs: string | null): Promise<LibraryInfo | null> {
    return this.#serial(async () => {
      const root = fromArgs ?? this.deps.settings.get().lastLibraryRoot;
      if (!root) return null;
      try {
        return await this.#open(root);
      } catch (error) {
        this.logger.warn(`library: could not reopen ${root}: ${toLogFormat(error)}`);
        return null;
      }
    });
  }

  chooseLibrary(): Promise<LibraryInfo | null> {
    return this.#serial(async () => {
      const root = await this.deps.chooseFolder();
      if (!root) return null;
      return this.#open(root);
    });
  }

  openSample(): Promise<LibraryInfo> {
    return this.#serial(async () => {
      await ensureSampleLibrary(this.sampleDir, { generate: this.deps.generateSample, logger: this.logger });
      return this.#open(this.sampleDir);
    });
  }

  /** Closes the open service (stops a rebuild cleanly, releases the lock). Idempotent. */
  close(): Promise<void> {
    return this.#serial(async () => {
      this.#closed = true;
      const service = this.#service;
      this.#service = null;
      this.#info = null;
      if (service) await service.close();
    });
  }

  async #open(rootInput: string): Promise<LibraryInfo> {
    if (this.#closed) throw new LongboxError('CANCELLED', 'The app is shutting down.');
    const root = path.resolve(rootInput);
    if (this.#info && this.#service && this.#info.root === root) return this.#info;
    if (!(await isDirectory(root))) throw new LongboxError('ROOT_UNREADABLE', `Not a folder: ${root}`);
    const next = await this.deps.openService({
      ...this.deps.serviceOptions,
      root,
      dataDir: this.deps.dataDirFor(root),
    });
    const previous = this.#service;
    const info: LibraryInfo = { root, isSample: root === path.resolve(this.sampleDir) };
    this.#service = next;
    this.#info = info;
    this.logger.info(`library: opened ${root}`);
    this.deps.onChange?.(next, info);
    await this.deps.settings.update({ lastLibraryRoot: root });
    if (previous) {
      await previous.close().catch((error: unknown) => this.logger.warn(`library: closing the previous library failed: ${toLogFormat(error)}`));
    }
    return info;
  }
}
