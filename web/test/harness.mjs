// harness.mjs starts the system under test and a headless Chromium for the
// browser tests. The server is a real roundtrip HTTP server on 127.0.0.1:0:
// by default internal/server/testserver (built here with `go build`); set
// ROUNDTRIP_SERVE to a command that prints "listening on http://ADDR" (such
// as "roundtrip serve --addr 127.0.0.1:0 --db DIR/roundtrip.db") to test
// another. The browser is Debian's chromium (CHROMIUM_PATH or
// /usr/bin/chromium), never a downloaded one.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

// startServer starts the server and resolves with {url, stop}.
export async function startServer() {
  const dir = mkdtempSync(path.join(tmpdir(), 'roundtrip-web-'));
  let cmd;
  if (process.env.ROUNDTRIP_SERVE) {
    // exec, so that the server is the child and gets the SIGTERM of stop().
    cmd = ['sh', '-c', 'exec ' + process.env.ROUNDTRIP_SERVE.replaceAll('DIR', dir)];
  } else {
    const bin = path.join(dir, 'testserver');
    execFileSync('go', ['build', '-o', bin, './internal/server/testserver'], { cwd: repo, stdio: 'inherit' });
    cmd = [bin, '-addr', '127.0.0.1:0'];
  }
  const child = spawn(cmd[0], cmd.slice(1), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b) => { stderr += b; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start in 60 s: ' + stderr)), 60_000);
    child.stdout.on('data', (b) => {
      out += b;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}: ${stderr}`)); });
  });
  await waitForSeed(url);
  return {
    url,
    async stop() {
      child.removeAllListeners('exit');
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((ok) => setTimeout(ok, 15_000))]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// launchBrowser starts Debian's chromium through playwright-core.
export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`no chromium at ${executablePath}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

// watchErrors collects page errors and console errors of a page.
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
  return errors;
}

// waitForSeed waits until the server's first run (the default scenario,
// seeded at start) is done, so that tests and timings see a server in its
// steady state rather than one still running its first scenario.
async function waitForSeed(url) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const { runs } = await (await fetch(url + '/api/runs?limit=1')).json();
      if (runs.length && ['done', 'failed', 'cancelled'].includes(runs[0].status)) return;
    } catch { /* not up yet */ }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error('the seeded run did not finish in 60 s');
}
