// The `longbox` command line on Node's util.parseArgs. Each command is one entry of COMMANDS: its
// options (which also make its --help), how many folders it takes, and how the parsed words become
// the typed command cli.ts runs. Bad usage is a UsageError with a clear message (exit code 2).
// Adding a command: one entry here, one runner in cli.ts (a missing runner is a compile error).
import { parseArgs } from 'node:util';
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

export interface ExportStateCommand {
  kind: 'export-state';
  folder: string;
  dataDir: string | null;
  /** null: JSON to stdout. */
  out: string | null;
}

export interface ImportStateCommand {
  kind: 'import-state';
  folder: string;
  file: string;
  dataDir: string | null;
}

export interface PruneStateCommand {
  kind: 'prune-state';
  folder: string;
  dataDir: string | null;
  /** List the orphans, delete nothing. */
  dryRun: boolean;
}

export interface HelpCommand {
  kind: 'help';
  text: string;
  /** 2 when help is shown because no command was given. */
  exitCode: 0 | 2;
}

/** Bad command line: print the message and exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

interface OptionDef {
  /** 'string' takes a value (`--port 80`, `--port=80`); 'boolean' is a flag. */
  type: 'string' | 'boolean';
  /** The value's name in the help (`--port N`). */
  value?: string;
  /** One line, or several joined by \n (continued under the first). */
  help: string;
}

/** What a command's `build` gets: its folders and options, already checked against its table. */
export interface ParsedWords {
  positionals: string[];
  string(name: string): string | null;
  flag(name: string): boolean;
}

interface CommandDef<C> {
  /** `serve [folder]`: the usage line after `longbox `. */
  usage: string;
  /** The line in `longbox --help`. */
  summary: string;
  /** The paragraph under the usage line in `longbox <command> --help`. */
  description: string;
  options: Readonly<Record<string, OptionDef>>;
  /** Checks what parseArgs cannot (values, combinations) and builds the command; throws UsageError. */
  build(words: ParsedWords): C;
}

const DATA_DIR: OptionDef = { type: 'string', value: 'DIR', help: "Data home (default: LONGBOX_DATA_DIR or the platform's data folder)" };

export function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new UsageError(`--port: expected a number from 0 to 65535, got '${text.slice(0, 40)}'`);
  }
  return Number(text);
}

const serve: CommandDef<ServeCommand> = {
  usage: 'serve [folder]',
  summary: 'Serve the library UI and JSON API over HTTP (default: the sample library)',
  description:
    'Serves the Longbox UI and its JSON API (/api/comics, /api/cache/stats, /api/events, ...).\nWithout a folder, a generated sample library is served.',
  options: {
    port: { type: 'string', value: 'N', help: `Port to listen on (default ${DEFAULT_PORT}; 0 picks a free port)` },
    host: { type: 'string', value: 'H', help: `Address to bind (default ${DEFAULT_HOST}); anything but loopback needs --token` },
    token: {
      type: 'string',
      value: 'T',
      help: 'Require this token on every API request (Authorization: Bearer T, or ?token=T).\nOpen the printed URL: the page reads the token from its own address.',
    },
    'data-dir': DATA_DIR,
    'no-watch': { type: 'boolean', help: 'Do not watch the folder for changes (use Refresh instead)' },
  },
  build(words) {
    if (words.positionals.length > 1) throw new UsageError('serve takes at most one folder');
    const portText = words.string('port');
    const host = words.string('host') ?? DEFAULT_HOST;
    const token = words.string('token');
    if (token !== null && /\s/.test(token)) throw new UsageError('--token must not contain spaces');
    if (!isLoopbackHost(host) && token === null) {
      throw new UsageError(
        `refusing to serve on '${host}' without a token: anyone on the network could read the library. ` +
          `Add --token <secret>, or bind to ${DEFAULT_HOST}.`,
      );
    }
    return {
      kind: 'serve',
      folder: words.positionals[0] ?? null,
      port: portText === null ? DEFAULT_PORT : parsePort(portText),
      dataDir: words.string('data-dir'),
      host,
      token,
      watch: !words.flag('no-watch'),
    };
  },
};

const scan: CommandDef<ScanCommand> = {
  usage: 'scan <folder>',
  summary: "Build or refresh a library's cache, show progress, print the result",
  description: 'Builds or refreshes the cache of a library folder, shows progress, prints the final status.\nExit code 0 on success, 1 if the rebuild failed.',
  options: {
    'data-dir': DATA_DIR,
    json: { type: 'boolean', help: 'Print the final status as JSON' },
  },
  build(words) {
    if (words.positionals.length === 0) throw new UsageError('scan needs a folder (see longbox scan --help)');
    if (words.positionals.length > 1) throw new UsageError('scan takes exactly one folder');
    return { kind: 'scan', folder: words.positionals[0]!, dataDir: words.string('data-dir'), json: words.flag('json') };
  },
};

function oneFolder(command: string, words: ParsedWords): string {
  if (words.positionals.length === 0) throw new UsageError(`${command} needs a folder (see longbox ${command} --help)`);
  if (words.positionals.length > 1) throw new UsageError(`${command} takes exactly one folder`);
  return words.positionals[0]!;
}

const exportState: CommandDef<ExportStateCommand> = {
  usage: 'export-state <folder>',
  summary: "Write a library's read state (read, page, favourite, reader settings) as JSON",
  description:
    'Writes the read state of a library folder as JSON: each comic by fingerprint, path and series/number,\nso it can be imported on another machine. JSON goes to stdout unless --out is given.',
  options: { 'data-dir': DATA_DIR, out: { type: 'string', value: 'FILE', help: 'Write to FILE instead of stdout' } },
  build(words) {
    return { kind: 'export-state', folder: oneFolder('export-state', words), dataDir: words.string('data-dir'), out: words.string('out') };
  },
};

const importState: CommandDef<ImportStateCommand> = {
  usage: 'import-state <folder> <file>',
  summary: 'Merge an export into a library (newer state wins); prints what matched',
  description:
    'Merges a file written by export-state into the library folder: comics are matched by fingerprint,\nthen by path or series/number; state newer than the file is kept. Prints how many matched.\nThe library is scanned first, and user.db is backed up before anything is written.',
  options: { 'data-dir': DATA_DIR },
  build(words) {
    if (words.positionals.length !== 2) throw new UsageError('import-state needs a folder and a file (see longbox import-state --help)');
    return { kind: 'import-state', folder: words.positionals[0]!, file: words.positionals[1]!, dataDir: words.string('data-dir') };
  },
};

const pruneState: CommandDef<PruneStateCommand> = {
  usage: 'prune-state <folder>',
  summary: 'Delete the kept state of comics whose files are gone from a library',
  description:
    "State of a comic whose file is gone is kept (it comes back with the file). This deletes it for\nthe library folder's missing comics, after scanning the folder and backing user.db up.",
  options: { 'data-dir': DATA_DIR, 'dry-run': { type: 'boolean', help: 'List what would be deleted, delete nothing' } },
  build(words) {
    return { kind: 'prune-state', folder: oneFolder('prune-state', words), dataDir: words.string('data-dir'), dryRun: words.flag('dry-run') };
  },
};

/** Every command: the name is what the user types, the entry is all there is to know about it. */
export const COMMANDS = { serve, scan, 'export-state': exportState, 'import-state': importState, 'prune-state': pruneState } satisfies Record<string, CommandDef<{ kind: string }>>;

export type CommandName = keyof typeof COMMANDS;
export type CliCommand = ReturnType<(typeof COMMANDS)[CommandName]['build']> | HelpCommand;

const HELP_OPTION: OptionDef = { type: 'boolean', help: 'Show this help' };

function optionLines(options: Readonly<Record<string, OptionDef>>): string {
  const entries: Array<[string, OptionDef]> = [...Object.entries(options), ['help', HELP_OPTION]];
  return entries
    .map(([name, def]) => {
      const label = name === 'help' ? '-h, --help' : `--${name}${def.value ? ` ${def.value}` : ''}`;
      const [first, ...rest] = def.help.split('\n');
      return [`  ${label.padEnd(15)}  ${first}`, ...rest.map((line) => `${' '.repeat(19)}${line}`)].join('\n');
    })
    .join('\n');
}

export function commandHelp(name: CommandName): string {
  const def: CommandDef<unknown> = COMMANDS[name];
  return `Usage: longbox ${def.usage} [options]\n\n${def.description}\n\nOptions:\n${optionLines(def.options)}\n`;
}

export const MAIN_HELP = `Usage: longbox <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([, def]) => `  ${def.usage.padEnd(15)}  ${def.summary}`)
  .join('\n')}

Run \`longbox <command> --help\` for the command's options.
`;

/** util.parseArgs in its lenient token mode, then our own checks, so every message is ours. */
function parseWords(command: string, argv: readonly string[], options: Readonly<Record<string, OptionDef>>): ParsedWords & { help: boolean } {
  const config = Object.fromEntries(Object.entries(options).map(([name, def]) => [name, { type: def.type }]));
  const { tokens } = parseArgs({
    args: [...argv],
    options: { ...config, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionals: string[] = [];
  const values = new Map<string, string | true>();
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    if (token.name === 'help') {
      help = true;
      continue;
    }
    const def = Object.hasOwn(options, token.name) && token.rawName.startsWith('--') ? options[token.name] : undefined;
    if (!def) throw new UsageError(`unknown option '${token.rawName.slice(0, 60)}' for '${command}' (see longbox ${command} --help)`);
    if (values.has(token.name)) throw new UsageError(`--${token.name} given more than once`);
    if (def.type === 'boolean') {
      if (token.inlineValue) throw new UsageError(`--${token.name} takes no value`);
      values.set(token.name, true);
      continue;
    }
    // `--port --no-watch`: parseArgs takes the next word as the value; an option is never a value here.
    const value = token.inlineValue || !token.value?.startsWith('--') ? token.value : undefined;
    if (value === undefined || value === '') throw new UsageError(`--${token.name} needs a value`);
    values.set(token.name, value);
  }
  return {
    help,
    positionals,
    string: (name) => {
      const v = values.get(name);
      return typeof v === 'string' ? v : null;
    },
    flag: (name) => values.has(name),
  };
}

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** Throws UsageError for anything it cannot make sense of. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined) return { kind: 'help', text: MAIN_HELP, exitCode: 2 };
  if (command === 'help' || command === '-h' || command === '--help') return { kind: 'help', text: MAIN_HELP, exitCode: 0 };
  if (!isCommandName(command)) {
    throw new UsageError(`unknown command '${command.slice(0, 60)}' (commands: ${Object.keys(COMMANDS).join(', ')}; see longbox --help)`);
  }
  const def: CommandDef<CliCommand> = COMMANDS[command];
  const words = parseWords(command, rest, def.options);
  if (words.help) return { kind: 'help', text: commandHelp(command), exitCode: 0 };
  return def.build(words);
}
