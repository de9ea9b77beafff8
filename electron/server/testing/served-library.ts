// The real engine behind the HTTP host, for route tests over a library on disk.
import { openLibraryService, type LibraryService } from '../../library/library-service.js';
import type { LibraryServiceOptions } from '../../library/service-options.js';
import { createHttpHost, type HttpHost } from '../http-server.js';

export interface ServedLibrary {
  service: LibraryService;
  host: HttpHost;
  /** The host's port on 127.0.0.1. */
  port: number;
}

/** Opens the LibraryService, waits for its first rebuild, and serves it on a free loopback port. */
export async function serveLibrary(options: LibraryServiceOptions): Promise<ServedLibrary> {
  const service = await openLibraryService(options);
  await service.whenIdle();
  const host = createHttpHost({ service, library: { root: options.root, isSample: false } });
  const { port } = await host.listen(0, '127.0.0.1');
  return { service, host, port };
}

/** Closes the host, then the service; either may be missing when the setup failed before it. */
export async function closeServedLibrary({ host, service }: Partial<ServedLibrary>): Promise<void> {
  await host?.close();
  await service?.close();
}
