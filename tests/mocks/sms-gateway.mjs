// eimza — a stand-in for an SMS operator's HTTP API, for tests (node:http only, no packages).
//
//   node tests/mocks/sms-gateway.mjs LOG.jsonl
//
// Listens on 127.0.0.1 on a free port and prints "port=N" on stdout once it is ready. Every
// request except the control ones is appended to LOG.jsonl as one JSON line
// {"method","url","headers","body"} before it is answered (so the log is complete by the time
// the client sees the answer).
//
// How it answers is a queue of modes, each used for one request; the last one stays:
//   200 | 400 | 500 (or any status)  answer with that status and a small JSON body
//   delay:MS                          answer 200 after MS milliseconds (past a client timeout)
//   close                             close the connection without answering
// The queue starts from SMS_MOCK_MODES (comma-separated; default "200") and is replaced by
// PUT /_mock/modes with a comma-separated body. GET /_mock/count gives the number of
// requests recorded so far.
import { appendFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';

const logPath = process.argv[2];
if (!logPath) {
  console.error('usage: sms-gateway.mjs LOG.jsonl');
  process.exit(1);
}
writeFileSync(logPath, '');

const parse = (text) => text.split(',').map((m) => m.trim()).filter((m) => m.length > 0);
let modes = parse(process.env.SMS_MOCK_MODES || '200');
let count = 0;

function nextMode() {
  return modes.length > 1 ? modes.shift() : modes[0] || '200';
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.url === '/_mock/modes' && req.method === 'PUT') {
      modes = parse(body);
      res.writeHead(204).end();
      return;
    }
    if (req.url === '/_mock/count') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(String(count));
      return;
    }
    count++;
    appendFileSync(logPath,
      JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }) + '\n');
    const mode = nextMode();
    if (mode === 'close') {
      req.socket.destroy();
      return;
    }
    if (mode.startsWith('delay:')) {
      const ms = Number(mode.slice(6)) || 0;
      setTimeout(() => {
        if (!res.destroyed && !req.socket.destroyed)
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"late"}');
      }, ms);
      return;
    }
    const status = Number(mode) || 200;
    res.writeHead(status, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: status < 300 ? 'queued' : 'error' }));
  });
  req.on('error', () => {});
});
server.on('clientError', (err, socket) => socket.destroy());
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`port=${server.address().port}\n`);
});
const stop = () => {
  server.closeAllConnections(); // keep-alive connections would hold close() open
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
