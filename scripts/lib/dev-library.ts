// The sample generator (electron/library/sample/) with the test-only RAR writer plugged in, so
// generated libraries for development, e2e and benchmarks have their CBR files. The product's
// sample library is CBZ only and never loads this.
import { generateLibrary as generateProductLibrary, type GenerateLibraryOptions, type GenerateLibraryResult } from '../../electron/library/sample/generate-library.js';
import { buildRar } from '../testing/rar-writer.js';

export {
  BROKEN_KINDS,
  brokenKindOf,
  COVER_HEIGHT,
  COVER_WIDTH,
  PAGE_HEIGHT,
  PAGE_WIDTH,
  type BrokenKind,
  type GenerateLibraryOptions,
  type GenerateLibraryResult,
} from '../../electron/library/sample/generate-library.js';

export function generateLibrary(options: GenerateLibraryOptions): Promise<GenerateLibraryResult> {
  return generateProductLibrary({ rarWriter: buildRar, ...options });
}
