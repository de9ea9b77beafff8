// Test helpers for the HTTP layer: imported by the *.test.ts files only, never by the host itself.
import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export interface RawRequest {
  method?: string;
  /** Sent exactly as given (no URL normalisation, unlike fetch). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One HTTP request over node:http with the path sent verbatim. */
export function rawRequest(port: number, request: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: request.method ?? 'GET', path: request.path, headers: request.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

export interface SseEvent {
  event: string;
  data: string;
}

/** A live SSE connection that collects parsed events and comments. */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  retry: number | null = null;
  status = 0;
  headers: http.IncomingHttpHeaders = {};
  private buffer = '';
  private readonly req: http.ClientRequest;
  private waiters: Array<() => void> = [];
  readonly opened: Promise<void>;

  constructor(port: number, path: string, headers?: Record<string, string>) {
    let opened!: () => void;
    let failed!: (err: Error) => void;
    this.opened = new Promise((resolve, reject) => {
      opened = resolve;
      failed = reject;
    });
    this.req = http.get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      this.status = res.statusCode ?? 0;
      this.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => this.feed(chunk));
      res.on('error', () => {});
      opened();
    });
    this.req.on('error', failed);
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      let hasField = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('retry: ')) this.retry = Number(line.slice(7));
        else if (line.startsWith('event: ')) {
          event = line.slice(7);
          hasField = true;
        } else if (line.startsWith('data: ')) {
          data.push(line.slice(6));
          hasField = true;
        }
      }
      if (hasField) this.events.push({ event, data: data.join('\n') });
    }
    for (const w of this.waiters) w();
  }

  /** Resolves once `predicate` holds (checked after every chunk), or rejects after `ms`. */
  waitFor(predicate: () => boolean, ms = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('SSE wait timed out')), ms);
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  close(): void {
    this.req.destroy();
  }
}
