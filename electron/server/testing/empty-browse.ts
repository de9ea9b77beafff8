// For LibraryServiceApi doubles whose tests are not about browsing: the series, folder and Home reads
// answer empty pages at generation 1, and the bulk read/favourite write touches nothing. The real ones
// are tested in electron/library/store/browse.test.ts and server/browse-routes.test.ts.
import type { BulkStateRequest, BulkStateResult, FolderListing, HomeShelves, SeriesPage } from '../../../shared/types.js';
import type { LibraryServiceApi } from '../../library/service-types.js';

export abstract class EmptyBrowse implements Pick<LibraryServiceApi, 'listSeries' | 'listFolder' | 'getHome' | 'setReadState'> {
  async listSeries(): Promise<SeriesPage> {
    return { items: [], total: 0, offset: 0, generation: 1, stale: false };
  }
  async listFolder(folder: string): Promise<FolderListing> {
    return { path: folder, folders: [], comic_count: 0, direct_count: 0, generation: 1, stale: false };
  }
  async getHome(): Promise<HomeShelves> {
    return { continue: [], on_deck: [], recent: [], generation: 1, stale: false };
  }
  async setReadState(request: BulkStateRequest): Promise<BulkStateResult> {
    return { count: 0, ...('read' in request ? { read: request.read } : { favourite: request.favourite }) };
  }
}
