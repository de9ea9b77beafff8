// A LibraryService in a process of its own, for the two-processes test. Prints one JSON line per
// event on stdout; exits on SIGTERM after closing the service. Test-only.
import { openLibraryService } from '../library-service.js';

const [root, dataDir] = process.argv.slice(2);
if (!root || !dataDir) {
  console.error('usage: service-process <root> <dataDir>');
  process.exit(64);
}
const service = await openLibraryService({ root, dataDir, watch: false });
const print = (value: unknown) => process.stdout.write(JSON.stringify(value) + '\n');
service.subscribe((event) => print(event));
print({ type: 'opened', status: service.getStatus() });
process.on('SIGTERM', () => {
  void service.close().then(() => process.exit(0));
});
