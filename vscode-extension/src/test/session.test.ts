// A whole debugging session as VS Code runs it: the configuration a user
// gets from "Add Configuration..." (package.json), resolved by the
// extension's provider logic, godap started as the extension's descriptor
// says (found on PATH), and @vscode/debugadapter-testsupport's DebugClient
// (VS Code's own test client) driving it: launch, breakpoint, stack,
// locals, next, continue, output, exit.
//
// GODAP_BIN names the godap binary (test_vscode_extension.py sets it); go
// must be on PATH (mode debug builds the program).
import { test } from 'node:test';
import * as assert from 'node:assert';
import * as cp from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { adapterCommand, resolveConfig, serverAddress } from '../adapter';

const REPO = path.resolve(__dirname, '..', '..', '..');
const HELLO = path.join(REPO, 'examples', 'hello');
const HELLO_GO = path.join(HELLO, 'hello.go');
const GODAP = process.env.GODAP_BIN ? path.resolve(process.env.GODAP_BIN) : '';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const pkg = require(path.join(__dirname, '..', '..', 'package.json'));

function markerLine(file: string, marker: string): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const hits = lines.map((l, i) => (l.includes(marker) ? i + 1 : 0)).filter((n) => n > 0);
  assert.strictEqual(hits.length, 1, `marker ${marker} in ${file}`);
  return hits[0];
}

/** VS Code's variable substitution for the few variables our configurations use. */
function substitute(v: unknown, vars: Record<string, string>): unknown {
  if (typeof v === 'string') return v.replace(/\$\{(\w+)\}/g, (m, k) => vars[k] ?? m);
  if (Array.isArray(v)) return v.map((x) => substitute(x, vars));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, vars)]));
  }
  return v;
}

function initialConfig(name: string): Record<string, unknown> {
  const cfgs = pkg.contributes.debuggers[0].initialConfigurations as Record<string, unknown>[];
  const c = cfgs.find((x) => x.name === name);
  assert.ok(c, `no initial configuration "${name}"`);
  return c;
}

/**
 * Starts the adapter the way VS Code starts a DebugAdapterExecutable (DAP
 * on the child's stdin/stdout) behind a loopback port, since DebugClient
 * talks to a port.  Resolves with the port and a promise of the child's
 * exit.
 */
function serveAdapter(command: string, args: string[]): Promise<{ port: number; exited: Promise<number | null>; close: () => void }> {
  return new Promise((resolve, reject) => {
    let exitedResolve: (c: number | null) => void = () => undefined;
    const exited = new Promise<number | null>((r) => { exitedResolve = r; });
    const server = net.createServer((sock) => {
      server.close();
      const child = cp.spawn(command, process.env.GODAP_TEST_VERBOSE ? [...args, "-v"] : args, { stdio: ['pipe', 'pipe', 'inherit'] });
      sock.pipe(child.stdin);
      child.stdout.pipe(sock);
      // 'close', not 'exit': the last responses are still in the pipe at exit.
      child.on('close', (code) => { sock.end(); exitedResolve(code); });
      sock.on('close', () => child.stdin.end());
      sock.on('error', () => child.stdin.end());
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address() as net.AddressInfo;
      resolve({ port: addr.port, exited, close: () => server.close() });
    });
  });
}

test('godap is found on PATH when godap.path is unset', { skip: !GODAP && 'GODAP_BIN is not set' }, () => {
  const r = adapterCommand({}, { PATH: `/nonexistent${path.delimiter}${path.dirname(GODAP)}` });
  assert.ok(!('error' in r), JSON.stringify(r));
  assert.strictEqual(r.command, path.join(path.dirname(GODAP), 'godap'));
  assert.deepStrictEqual(r.args, []);
});

test('the user is told what to do when godap is nowhere', () => {
  const r = adapterCommand({ path: '' }, { PATH: '/nonexistent' });
  assert.ok('error' in r);
  assert.match(r.error, /no "godap" executable on PATH/);
  assert.match(r.error, /godap\.path/);
  const bad = adapterCommand({ path: '/nonexistent/godap' }, { PATH: '/usr/bin' });
  assert.ok('error' in bad);
  assert.match(bad.error, /\/nonexistent\/godap, which is not an executable file/);
});

test('a launch.json session through the extension drives godap', { skip: !GODAP && 'GODAP_BIN is not set', timeout: 600000 }, async () => {
  // The configuration exactly as "Add Configuration..." writes it, plus
  // what the user adds, then what VS Code and the provider do with it.
  const user = { ...initialConfig('Debug package (godap)'), cwd: '${workspaceFolder}', env: { GREETING_TEST: '1' } };
  const cfg = resolveConfig(substitute(user, { workspaceFolder: HELLO }) as Record<string, unknown>, HELLO);
  assert.ok(typeof cfg !== 'string', String(cfg));
  assert.strictEqual(cfg.program, HELLO);
  assert.strictEqual(cfg.mode, 'debug');

  // The descriptor: godap from PATH (godap.path unset), as a user who put it there.
  const binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'godap-vsc-'));
  fs.symlinkSync(GODAP, path.join(binDir, 'godap'));
  const cmd = adapterCommand({}, { PATH: `${binDir}${path.delimiter}/usr/bin` });
  assert.ok(!('error' in cmd), JSON.stringify(cmd));
  const adapter = await serveAdapter(cmd.command, cmd.args);

  const dc = new DebugClient('unused', 'unused', 'godap');
  dc.defaultTimeout = 300000; // the first `go build` of a toolchain compiles the standard library
  await dc.start(adapter.port);
  try {
    const line = markerLine(HELLO_GO, '// demo breakpoint');
    const out: string[] = [];
    dc.on('output', (e) => { if (e.body.category === 'stdout') out.push(e.body.output); });
    await dc.hitBreakpoint(cfg, { path: HELLO_GO, line }, { path: HELLO_GO, line });

    const threads = (await dc.threadsRequest()).body.threads;
    const main = threads.find((t) => t.name.includes('main.greet'));
    assert.ok(main, JSON.stringify(threads));
    const frames = (await dc.stackTraceRequest({ threadId: main.id })).body.stackFrames;
    assert.deepStrictEqual(frames.slice(0, 2).map((f) => [f.name, f.line]),
      [['main.greet', line], ['main.main', markerLine(HELLO_GO, 'fmt.Println(greet(name, i+1))')]]);
    const scopes = (await dc.scopesRequest({ frameId: frames[0].id })).body.scopes;
    assert.strictEqual(scopes[0].name, 'Locals');
    const vars = (await dc.variablesRequest({ variablesReference: scopes[0].variablesReference })).body.variables;
    const byName = Object.fromEntries(vars.map((v) => [v.name, [v.value, v.type]]));
    assert.deepStrictEqual(byName.name, ['"gopher"', 'string']);
    assert.deepStrictEqual(byName.n, ['1', 'int']);
    const ev = await dc.evaluateRequest({ expression: 'len(name) * 10 + n', frameId: frames[0].id, context: 'hover' });
    assert.strictEqual(ev.body.result, '61');

    // next: the following line of greet
    await Promise.all([dc.nextRequest({ threadId: main.id }), dc.assertStoppedLocation('step', { path: HELLO_GO, line: line + 1 })]);
    // continue: the breakpoint again, for the second name
    await Promise.all([dc.continueRequest({ threadId: main.id }), dc.assertStoppedLocation('breakpoint', { path: HELLO_GO, line })]);
    const f2 = (await dc.stackTraceRequest({ threadId: main.id })).body.stackFrames[0];
    const v2 = await dc.evaluateRequest({ expression: 'name', frameId: f2.id, context: 'watch' });
    assert.strictEqual(v2.body.result, '"world"');
    // clear it and run to the end
    await dc.setBreakpointsRequest({ source: { path: HELLO_GO }, breakpoints: [] });
    const exited = dc.waitForEvent('exited');
    const terminated = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: main.id });
    assert.strictEqual((await exited).body.exitCode, 0);
    await terminated;
    assert.deepStrictEqual(out.join('').split('\n'), ['hello, gopher #1', 'hello, world #2', 'hello, godap #3', 'bye', '']);
  } finally {
    // stop() sends the disconnect VS Code sends at the end of a session
    dc.defaultTimeout = 10000;
    await dc.stop();
    assert.strictEqual(await adapter.exited, 0);
    adapter.close();
    fs.rmSync(binDir, { recursive: true, force: true });
  }
});

test('remote: launch through a port, leave, and the "Connect to godap --listen" configuration takes over',
  { skip: !GODAP && 'GODAP_BIN is not set', timeout: 600000 }, async () => {
    // godap started "elsewhere": listening, keeping the program between clients
    const server = cp.spawn(GODAP, ['--listen', '127.0.0.1:0', '--accept-multiclient'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    server.stderr.on('data', (d) => { err += d.toString(); });
    const serverExit = new Promise<number | null>((r) => server.on('close', (code) => r(code)));
    const port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`godap did not listen: ${err}`)), 30000);
      server.stderr.on('data', () => {
        const m = /listening at: 127\.0\.0\.1:(\d+)/.exec(err);
        if (m) { clearTimeout(t); resolve(Number(m[1])); }
      });
    });
    const line = markerLine(HELLO_GO, '// demo breakpoint');
    try {
      // 1: a launch configuration with "port": the extension connects instead of starting godap
      const launchCfg = resolveConfig(substitute({ ...initialConfig('Debug package (godap)'), port }, { workspaceFolder: HELLO }) as Record<string, unknown>, HELLO);
      assert.ok(typeof launchCfg !== 'string', String(launchCfg));
      assert.deepStrictEqual(serverAddress(launchCfg), { host: '127.0.0.1', port });
      const dc1 = new DebugClient('unused', 'unused', 'godap');
      dc1.defaultTimeout = 300000;
      await dc1.start(port);
      await dc1.hitBreakpoint(launchCfg, { path: HELLO_GO, line }, { path: HELLO_GO, line });
      await dc1.disconnectRequest({ terminateDebuggee: false, suspendDebuggee: true } as never);
      (dc1 as unknown as { stopAdapter(): void }).stopAdapter();

      // 2: the configuration the user picks to connect again (the port filled in, no path mapping needed here)
      const user = { ...initialConfig('Connect to godap --listen (godap)'), port, substitutePath: [] };
      const cfg = resolveConfig(substitute(user, { workspaceFolder: HELLO }) as Record<string, unknown>, HELLO);
      assert.ok(typeof cfg !== 'string', String(cfg));
      assert.strictEqual(cfg.mode, 'remote');
      const addr = serverAddress(cfg);
      assert.deepStrictEqual(addr, { host: '127.0.0.1', port });
      const dc2 = new DebugClient('unused', 'unused', 'godap');
      dc2.defaultTimeout = 60000;
      await dc2.start(addr!.port);
      try {
        await dc2.initializeRequest({ adapterID: 'godap', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
        const initialized = dc2.waitForEvent('initialized');
        await dc2.attachRequest(cfg as never);
        await initialized;
        const stopped = dc2.waitForEvent('stopped');
        await dc2.configurationDoneRequest();
        const ev = await stopped;
        assert.strictEqual(ev.body.reason, 'pause');
        const f = (await dc2.stackTraceRequest({ threadId: ev.body.threadId })).body.stackFrames[0];
        assert.deepStrictEqual([f.name, f.line], ['main.greet', line]);
        const name = await dc2.evaluateRequest({ expression: 'name', frameId: f.id, context: 'hover' });
        assert.strictEqual(name.body.result, '"gopher"');
        // its own (empty) breakpoints: the program runs to its end
        await dc2.setBreakpointsRequest({ source: { path: HELLO_GO }, breakpoints: [] });
        const exited = dc2.waitForEvent('exited');
        await dc2.continueRequest({ threadId: ev.body.threadId });
        assert.strictEqual((await exited).body.exitCode, 0);
      } finally {
        dc2.defaultTimeout = 10000;
        await dc2.stop();
      }
      assert.strictEqual(await serverExit, 0, err);
    } finally {
      if (server.exitCode === null) server.kill();
    }
  });
