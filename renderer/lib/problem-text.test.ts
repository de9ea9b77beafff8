import { describe, expect, it } from 'vitest';
import type { ErrorKind } from '../../shared/types.js';
import { PROBLEM_TEXT, problemLabel, problemSentence } from './problem-text.js';

const KINDS: ErrorKind[] = ['not-archive', 'corrupt', 'truncated', 'encrypted', 'multi-volume', 'empty', 'no-images', 'unsupported', 'too-large', 'timeout', 'unreadable'];

describe('problem text', () => {
  it('has a human label and one plain sentence for every error kind', () => {
    expect(Object.keys(PROBLEM_TEXT).sort()).toEqual([...KINDS].sort());
    for (const kind of KINDS) {
      const label = problemLabel(kind);
      const sentence = problemSentence(kind);
      // Not the slug: words with spaces, a capital first letter, no hyphenated identifier.
      expect(label, kind).not.toBe(kind);
      expect(label, kind).toMatch(/^[A-Z][a-z]+( [a-z-]+)*$/);
      expect(label.length, kind).toBeLessThanOrEqual(28);
      // One sentence, ending with a full stop, no developer words.
      expect(sentence, kind).toMatch(/^[A-Z].*\.$/);
      expect(sentence.split(/[.!?](\s|$)/).filter((s) => s.trim().length > 0), kind).toHaveLength(1);
      expect(sentence, kind).not.toMatch(/end-of-central|ENOENT|EACCES|errno|header|\bEOF\b/i);
    }
  });
});
