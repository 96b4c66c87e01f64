// Starts a koers process on a free port and stops it again.
//
// The server prints `Koers luistert op / listening on http://127.0.0.1:PORT` once its
// listener is bound; we wait for that line (no sleeps), then poll /readyz until it
// answers 200. Stopping sends SIGTERM and waits for the graceful shutdown.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
export const KOERS_BIN = path.resolve(REPO_ROOT, process.env.KOERS_BIN || 'target/debug/koers');

const LISTEN_RE = /^Koers luistert op \/ listening on (http:\/\/127\.0\.0\.1:\d+)\s*$/;
const START_TIMEOUT_MS = 60_000;

/**
 * Start `koers <args>`; resolves once /readyz answers.
 * @param {string[]} args
 * @param {{ cleanup?: string[], env?: Record<string, string> }} [opts] directories to
 *   remove after stop; extra environment (KOERS_… settings)
 */
export async function startKoers(args, opts = {}) {
  // koers reads KOERS_* variables as settings and refuses unknown ones, so our own
  // KOERS_BIN must not reach it.
  const env = { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn', ...(opts.env || {}) };
  delete env.KOERS_BIN;
  const child = spawn(KOERS_BIN, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const stdoutLines = [];
  const stderrTail = [];
  const cleanup = [...(opts.cleanup || [])];

  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderrTail.push(chunk);
    if (stderrTail.length > 50) stderrTail.shift();
  });

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`koers ${args.join(' ')} printed no listening line within ${START_TIMEOUT_MS} ms\n` +
        `stdout:\n${stdoutLines.join('\n')}\nstderr:\n${stderrTail.join('')}`));
    }, START_TIMEOUT_MS);
    child.once('error', (e) => { clearTimeout(timer); reject(new Error(`cannot start ${KOERS_BIN}: ${e.message}`)); });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`koers ${args.join(' ')} exited early (code ${code}, signal ${signal})\n` +
        `stdout:\n${stdoutLines.join('\n')}\nstderr:\n${stderrTail.join('')}`));
    });
    const rl = readline.createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      stdoutLines.push(line);
      const demoDir = /^Gegevens \/ data: (.+)$/.exec(line);
      if (demoDir && path.basename(demoDir[1]).startsWith('koers-demo-')
        && path.dirname(demoDir[1]) === tmpdir()) {
        cleanup.push(demoDir[1]);
      }
      const m = LISTEN_RE.exec(line);
      if (m) { clearTimeout(timer); child.removeAllListeners('exit'); resolve(m[1]); }
    });
  });

  // Readiness: the listener is bound, now wait until the app says it is ready.
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`${url}/readyz did not answer 200`);
    await new Promise((r) => setTimeout(r, 50));
  }

  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  return {
    url,
    stdoutLines,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        const res = await exited;
        clearTimeout(timer);
        if (res.signal === 'SIGKILL') {
          throw new Error(`koers did not shut down within 15 s of SIGTERM`);
        }
      }
      for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The demo: seeded organisations and accounts, a fresh temporary data directory. */
export function startDemo() {
  // Every request of the suite comes from 127.0.0.1, and it logs in some twenty
  // times; the default of 30 login attempts per address per 5 minutes is kept for
  // people, but would make the suite fragile as it grows.
  return startKoers(['demo', '--listen', '127.0.0.1:0'], {
    env: { KOERS_SECURITY__LOGIN_ATTEMPTS_PER_ADDRESS: '1000' },
  });
}

/** A bare server on an empty data directory: no administrator, so the setup page. */
export async function startFresh() {
  const dir = mkdtempSync(path.join(tmpdir(), 'koers-e2e-'));
  const server = await startKoers(
    ['serve', '--listen', '127.0.0.1:0', '--data-dir', path.join(dir, 'data')],
    { cleanup: [dir] },
  );
  const line = server.stdoutLines.find((l) => /setup code: /.test(l));
  server.setupCode = line ? line.replace(/^.*setup code: (\S+).*$/, '$1') : null;
  return server;
}
