#!/usr/bin/env node
// The `longbox` command: a thin shim over the compiled CLI (electron/server/cli.ts → out/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cliUrl = new URL('../out/electron/server/cli.js', import.meta.url);

if (!existsSync(fileURLToPath(cliUrl))) {
  process.stderr.write('Longbox is not built yet: run `npm run build`\n');
  process.exit(1);
}

const { main } = await import(cliUrl.href);
const code = await main(process.argv.slice(2));
process.exit(code);
