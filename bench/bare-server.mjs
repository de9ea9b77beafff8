// The same-run floor of an HTTP read: a bare `node` server that answers each URL with the body
// `longbox serve` gave for it (a JSON file of { "<path?query>": "<body>" } named by argv[2]), with the
// host's headers' shape, and nothing else. measure-http.ts times it interleaved with the host, so
// the difference between the two is what the host adds, not what the machine or the client cost.
import http from 'node:http';
import { readFileSync } from 'node:fs';

const bodies = new Map(Object.entries(JSON.parse(readFileSync(process.argv[2], 'utf8'))));
const server = http.createServer((req, res) => {
  const body = bodies.get(req.url ?? '');
  if (body === undefined) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`bare server at http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`);
});
