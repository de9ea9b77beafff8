// The browse half of the LibraryService: series, folders, Home and bulk read state over the live
// generation. The LibraryService owns the connections, where reads run (reader threads or in-thread,
// read-pool.ts) and the rebuilds; this only asks, answers and writes.
import { LongboxError } from '../../shared/errors.js';
import type { Logger } from './logger.js';
import type { ReadAnswer, ReadArgs, ReadName } from './store/read-methods.js';
import type { LibraryServiceApi } from './service-types.js';
import type { UserStore } from './user/user-store.js';

/** The browse operations, typed by the service's (LibraryApi's) own signatures. */
export type BrowseService = Pick<LibraryServiceApi, 'listSeries' | 'listFolder' | 'getHome' | 'setReadState'>;

export interface BrowseServiceDeps {
  /** One read of store/read-methods.ts, wherever the service runs its reads (slow ones are logged there). */
  read<K extends ReadName>(name: K, ...args: ReadArgs<K>): Promise<ReadAnswer<K>>;
  /** user.db: where bulk read state is written. */
  user: UserStore;
  /** The library root, recorded with each state row (orphans are per library). */
  root: string;
  logger: Logger;
  /** Resolves once there is a generation to answer from (waits only on a cold start). */
  whenPopulated(): Promise<void>;
  /** true while a rebuild runs: answers come from the last complete generation. */
  isStale(): boolean;
}

export function createBrowseService(deps: BrowseServiceDeps): BrowseService {
  return {
    async listSeries(query) {
      await deps.whenPopulated();
      const rows = await deps.read('listSeries', query);
      return { items: rows.items, total: rows.total, offset: query.offset, generation: rows.generation, stale: deps.isStale() };
    },

    async listFolder(path) {
      await deps.whenPopulated();
      const rows = await deps.read('listFolder', path);
      if (!rows) throw new LongboxError('NOT_FOUND', 'No such folder in this library (or no comics in it).');
      return { ...rows, stale: deps.isStale() };
    },

    async getHome() {
      await deps.whenPopulated();
      const rows = await deps.read('home');
      return { ...rows, stale: deps.isStale() };
    },

    async setReadState(request) {
      await deps.whenPopulated();
      const { count, comics } = await deps.read('targetOf', request);
      // One IMMEDIATE transaction in user.db for the whole selection. Marking unread also forgets the page
      // (the comic is "not started" again and leaves Continue Reading); favourites are kept either way,
      // and a favourite change touches nothing else.
      const patch = 'read' in request ? (request.read ? { read: true } : { read: false, lastPage: null }) : { favourite: request.favourite };
      deps.user.updateStates(
        comics.map((c) => ({ ...c, root: deps.root })),
        patch,
      );
      return 'read' in request ? { count, read: request.read } : { count, favourite: request.favourite };
    },
  };
}
