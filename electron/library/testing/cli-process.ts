// The real `longbox` command run from source (node --import tsx), for tests that need the CLI and the
// HTTP host as processes of their own without a build. Test-only.
import { main } from '../../server/cli.js';

process.exit(await main(process.argv.slice(2)));
