// The engine logs through this small interface; hosts decide where lines go (electron-log in the app,
// stderr in the headless host, nowhere in tests).
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export function consoleLogger(scope: string, minLevel: 'debug' | 'info' | 'warn' | 'error' = 'info'): Logger {
  const order = ['debug', 'info', 'warn', 'error'] as const;
  const min = order.indexOf(minLevel);
  const line = (level: (typeof order)[number]) => (message: string) => {
    if (order.indexOf(level) < min) return;
    process.stderr.write(`${new Date().toISOString()} ${level.padEnd(5)} [${scope}] ${message}\n`);
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/** Stack plus cause chain, for log files. */
export function toLogFormat(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  let text = err.stack ?? `${err.name}: ${err.message}`;
  if (err.cause !== undefined) text += `\nCaused by: ${toLogFormat(err.cause)}`;
  return text;
}
