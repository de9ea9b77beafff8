// The index pass for one file: format, pages, metadata and fingerprint, from the archive's directory
// plus (at most) one small ComicInfo.xml read. Every failure becomes an error row, never an exception.
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import type { ComicFormat, ErrorKind } from '../../shared/types.js';
import { ArchiveError, DEFAULT_ARCHIVE_LIMITS } from './archive/types.js';
import { readArchiveEntry, readArchiveIndex } from './archive/index.js';
import { findComicInfo, findMetronInfo, listPages, noPagesReason } from './archive/pages.js';
import { fingerprintFromIndex } from './archive/fingerprint.js';
import { enrichSignature } from './enrich-signature.js';
import { parseComicInfo, type ComicInfoResult } from './metadata/comicinfo.js';
import { parseMetronInfo, type MetronInfoResult } from './metadata/metroninfo.js';
import { parseComicBookInfo } from './metadata/comicbookinfo.js';
import { parseFileName } from './metadata/filename.js';
import { layersInPrecedence, mergeMetadata } from './metadata/merge.js';
import { COMIC_ROW, METADATA_COLUMNS, type ColumnSpec } from '../../shared/comic-fields.js';
import type { ArchiveIndex } from './archive/types.js';
import { numberSortKey, type EnrichedRow } from './store/comic-row.js';
import type { WalkedFile } from './scan/walk.js';
import { formatOfExtension } from './scan/library-files.js';
import { messageOf } from '../../shared/errors.js';
import type { IndexIo } from './index-io.js';

export type EnrichedFile = Omit<EnrichedRow, 'id' | 'added_at' | 'changed_at'>;

const MAX_COMICINFO_BYTES = 1024 * 1024;

function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Fields every row has, whatever happened inside the file. */
function baseRow(file: WalkedFile): Pick<EnrichedFile, 'path' | 'folder' | 'file_name' | 'ext' | 'size' | 'mtime_ms' | 'inode'> {
  return {
    path: file.path,
    folder: folderOf(file.path),
    file_name: basename(file.path),
    ext: file.ext,
    size: file.size,
    mtime_ms: file.mtimeMs,
    inode: file.ino,
  };
}

type MetadataColumns = Pick<EnrichedFile, (typeof METADATA_COLUMNS)[number]['column'] | 'number_sort' | 'sources'>;

/** The merged metadata as row columns (shared/comic-fields.ts), with the issue number's sort key and the sources. */
function metadataColumns(merged: ReturnType<typeof mergeMetadata>): MetadataColumns {
  const columns: Record<string, unknown> = {};
  for (const c of METADATA_COLUMNS) columns[c.column] = merged.metadata[c.field];
  return {
    ...(columns as Omit<MetadataColumns, 'number_sort' | 'sources'>),
    number_sort: numberSortKey(merged.metadata.number),
    sources: JSON.stringify(merged.sources),
  };
}

/** A row for a file that could not be read: still searchable by its file name, with the reason. */
export function errorRow(file: WalkedFile, kind: ErrorKind, message: string, format?: ComicFormat): EnrichedFile {
  const merged = mergeMetadata([{ source: 'filename', metadata: parseFileName(basename(file.path)) }]);
  return {
    ...baseRow(file),
    format: format ?? formatOfExtension(file.ext),
    page_count: 0,
    cover_entry: null,
    ...metadataColumns(merged),
    // No directory to fingerprint: identify the row by what we know. Error rows never count as duplicates.
    fingerprint: 'x' + createHash('sha1').update(`${file.size}:${file.path}`).digest('hex').slice(0, 39),
    enrich_signature: null,
    error_kind: kind,
    error_message: message,
  };
}

function describeUnexpected(err: unknown): { kind: ErrorKind; message: string } {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return { kind: 'unreadable', message: 'The file disappeared while the library was being scanned.' };
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'unreadable', message: 'Permission denied.' };
  if (code) return { kind: 'unreadable', message: `The file could not be read (${code}).` };
  return { kind: 'corrupt', message: messageOf(err) };
}

/** MetronInfo.xml, when the archive has one: a second read, paid only by the files that carry it. */
async function readMetronInfo(abs: string, index: ArchiveIndex): Promise<MetronInfoResult | null> {
  const entry = findMetronInfo(index.entries);
  if (!entry) return null;
  if (entry.size > MAX_COMICINFO_BYTES) return { metadata: {}, ageRating: null, problem: `MetronInfo.xml is too large (${entry.size} bytes)` };
  try {
    return parseMetronInfo(await readArchiveEntry(abs, index.format, entry.name, { maxBytes: MAX_COMICINFO_BYTES, once: true }));
  } catch (err) {
    if (err instanceof ArchiveError) return { metadata: {}, ageRating: null, problem: `MetronInfo.xml unreadable: ${err.message}` };
    throw err;
  }
}

/** The columns enrichFile fills (shared/comic-fields.ts stages `file` and `metadata`). */
const ENRICHED_COLUMNS = (COMIC_ROW as readonly ColumnSpec[]).filter((c) => c.stage === 'file' || c.stage === 'metadata').map((c) => c.column as keyof EnrichedFile);

/**
 * The row of a file whose listing gives the signature of its previous row (same path, so the same
 * file-name layer): the previous enrichment, with what the walk and the listing say now (size, mtime,
 * inode, and the fingerprint, which hashes the file's size). Equal to the row a full read would give,
 * since everything else that row depends on is in the signature (enrich-signature.ts).
 */
function reusedRow(prior: EnrichedFile, file: WalkedFile, index: ArchiveIndex, signature: string): EnrichedFile {
  const columns: Record<string, unknown> = {};
  for (const column of ENRICHED_COLUMNS) columns[column] = prior[column];
  return { ...(columns as EnrichedFile), ...baseRow(file), fingerprint: fingerprintFromIndex(file.size, index.entries), enrich_signature: signature };
}

/**
 * Enriches one file; `io` (one per rebuild and thread) chooses blocking or thread-pool reads (index-io.ts).
 * `prior`: the file's previous row (same path, no error, a signature), offered for reuse: when the fresh
 * listing gives its signature, no metadata entry is read and its enrichment is kept (reusedRow).
 */
export async function enrichFile(root: string, file: WalkedFile, io?: IndexIo, prior?: EnrichedFile): Promise<EnrichedFile> {
  const abs = join(root, file.path);
  try {
    // Set by skipEntry (a closure: an object, so the check below is not narrowed away).
    const reuse: { signature: string | null } = { signature: null };
    // One open per file: the directory, and ComicInfo.xml through the same handle (often from the
    // tail bytes the directory read already holds).
    const index = await readArchiveIndex(abs, {
      limits: DEFAULT_ARCHIVE_LIMITS,
      readEntry: findComicInfo,
      readEntryMaxBytes: MAX_COMICINFO_BYTES,
      syncIo: io?.sync === true ? io : false,
      skipEntry: (listing) => {
        if (prior?.enrich_signature == null || prior.path !== file.path || prior.error_kind !== null) return false;
        const signature = enrichSignature(file.path, listing);
        if (signature !== prior.enrich_signature) return false;
        reuse.signature = signature;
        return true;
      },
    });
    if (reuse.signature !== null && prior) return reusedRow(prior, file, index, reuse.signature);
    const pages = listPages(index.entries);
    let comicInfo: ComicInfoResult | null = null;
    if (index.entry?.data) comicInfo = parseComicInfo(index.entry.data);
    else if (index.entry?.error) {
      comicInfo = { metadata: {}, frontCoverPage: null, problem: `ComicInfo.xml unreadable: ${index.entry.error.message}` };
    }
    const embedded = index.document?.embeddedXml ?? null;
    if (comicInfo === null && embedded !== null && /^<ComicInfo/.test(embedded)) comicInfo = parseComicInfo(embedded);
    const metronInfo = embedded !== null && /^<MetronInfo/.test(embedded) ? parseMetronInfo(embedded) : await readMetronInfo(abs, index);
    const merged = mergeMetadata(
      layersInPrecedence({
        metroninfo: metronInfo?.metadata ?? null,
        comicinfo: comicInfo?.metadata ?? null,
        comicbookinfo: parseComicBookInfo(index.comment),
        [index.document?.source ?? 'pdf']: index.document?.metadata ?? null,
        filename: parseFileName(basename(file.path)),
      }),
    );
    const front = comicInfo?.frontCoverPage;
    const cover = front !== null && front !== undefined && front >= 0 && front < pages.length ? pages[front]! : (pages[0] ?? null);
    // A text book's only page is its cover, and it may have none: that is not a broken comic.
    const noImages = pages.length === 0 && index.kind !== 'text-book';
    const noImagesKind = noImages ? noPagesReason(index.entries) : null;
    // A metadata problem is worth showing but the comic is still readable: keep it as a message only.
    const errorMessage =
      noImagesKind === 'encrypted'
        ? 'The pages are password protected.'
        : noImagesKind
          ? 'The archive contains no images.'
          : (comicInfo?.problem ?? metronInfo?.problem ?? null);
    return {
      ...baseRow(file),
      format: index.format,
      page_count: pages.length,
      cover_entry: cover,
      ...metadataColumns(merged),
      fingerprint: fingerprintFromIndex(file.size, index.entries),
      // Only a clean row is reused: a problem (an entry that failed to read, perhaps for a passing
      // reason) is looked at again at the next change.
      enrich_signature: noImagesKind === null && errorMessage === null ? enrichSignature(file.path, index) : null,
      error_kind: noImagesKind,
      error_message: errorMessage,
    };
  } catch (err) {
    if (err instanceof ArchiveError) return errorRow(file, err.kind, err.message, err.format ?? undefined);
    const { kind, message } = describeUnexpected(err);
    return errorRow(file, kind, message);
  }
}
