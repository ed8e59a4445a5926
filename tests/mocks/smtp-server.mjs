// eimza — a small real SMTP server for tests (node:net, node:tls and node:http only).
//
//   node tests/mocks/smtp-server.mjs LOG.jsonl [--tls-key KEY.pem --tls-cert CERT.pem]
//                                              [--auth USER:PASSWORD]
//
// Listens on 127.0.0.1 on a free port and prints "port=N control=M" once ready. It speaks
// enough of RFC 5321 for a real client (libcurl): EHLO/HELO, STARTTLS (when a key and a
// certificate are given), AUTH PLAIN and LOGIN (when --auth is given: MAIL is refused with 530
// until the client authenticated), MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT.
// Each message whose DATA ended is appended to LOG.jsonl as one JSON line
// {"from","rcpt":[...],"data","tls","auth","code"} before the answer is written, so the log is
// complete when the client sees the answer; "code" is what the server answered (or "stall").
//
// How the end of DATA is answered is a queue of modes, each used for one message; the last one
// stays:
//   250            accept (the default)
//   451 | 452 ...  any other code: answered as it is (4xx temporary, 5xx permanent)
//   stall          log the message as taken (code "stall"), then never answer: the client's
//                  kill between the hand-over and the answer
//   stall_data     never answer the DATA command itself (no 354): the client is stuck before
//                  the message, which the server never takes
//   rcpt:550       refuse the recipient with that code (the message is never logged)
// The queue starts from SMTP_MOCK_MODES (comma-separated, default "250") and is replaced by
// PUT http://127.0.0.1:CONTROL/modes with a comma-separated body.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';

const args = process.argv.slice(2);
const logPath = args[0];
if (!logPath) {
  console.error('usage: smtp-server.mjs LOG.jsonl [--tls-key K --tls-cert C] [--auth U:P]');
  process.exit(1);
}
const opt = (name) => {
  const i = args.indexOf(name);
  return i > 0 ? args[i + 1] : undefined;
};
const tlsKey = opt('--tls-key');
const tlsCert = opt('--tls-cert');
const auth = opt('--auth');
const secureContext = tlsKey && tlsCert
  ? tls.createSecureContext({ key: readFileSync(tlsKey), cert: readFileSync(tlsCert) })
  : null;
writeFileSync(logPath, '');

const parse = (text) => text.split(',').map((m) => m.trim()).filter((m) => m.length > 0);
let modes = parse(process.env.SMTP_MOCK_MODES || '250');
const nextMode = () => (modes.length > 1 ? modes.shift() : modes[0] || '250');
const peekMode = () => modes[0] || '250';

function session(rawSocket) {
  let sock = rawSocket;
  let buf = Buffer.alloc(0);
  let state = 'cmd'; // cmd | data | auth_plain | auth_login_user | auth_login_pass | dead
  let secure = false;
  let authed = null;
  let from = null;
  let rcpt = [];
  let data = [];
  let loginUser = '';
  const write = (line) => {
    if (state !== 'dead' && !sock.destroyed) sock.write(line + '\r\n');
  };
  const reset = () => {
    from = null;
    rcpt = [];
    data = [];
  };
  const checkAuth = (user, pass) => {
    if (auth && `${user}:${pass}` === auth) {
      authed = user;
      write('235 2.7.0 Authentication successful');
    } else {
      write('535 5.7.8 Authentication credentials invalid');
    }
    state = 'cmd';
  };

  const onLine = (line) => {
    if (state === 'data') {
      if (line === '.') {
        state = 'cmd';
        const mode = nextMode();
        const entry = { from, rcpt, data: data.join('\r\n'), tls: secure, auth: authed };
        if (mode === 'stall') {
          appendFileSync(logPath, JSON.stringify({ ...entry, code: 'stall' }) + '\n');
          state = 'dead'; // keep the connection open, never answer
          return;
        }
        const code = Number(mode) || 250;
        appendFileSync(logPath, JSON.stringify({ ...entry, code }) + '\n');
        write(code === 250 ? '250 2.0.0 OK queued' : `${code} mock answer`);
        reset();
        return;
      }
      data.push(line.startsWith('..') ? line.slice(1) : line);
      return;
    }
    if (state === 'auth_plain') {
      const parts = Buffer.from(line, 'base64').toString('utf8').split('\0');
      checkAuth(parts[1], parts[2]);
      return;
    }
    if (state === 'auth_login_user') {
      loginUser = Buffer.from(line, 'base64').toString('utf8');
      state = 'auth_login_pass';
      write('334 UGFzc3dvcmQ6');
      return;
    }
    if (state === 'auth_login_pass') {
      checkAuth(loginUser, Buffer.from(line, 'base64').toString('utf8'));
      return;
    }
    const verb = line.slice(0, 4).toUpperCase();
    const rest = line.slice(5);
    if (verb === 'EHLO') {
      const ext = ['250-mock.localhost', '250-8BITMIME', '250-SIZE 10485760'];
      if (secureContext && !secure) ext.push('250-STARTTLS');
      if (auth) ext.push('250-AUTH PLAIN LOGIN');
      ext.push('250 HELP');
      for (const l of ext) write(l);
    } else if (verb === 'HELO') {
      write('250 mock.localhost');
    } else if (line.toUpperCase() === 'STARTTLS') {
      if (!secureContext || secure) {
        write('454 4.7.0 TLS not available');
        return;
      }
      write('220 2.0.0 Ready to start TLS');
      sock.removeAllListeners('data');
      const t = new tls.TLSSocket(sock, { isServer: true, secureContext });
      t.on('error', () => {});
      t.on('data', onData);
      sock = t;
      secure = true;
      buf = Buffer.alloc(0);
      reset();
    } else if (verb === 'AUTH') {
      const [mech, initial] = rest.split(' ');
      if (!auth) {
        write('503 5.5.1 AUTH not offered');
      } else if (mech.toUpperCase() === 'PLAIN' && initial) {
        const parts = Buffer.from(initial, 'base64').toString('utf8').split('\0');
        checkAuth(parts[1], parts[2]);
      } else if (mech.toUpperCase() === 'PLAIN') {
        state = 'auth_plain';
        write('334 ');
      } else if (mech.toUpperCase() === 'LOGIN') {
        state = 'auth_login_user';
        write('334 VXNlcm5hbWU6');
      } else {
        write('504 5.5.4 mechanism not supported');
      }
    } else if (verb === 'MAIL') {
      if (auth && !authed) {
        write('530 5.7.0 Authentication required');
        return;
      }
      from = (/<([^>]*)>/.exec(line) || [])[1] ?? null;
      write('250 2.1.0 OK');
    } else if (verb === 'RCPT') {
      const mode = peekMode();
      if (mode.startsWith('rcpt:')) {
        nextMode();
        write(`${mode.slice(5)} 5.1.1 recipient refused`);
        return;
      }
      rcpt.push((/<([^>]*)>/.exec(line) || [])[1] ?? '');
      write('250 2.1.5 OK');
    } else if (verb === 'DATA') {
      if (peekMode() === 'stall_data') {
        nextMode();
        state = 'dead';
        return;
      }
      if (!from || rcpt.length === 0) {
        write('503 5.5.1 need MAIL and RCPT first');
        return;
      }
      state = 'data';
      write('354 End data with <CR><LF>.<CR><LF>');
    } else if (verb === 'RSET') {
      reset();
      write('250 2.0.0 OK');
    } else if (verb === 'NOOP') {
      write('250 2.0.0 OK');
    } else if (verb === 'QUIT') {
      write('221 2.0.0 Bye');
      sock.end();
    } else {
      write('502 5.5.2 command not recognised');
    }
  };

  function onData(chunk) {
    buf = Buffer.concat([buf, chunk]);
    let i;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      const line = buf.subarray(0, i).toString('utf8');
      buf = buf.subarray(i + 2);
      if (state === 'dead') continue;
      const before = sock;
      onLine(line);
      if (sock !== before) return; // switched to TLS: the rest belongs to the handshake
    }
  }

  sock.on('data', onData);
  sock.on('error', () => {});
  write('220 mock.localhost ESMTP eimza test server');
}

const server = net.createServer(session);
const control = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/modes' && req.method === 'PUT') {
      modes = parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  control.listen(0, '127.0.0.1', () => {
    process.stdout.write(`port=${server.address().port} control=${control.address().port}\n`);
  });
});
const stop = () => {
  control.close();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 200).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
