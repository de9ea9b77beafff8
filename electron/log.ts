// Main owns the only log file (STYLE §5.8): electron-log writing to <logs>/main.log, one Logger per
// scope for the engine and the app. The worker's log messages and its stdout/stderr arrive here too
// (worker-launch.ts prefixes them `[engine pid=N]`).
import { app } from 'electron';
import log from 'electron-log/main.js';
import path from 'node:path';
import type { Logger } from './library/logger.js';

let configured = false;

/** Call once after app.setName/setPath so the file lands in this app's logs folder. */
export function configureLogging(isDev: boolean): void {
  if (configured) return;
  configured = true;
  log.transports.file.resolvePathFn = () => path.join(logsFolder(), 'main.log');
  log.transports.file.level = isDev ? 'debug' : 'info';
  log.transports.file.maxSize = 5 * 1024 * 1024;
  log.transports.console.level = isDev ? 'debug' : 'warn';
}

export function logsFolder(): string {
  return app.getPath('logs');
}

export function createLogger(scope: string): Logger {
  const scoped = log.scope(scope);
  return {
    debug: (message) => scoped.debug(message),
    info: (message) => scoped.info(message),
    warn: (message) => scoped.warn(message),
    error: (message) => scoped.error(message),
  };
}
