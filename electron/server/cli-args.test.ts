import { describe, expect, it } from 'vitest';
import { COMMANDS, commandHelp, DEFAULT_PORT, MAIN_HELP, parseCliArgs, UsageError, type CommandName } from './cli-args.js';

function usageError(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

describe('parseCliArgs: serve', () => {
  it('has safe defaults', () => {
    expect(parseCliArgs(['serve'])).toEqual({
      kind: 'serve',
      folder: null,
      port: DEFAULT_PORT,
      dataDir: null,
      host: '127.0.0.1',
      token: null,
      watch: true,
    });
  });

  it('reads every option, in both --opt value and --opt=value forms', () => {
    expect(
      parseCliArgs(['serve', '/comics', '--port', '0', '--data-dir=/tmp/d', '--host', '0.0.0.0', '--token=abc', '--no-watch']),
    ).toEqual({
      kind: 'serve',
      folder: '/comics',
      port: 0,
      dataDir: '/tmp/d',
      host: '0.0.0.0',
      token: 'abc',
      watch: false,
    });
  });

  it('accepts loopback hosts without a token', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) {
      expect(parseCliArgs(['serve', '--host', host])).toMatchObject({ host, token: null });
    }
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'nas.local'])('refuses non-loopback --host %s without --token', (host) => {
    expect(usageError(['serve', '--host', host])).toMatch(/without a token/);
  });

  it.each([
    [['serve', '--port', '70000'], /--port/],
    [['serve', '--port', '-1'], /--port/],
    [['serve', '--port', 'http'], /--port/],
    [['serve', '--port'], /--port needs a value/],
    [['serve', '--port', '--no-watch'], /--port needs a value/],
    [['serve', '--prot', '80'], /unknown option '--prot'/],
    [['serve', '-p', '80'], /unknown option '-p'/],
    [['serve', 'a', 'b'], /at most one folder/],
    [['serve', '--no-watch=1'], /takes no value/],
    [['serve', '--port', '1', '--port', '2'], /more than once/],
    [['serve', '--token', 'a b', '--host', '0.0.0.0'], /spaces/],
  ])('refuses %j', (argv, message) => {
    expect(usageError(argv)).toMatch(message);
  });

  it('takes a folder after --', () => {
    expect(parseCliArgs(['serve', '--', '--weird-folder'])).toMatchObject({ folder: '--weird-folder' });
  });

  it('shows help', () => {
    const help = parseCliArgs(['serve', '--help']);
    expect(help).toMatchObject({ kind: 'help', exitCode: 0 });
    expect(help.kind === 'help' && help.text).toMatch(/--token/);
  });
});

describe('parseCliArgs: scan and the rest', () => {
  it('parses scan', () => {
    expect(parseCliArgs(['scan', 'lib', '--json', '--data-dir', 'd'])).toEqual({
      kind: 'scan',
      folder: 'lib',
      dataDir: 'd',
      json: true,
    });
  });

  it('needs a folder for scan', () => {
    expect(usageError(['scan'])).toMatch(/needs a folder/);
    expect(usageError(['scan', '--port', '1', 'x'])).toMatch(/unknown option/);
  });

  it('shows help with no command (exit 2) or --help (exit 0)', () => {
    expect(parseCliArgs([])).toMatchObject({ kind: 'help', exitCode: 2 });
    expect(parseCliArgs(['--help'])).toMatchObject({ kind: 'help', exitCode: 0 });
    expect(parseCliArgs(['help'])).toMatchObject({ kind: 'help', exitCode: 0 });
    expect(parseCliArgs(['scan', '-h'])).toMatchObject({ kind: 'help', exitCode: 0 });
  });

  it('refuses an unknown command', () => {
    expect(usageError(['serv'])).toMatch(/unknown command 'serv'/);
  });
});

describe('the command table', () => {
  it.each(Object.keys(COMMANDS) as CommandName[])('%s: --help and -h list every option of its table entry', (name) => {
    for (const flag of ['--help', '-h']) {
      const help = parseCliArgs([name, flag]);
      expect(help).toMatchObject({ kind: 'help', exitCode: 0 });
      expect(help.kind === 'help' && help.text).toBe(commandHelp(name));
    }
    for (const option of Object.keys(COMMANDS[name].options)) expect(commandHelp(name)).toContain(`--${option}`);
    expect(MAIN_HELP).toContain(COMMANDS[name].usage);
  });

  it.each(Object.keys(COMMANDS) as CommandName[])('%s: an unknown option names the command and its help', (name) => {
    expect(usageError([name, '--nonsense'])).toBe(`unknown option '--nonsense' for '${name}' (see longbox ${name} --help)`);
  });

  it('lists the commands in the unknown-command error', () => {
    expect(usageError(['nope'])).toContain(`commands: ${Object.keys(COMMANDS).join(', ')}`);
  });
});

describe('parseCliArgs: the state commands', () => {
  it('export-state <folder> [--data-dir DIR] [--out FILE]', () => {
    expect(parseCliArgs(['export-state', '/comics'])).toEqual({ kind: 'export-state', folder: '/comics', dataDir: null, out: null });
    expect(parseCliArgs(['export-state', '/comics', '--data-dir', '/d', '--out=/tmp/s.json'])).toEqual({
      kind: 'export-state',
      folder: '/comics',
      dataDir: '/d',
      out: '/tmp/s.json',
    });
    expect(usageError(['export-state'])).toMatch(/needs a folder/);
    expect(usageError(['export-state', '/a', '/b'])).toMatch(/exactly one folder/);
  });

  it('import-state <folder> <file> [--data-dir DIR]', () => {
    expect(parseCliArgs(['import-state', '/comics', 's.json', '--data-dir', '/d'])).toEqual({
      kind: 'import-state',
      folder: '/comics',
      file: 's.json',
      dataDir: '/d',
    });
    expect(usageError(['import-state', '/comics'])).toMatch(/needs a folder and a file/);
    expect(usageError(['import-state', '/comics', 's.json', '--out', 'x'])).toMatch(/unknown option '--out'/);
  });

  it('prune-state <folder> [--dry-run]', () => {
    expect(parseCliArgs(['prune-state', '/comics', '--dry-run'])).toEqual({ kind: 'prune-state', folder: '/comics', dataDir: null, dryRun: true });
    expect(parseCliArgs(['prune-state', '/comics'])).toMatchObject({ dryRun: false });
  });

  it('are listed in the main help, each with its own help', () => {
    for (const name of ['export-state', 'import-state', 'prune-state'] as const) {
      expect(MAIN_HELP).toContain(name);
      expect(commandHelp(name)).toMatch(new RegExp(`^Usage: longbox ${name}`));
    }
  });
});
