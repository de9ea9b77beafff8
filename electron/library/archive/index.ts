// The archive layer: list an archive without extracting it, read one entry, order pages, fingerprint.
export { readArchiveIndex, type ReadArchiveIndexOptions } from './read-index.js';
export { readArchiveEntry, type ReadArchiveEntryOptions } from './extract.js';
export { openArchive, type FileIdentity, type OpenArchive, type OpenArchiveOptions } from './open-archive.js';
export { detectFormat } from './detect.js';
export { compareNatural, findComicInfo, findMetronInfo, isImageName, listPages, noPagesReason } from './pages.js';
export { fingerprintFromEdges, fingerprintFromIndex } from './fingerprint.js';
export { ArchiveError, DEFAULT_ARCHIVE_LIMITS, type ArchiveEntry, type ArchiveEntryRead, type ArchiveIndex, type ArchiveLimits, type DocumentMetadata } from './types.js';
