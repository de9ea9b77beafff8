// What an API route is: a path pattern and a handler per method, each handler given the host's
// context and the call. Shared by api-routes.ts (the table and the comic routes) and browse-routes.ts.
import type http from 'node:http';
import type { LibraryInfo } from '../../shared/types.js';
import type { Logger } from '../library/logger.js';
import type { LibraryServiceApi } from '../library/service-types.js';
import type { EventStreams } from './sse.js';

export interface ApiContext {
  service: LibraryServiceApi;
  library: LibraryInfo;
  events: EventStreams;
  logger: Logger;
}

export interface Call {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  params: URLSearchParams;
  /** The `:id` segment, raw. */
  id: string;
  /** The second captured segment (a page's `:index`), raw; '' when the route has none. */
  sub: string;
}

export type Handler = (ctx: ApiContext, call: Call) => Promise<void> | void;

export interface Route {
  pattern: RegExp;
  methods: Readonly<Record<string, Handler>>;
}
