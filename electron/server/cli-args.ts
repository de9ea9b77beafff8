// The `longbox` command line: a small hand-written parser with clear errors (exit code 2).
import { isLoopbackHost } from './security.js';

export const DEFAULT_PORT = 7421;
export const DEFAULT_HOST = '127.0.0.1';

export interface ServeCommand {
  kind: 'serve';
  /** null: the sample library. */
  folder: string | null;
  port: number;
  /** Data home override (like LONGBOX_DATA_DIR); null: the default. */
  dataDir: string | null;
  host: string;
  token: string | null;
  watch: boolean;
}

export interface ScanCommand {
  kind: 'scan';
  folder: string;
  dataDir: string | null;
  json: boolean;
}

export interface HelpCommand {
  kind: 'help';
  text: string;
  /** 2 when help is shown because no command was given. */
  exitCode: 0 | 2;
}

export type CliCommand = ServeCommand | ScanCommand | HelpCommand;

/** Bad command line: print the message and exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const MAIN_HELP = `Usage: longbox <command> [options]

Commands:
  serve [folder]   Serve the library UI and JSON API over HTTP (default: the sample library)
  scan <folder>    Build or refresh a library's cache, show progress, print the result

Run \`longbox <command> --help\` for the command's options.
`;

export const SERVE_HELP = `Usage: longbox serve [folder] [options]

Serves the Longbox UI and its JSON API (/api/comics, /api/cache/stats, /api/events, ...).
Without a folder, a generated sample library is served.

Options:
  --port N         Port to listen on (default ${DEFAULT_PORT}; 0 picks a free port)
  --host H         Address to bind (default ${DEFAULT_HOST}); anything but loopback needs --token
  --token T        Require this token on every API request (Authorization: Bearer T, or ?token=T).
                   Open the printed URL: the page reads the token from its own address.
  --data-dir DIR   Data home (default: LONGBOX_DATA_DIR or the platform's data folder)
  --no-watch       Do not watch the folder for changes (use Refresh instead)
  -h, --help       Show this help
`;

export const SCAN_HELP = `Usage: longbox scan <folder> [options]

Builds or refreshes the cache of a library folder, shows progress, prints the final status.
Exit code 0 on success, 1 if the rebuild failed.

Options:
  --data-dir DIR   Data home (default: LONGBOX_DATA_DIR or the platform's data folder)
  --json           Print the final status as JSON
  -h, --help       Show this help
`;

interface OptionSpec {
  /** Takes a value (`--port 80`, `--port=80`) rather than being a flag. */
  value: boolean;
}

type Parsed = { positionals: string[]; options: Map<string, string | true> };

function parseOptions(command: string, argv: readonly string[], specs: Readonly<Record<string, OptionSpec>>): Parsed {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      options.set('help', true);
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq < 0 ? undefined : eq) : '';
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) throw new UsageError(`unknown option '${arg.slice(0, 60)}' for '${command}' (see longbox ${command} --help)`);
    if (options.has(name)) throw new UsageError(`--${name} given more than once`);
    if (!spec.value) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      options.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value !== undefined && value.startsWith('--')) value = undefined;
      else i++;
    }
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    options.set(name, value);
  }
  return { positionals, options };
}

function str(parsed: Parsed, name: string): string | null {
  const v = parsed.options.get(name);
  return typeof v === 'string' ? v : null;
}

export function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new UsageError(`--port: expected a number from 0 to 65535, got '${text.slice(0, 40)}'`);
  }
  return Number(text);
}

function parseServe(argv: readonly string[]): ServeCommand | HelpCommand {
  const parsed = parseOptions('serve', argv, {
    port: { value: true },
    host: { value: true },
    token: { value: true },
    'data-dir': { value: true },
    'no-watch': { value: false },
  });
  if (parsed.options.has('help')) return { kind: 'help', text: SERVE_HELP, exitCode: 0 };
  if (parsed.positionals.length > 1) throw new UsageError('serve takes at most one folder');
  const portText = str(parsed, 'port');
  const host = str(parsed, 'host') ?? DEFAULT_HOST;
  const token = str(parsed, 'token');
  if (token !== null && /\s/.test(token)) throw new UsageError('--token must not contain spaces');
  if (!isLoopbackHost(host) && token === null) {
    throw new UsageError(
      `refusing to serve on '${host}' without a token: anyone on the network could read the library. ` +
        `Add --token <secret>, or bind to ${DEFAULT_HOST}.`,
    );
  }
  return {
    kind: 'serve',
    folder: parsed.positionals[0] ?? null,
    port: portText === null ? DEFAULT_PORT : parsePort(portText),
    dataDir: str(parsed, 'data-dir'),
    host,
    token,
    watch: !parsed.options.has('no-watch'),
  };
}

function parseScan(argv: readonly string[]): ScanCommand | HelpCommand {
  const parsed = parseOptions('scan', argv, { 'data-dir': { value: true }, json: { value: false } });
  if (parsed.options.has('help')) return { kind: 'help', text: SCAN_HELP, exitCode: 0 };
  if (parsed.positionals.length === 0) throw new UsageError('scan needs a folder (see longbox scan --help)');
  if (parsed.positionals.length > 1) throw new UsageError('scan takes exactly one folder');
  return { kind: 'scan', folder: parsed.positionals[0], dataDir: str(parsed, 'data-dir'), json: parsed.options.has('json') };
}

/** Throws UsageError for anything it cannot make sense of. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      return { kind: 'help', text: MAIN_HELP, exitCode: 2 };
    case 'help':
    case '-h':
    case '--help':
      return { kind: 'help', text: MAIN_HELP, exitCode: 0 };
    case 'serve':
      return parseServe(rest);
    case 'scan':
      return parseScan(rest);
    default:
      throw new UsageError(`unknown command '${command.slice(0, 60)}' (commands: serve, scan; see longbox --help)`);
  }
}
