// Progress display of `longbox scan`: a redrawn bar on a TTY, plain lines otherwise (logs, CI).
import type { CacheStatus } from '../../shared/types.js';

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** `scanning 1200/5000 24% 850 files/s ETA 0:04`, with a bar of `barWidth` cells when > 0. */
export function formatProgress(status: CacheStatus, barWidth: number): string {
  const p = status.progress;
  if (!p) return status.phase;
  const ratio = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const parts: string[] = [];
  if (barWidth > 0) {
    const filled = Math.round(ratio * barWidth);
    parts.push(`[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`);
  }
  if (p.total === 0) {
    // The walk has not counted the files yet.
    parts.push(status.phase, `${p.done} files`);
    return parts.join(' ');
  }
  parts.push(status.phase, `${p.done}/${p.total}`, `${Math.floor(ratio * 100)}%`);
  if (p.files_per_second > 0) parts.push(`${Math.round(p.files_per_second)} files/s`);
  if (p.eta_seconds !== null) parts.push(`ETA ${formatDuration(p.eta_seconds)}`);
  return parts.join(' ');
}

export interface ProgressSink {
  write(text: string): void;
  isTTY: boolean;
}

/** Turns status events into output: redraws at most every 100 ms on a TTY, a line per second otherwise. */
export class ProgressReporter {
  private lastAt = 0;
  private lastPhase: string | null = null;
  private drawn = false;

  constructor(
    private readonly sink: ProgressSink,
    private readonly now: () => number = Date.now,
  ) {}

  update(status: CacheStatus): void {
    if (!status.rebuild_in_progress) return;
    const t = this.now();
    const phaseChanged = status.phase !== this.lastPhase;
    if (!phaseChanged && t - this.lastAt < (this.sink.isTTY ? 100 : 1000)) return;
    this.lastAt = t;
    this.lastPhase = status.phase;
    if (this.sink.isTTY) {
      this.sink.write(`\r${formatProgress(status, 30)}\x1b[K`);
      this.drawn = true;
    } else {
      this.sink.write(`${formatProgress(status, 0)}\n`);
    }
  }

  /** Ends the redrawn line so what follows starts on a fresh one. */
  finish(): void {
    if (this.drawn) this.sink.write('\r\x1b[K');
    this.drawn = false;
  }
}

/** The one-paragraph result of `longbox scan` without --json. */
export function formatScanSummary(status: CacheStatus, failed: boolean): string {
  const lines: string[] = [];
  const root = status.library_root ?? '(unknown folder)';
  if (failed && status.last_error) lines.push(`Scan of ${root} failed: ${status.last_error.message}`);
  else lines.push(`Scanned ${root}`);
  const took = status.last_duration_ms !== null ? ` in ${(status.last_duration_ms / 1000).toFixed(1)} s` : '';
  lines.push(
    `  ${status.file_count} files, ${status.error_count} with errors, generation ${status.generation}${failed ? '' : took}`,
  );
  return `${lines.join('\n')}\n`;
}
