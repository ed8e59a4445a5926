// eimza — helper of bench/idle_connections.sh: opens N TCP connections to HOST:PORT and
// keeps them open and silent. Prints "open N" once all are connected; then, on the line
// "request" on stdin, sends one keep-alive `GET PATH` on each and prints "answered N" once
// every connection has its complete answer (the connections stay open, idle again). Exits
// when stdin closes or on SIGTERM.
//   node idle_open.js N HOST PORT PATH
'use strict';
const net = require('node:net');
const readline = require('node:readline');

const [n, host, port, path] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4]),
  process.argv[5] || '/healthz'];
const sockets = [];
let connected = 0;
let failed = 0;

function fail(msg) {
  process.stdout.write(`error ${msg}\n`);
  process.exit(1);
}

for (let i = 0; i < n; i++) {
  const s = net.connect({ host, port });
  s.setNoDelay(true);
  s.on('connect', () => {
    connected++;
    if (connected === n) process.stdout.write(`open ${n}\n`);
  });
  s.on('error', (e) => {
    failed++;
    fail(`connection ${i}: ${e.message} (${connected} open, ${failed} failed)`);
  });
  s.on('close', () => {
    if (!s.expectedClose) fail(`connection ${i} closed by the server`);
  });
  sockets.push(s);
}

// The answer to one request is complete when the headers are in and Content-Length bytes of
// body follow them.
function awaitAnswer(s) {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const onData = (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1');
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      const want = end + 4 + (m ? Number(m[1]) : 0);
      if (buf.length < want) return;
      if (!/^HTTP\/1\.1 2\d\d /.test(head)) fail(`answer: ${head.split('\r\n')[0]}`);
      s.removeListener('data', onData);
      resolve();
    };
    s.on('data', onData);
  });
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  if (line.trim() !== 'request') return;
  const done = sockets.map((s) => {
    const p = awaitAnswer(s);
    s.write(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n`);
    return p;
  });
  await Promise.all(done);
  process.stdout.write(`answered ${n}\n`);
});
function closeAll() {
  for (const s of sockets) {
    s.expectedClose = true;
    s.destroy();
  }
  process.exit(0);
}
rl.on('close', closeAll);
process.on('SIGTERM', closeAll);
