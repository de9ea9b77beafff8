// EPUB: a ZIP whose OPF (found through META-INF/container.xml) names the reading order (the spine) and
// the cover. An image-only or fixed-layout book (manga, comics) is a comic: its pages are the spine's
// images in spine order (entries get `pageOrder`). A book of flowing text is a 'text-book': its only
// page is the cover, so the library shows it and opening it says what it is.
import type { ReadableFile } from './file-io.js';
import { inspectXhtml, parseOpf, rootfilePath, type OpfPackage } from './epub-opf.js';
import { decodeXmlBytes } from '../metadata/text.js';
import { isImageName } from './pages.js';
import { readZipEntryFromDirectory } from './zip-entry.js';
import type { ZipDirectory } from './zip-directory.js';
import { ArchiveError, type ArchiveEntry, type ArchiveIndex } from './types.js';

const MAX_PACKAGE_BYTES = 4 * 1024 * 1024;
const MAX_XHTML_BYTES = 1024 * 1024;
/** Visible characters above which a spine page is prose, not a page wrapper around an image. */
const TEXT_PAGE_CHARS = 300;
/** A reflowable book is tested on this many text pages before it is called a text book. */
const TEXT_SAMPLE_PAGES = 6;

async function readText(handle: ReadableFile, size: number, directory: ZipDirectory, path: string, maxBytes: number): Promise<string | null> {
  const wanted = path.toLowerCase();
  const position = directory.entries.findIndex((entry) => !entry.isDirectory && entry.name.toLowerCase() === wanted);
  if (position < 0) return null;
  return decodeXmlBytes(await readZipEntryFromDirectory(handle, size, directory, position, maxBytes));
}

/** The spine's page images in order, or null when the book is text. */
async function spineImages(handle: ReadableFile, size: number, directory: ZipDirectory, opf: OpfPackage): Promise<string[] | null> {
  const images: string[] = [];
  let textPages = 0;
  let inspected = 0;
  for (const item of opf.spine) {
    if (item.mediaType.startsWith('image/')) {
      images.push(item.path);
      continue;
    }
    const xhtml = await readText(handle, size, directory, item.path, MAX_XHTML_BYTES).catch((error: unknown) => {
      if (error instanceof ArchiveError && error.kind !== 'too-large') throw error;
      return null;
    });
    inspected++;
    if (xhtml === null) continue;
    const page = inspectXhtml(xhtml, item.path);
    const first = page.images.find(isImageName);
    if (page.textLength > TEXT_PAGE_CHARS || first === undefined) {
      textPages++;
      // A fixed-layout book may have a text page or two (a colophon); a reflowable one with prose is a text book.
      if (!opf.fixedLayout && (textPages >= 2 || (inspected <= TEXT_SAMPLE_PAGES && page.textLength > TEXT_PAGE_CHARS))) return null;
      continue;
    }
    images.push(first);
  }
  if (images.length === 0) return null;
  return textPages > images.length ? null : images;
}

export async function readEpubIndex(handle: ReadableFile, size: number, directory: ZipDirectory): Promise<ArchiveIndex> {
  const container = await readText(handle, size, directory, 'META-INF/container.xml', MAX_PACKAGE_BYTES);
  if (container === null) throw new ArchiveError('corrupt', 'The EPUB has no META-INF/container.xml.', 'epub');
  const opfPath = rootfilePath(container);
  if (opfPath === null) throw new ArchiveError('corrupt', 'The EPUB container names no package document.', 'epub');
  const opfXml = await readText(handle, size, directory, opfPath, MAX_PACKAGE_BYTES);
  if (opfXml === null) throw new ArchiveError('corrupt', `The EPUB's package document ${opfPath} is missing.`, 'epub');
  const opf = parseOpf(opfXml, opfPath);
  if (opf === null) throw new ArchiveError('corrupt', `The EPUB's package document ${opfPath} could not be read.`, 'epub');

  const images = await spineImages(handle, size, directory, opf);
  const order = new Map<string, number>();
  const pagePaths = images ?? (opf.coverPath ? [opf.coverPath] : []);
  for (const path of pagePaths) if (!order.has(path.toLowerCase())) order.set(path.toLowerCase(), order.size);
  // Every entry says whether it is a page (a number) or not (null): the spine, not the names, orders pages.
  const entries: ArchiveEntry[] = directory.entries.map((entry) => ({ ...entry, pageOrder: order.get(entry.name.toLowerCase()) ?? null }));
  return {
    format: 'epub',
    entries,
    comment: null,
    kind: images === null ? 'text-book' : 'comic',
    document: { source: 'epub', metadata: opf.metadata, embeddedXml: null },
  };
}
