// GET /api/events: the service's events as Server-Sent Events.
//   event: status            data: <CacheStatus JSON>
//   event: library-changed   data: {"generation": n}
// plus `retry: 2000` on connect and a `: ping` comment every pingMs (one shared timer for all clients).
import type http from 'node:http';
import type { LibraryEvent } from '../../shared/types.js';
import type { LibraryServiceApi } from '../library/service-types.js';

export function formatEvent(event: LibraryEvent): string {
  if (event.type === 'status') return `event: status\ndata: ${JSON.stringify(event.status)}\n\n`;
  return `event: library-changed\ndata: ${JSON.stringify({ generation: event.generation })}\n\n`;
}

export class EventStreams {
  private readonly clients = new Set<http.ServerResponse>();
  private pingTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly service: LibraryServiceApi,
    private readonly pingMs: number,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  open(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      'X-Content-Type-Options': 'nosniff',
    });
    const unsubscribe = this.service.subscribe((event) => {
      // A status event is superseded by the next one: skip it for a client that is not keeping up.
      if (event.type === 'status' && res.writableNeedDrain) return;
      res.write(formatEvent(event));
    });
    this.clients.add(res);
    res.on('close', () => {
      unsubscribe();
      this.clients.delete(res);
      if (this.clients.size === 0) this.stopPing();
    });
    res.write(`retry: 2000\n\n${formatEvent({ type: 'status', status: this.service.getStatus() })}`);
    this.startPing();
  }

  /** Ends every stream (server shutdown). */
  closeAll(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
    this.stopPing();
  }

  private startPing(): void {
    if (this.pingTimer) return;
    this.pingTimer = setInterval(() => {
      for (const res of this.clients) res.write(': ping\n\n');
    }, this.pingMs);
    this.pingTimer.unref();
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }
}
