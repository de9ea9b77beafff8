// What each ErrorKind means to a person: a short label and one plain sentence. The one table the
// renderer uses for problems (Problems list, details, tooltips); the engine's own message is the
// technical detail, shown on request.
import type { ErrorKind } from '../../shared/types.js';

export interface ProblemText {
  /** A few words, sentence case: the Problems list's "Problem" column. */
  label: string;
  /** One plain sentence: what is wrong and, where there is one, what helps. */
  sentence: string;
}

export const PROBLEM_TEXT: Readonly<Record<ErrorKind, ProblemText>> = {
  'not-archive': {
    label: 'Not a comic file',
    sentence: 'This file is not a ZIP, RAR, 7z, TAR or PDF archive, whatever its name says.',
  },
  corrupt: {
    label: 'Damaged file',
    sentence: 'The file is damaged inside and cannot be read; a fresh copy usually fixes it.',
  },
  truncated: {
    label: 'Incomplete file',
    sentence: 'The file ends too early, as if a download or a copy stopped part-way.',
  },
  encrypted: {
    label: 'Password protected',
    sentence: 'The archive is locked with a password, so its pages cannot be shown.',
  },
  'multi-volume': {
    label: 'Part of a split archive',
    sentence: 'This file is one part of an archive split over several files; only single-file comics are read.',
  },
  empty: {
    label: 'Empty file',
    sentence: 'The file is empty (0 bytes): nothing was saved in it.',
  },
  'no-images': {
    label: 'No pages',
    sentence: 'The archive opens, but it holds no images to show as pages.',
  },
  unsupported: {
    label: 'Format not supported yet',
    sentence: 'The format was recognised, but this version cannot read it yet.',
  },
  'too-large': {
    label: 'Over a safety limit',
    sentence: 'The file declares more entries or data than is safe to read, so it was skipped.',
  },
  timeout: {
    label: 'Took too long',
    sentence: 'Reading this file took too long; it is tried again on the next refresh.',
  },
  unreadable: {
    label: 'Could not be opened',
    sentence: 'The system would not let the file be read (permissions or a disk error); it is tried again on the next refresh.',
  },
};

export function problemLabel(kind: ErrorKind): string {
  return PROBLEM_TEXT[kind]?.label ?? 'Cannot be read';
}

export function problemSentence(kind: ErrorKind): string {
  return PROBLEM_TEXT[kind]?.sentence ?? 'This file could not be read.';
}
