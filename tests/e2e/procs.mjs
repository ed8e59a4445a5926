// eimza e2e — what the files that start a set-up of their own share (sign.test.mjs,
// card.test.mjs, relay.test.mjs: run.sh's shared server has no CA, trust anchors or agent, so
// each starts `eimza serve`, `eimza agent` and `openssl ocsp` on a demo PKI in a temporary
// folder): the environment they read and the skip when a tool is missing, the folder and the
// demo PKI, starting processes and waiting for a line of their output, stopping them, running a
// command that must succeed, and a free port. Not a test file (run.sh runs *.test.mjs only), and
// it needs neither run.sh's server nor lib.mjs.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = process.env.EIMZA_BIN && resolve(process.env.EIMZA_BIN);
export const SRC = process.env.EIMZA_SOURCE_DIR && resolve(process.env.EIMZA_SOURCE_DIR);
export const ARTIFACTS = process.env.EIMZA_ARTIFACTS;
export const MODULE = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
].find((m) => existsSync(m));
// a missing tool fails rather than skips on CI or with EIMZA_REQUIRE_E2E=1
export const REQUIRED = Boolean(process.env.CI || process.env.EIMZA_REQUIRE_E2E === '1');

// The skip option of FILE's tests: false when BIN, SRC, SoftHSM2 and the COMMANDS are there,
// else 'skipped: why'; throws instead when REQUIRED.
export function skipUnless(file, commands) {
  const missing = (() => {
    if (!BIN || !SRC) return 'EIMZA_BIN and EIMZA_SOURCE_DIR must be set';
    for (const c of commands) {
      if (spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0) {
        return `${c} is not installed (make deps)`;
      }
    }
    if (!MODULE) return 'libsofthsm2.so is not installed (make deps)';
    return null;
  })();
  if (missing && REQUIRED) throw new Error(`${file} cannot run: ${missing}`);
  return missing ? `skipped: ${missing}` : false;
}

// A new temporary folder for NAME's set-up: { dir, logs (where the processes' logs go:
// ARTIFACTS when set, else dir), db (an SQLite database in dir) }.
export function workDir(name) {
  const dir = mkdtempSync(join(tmpdir(), `eimza-e2e-${name}.`));
  const logs = ARTIFACTS || dir;
  mkdirSync(logs, { recursive: true });
  return { dir, logs, db: `sqlite:${dir}/db` };
}

// The demo PKI (scripts/demo-pki.sh) in DIR/pki for the holders of SPEC (its lines "tckn, stage,
// days left, name", tab-separated), their certificates naming an OCSP responder on OCSPPORT;
// and DIR/trust, the server's trust anchors, with the PKI's files ANCHORS. Returns DIR/pki.
export function demoPki(dir, spec, ocspPort, anchors = ['root/root.pem', 'nes/nes.pem']) {
  const pki = join(dir, 'pki');
  writeFileSync(join(dir, 'spec.tsv'), spec);
  run('bash', [join(SRC, 'scripts/demo-pki.sh'), pki, join(dir, 'spec.tsv')], {
    env: { ...process.env, EIMZA_PKI_PORT: String(ocspPort) },
  });
  mkdirSync(join(dir, 'trust'));
  for (const f of anchors) {
    writeFileSync(join(dir, 'trust', f.replace('/', '-')), readFileSync(join(pki, f)));
  }
  return pki;
}

const procs = new Set(); // every process started and not yet seen to exit

// Starts CMD ARGS; its stdout and stderr go to LOGFILE and are kept in .out. Returns the
// child with .ready(re, ms): a promise of re's match in the output so far, rejected if the
// process exits or ms pass first.
export function start(cmd, args, opts, logfile) {
  const child = spawn(cmd, args, { ...opts, stdio: opts.stdio || ['ignore', 'pipe', 'pipe'] });
  child.out = '';
  child.exited = new Promise((res) => {
    child.on('exit', (code, signal) => {
      procs.delete(child);
      res({ code, signal });
    });
  });
  procs.add(child);
  const log = createWriteStream(logfile);
  for (const s of [child.stdout, child.stderr]) {
    s.on('data', (d) => {
      child.out += d.toString();
      log.write(d);
    });
  }
  child.ready = (re, ms = 15000) =>
    new Promise((res, rej) => {
      const late = () => done(rej, new Error(`${cmd} not ready in ${ms} ms:\n${child.out}`));
      const timer = setTimeout(late, ms);
      const check = () => {
        const m = child.out.match(re);
        if (m) done(res, m);
      };
      const onExit = () => done(rej, new Error(`${cmd} exited before it was ready:\n${child.out}`));
      function done(f, v) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        child.stderr.off('data', check);
        child.off('exit', onExit);
        f(v);
      }
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      child.once('exit', onExit);
      check();
    });
  return child;
}

// Sends SIGTERM and waits for the exit (SIGKILL after ms); returns { code, signal }.
export async function stop(child, ms = 10000) {
  if (!child) return null;
  if (child.exitCode !== null || child.signalCode !== null) {
    return { code: child.exitCode, signal: child.signalCode };
  }
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const r = await child.exited;
  clearTimeout(timer);
  return r;
}

// Stops every process started and still running (a file's after(), also when a test failed);
// returns [command and first argument, { code, signal }] for each.
export async function stopAll() {
  return Promise.all(
    [...procs].map(async (p) => [p.spawnargs.slice(0, 2).join(' '), await stop(p)]),
  );
}

// Runs CMD ARGS to the end; asserts exit 0 (the message holds its output) and returns stdout.
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

// `eimza agent ARGS --pin-fd 3` with the environment ENV, its output in LOGFILE; resolves,
// once it listens, to the child with .pin(line) to give it the next PIN.
export async function startPinAgent(args, env, logfile) {
  const stdio = ['ignore', 'pipe', 'pipe', 'pipe'];
  const a = start(BIN, ['agent', ...args, '--pin-fd', '3'], { env, stdio }, logfile);
  // a PIN line still unread when the agent stops resets the pipe: not the test's error
  a.stdio[3].on('error', () => {});
  a.pin = (line) => a.stdio[3].write(`${line}\n`);
  await a.ready(/^eimza agent: listening on http:\/\/127\.0\.0\.1:(\d+)/m);
  return a;
}

// The `openssl ocsp` responder of the demo PKI in the folder PKI (demoPki) on PORT, its output
// in LOGFILE. Returns the promise of its ready line, to be awaited later: OpenSSL 3.0's
// responder hangs on a connection closed without a request, so there is no probing; a set-up
// step failing before the wait must not leave the promise's rejection unhandled.
export function startOcsp(pki, port, logfile) {
  const ocsp = start(
    'openssl',
    ['ocsp', '-index', join(pki, 'nes/index.txt'), '-port', String(port),
      '-rsigner', join(pki, 'ocsp/ocsp.pem'), '-rkey', join(pki, 'ocsp/ocsp.key'),
      '-CA', join(pki, 'nes/nes.pem'), '-nmin', '10'],
    {},
    logfile,
  );
  const ready = ocsp.ready(/waiting for OCSP client connections/i);
  ready.catch(() => {});
  return ready;
}

// A port that nothing listens on, from 20000-32767: below the kernel's ephemeral range, so no
// outgoing connection or server on port 0 of a test running beside this one takes it before
// our OCSP responder or agent binds it (as tests/lib.sh's free_port).
export async function freePort() {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 12768);
    const srv = createServer();
    const ok = await new Promise((res) => {
      srv.once('error', () => res(false));
      srv.listen(port, '127.0.0.1', () => res(true));
    });
    if (ok) {
      await new Promise((res) => srv.close(res));
      return port;
    }
  }
  throw new Error('no free port');
}
