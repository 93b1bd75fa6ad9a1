import { test } from 'node:test';
import * as assert from 'node:assert';
import * as path from 'path';
import { resolveConfig, serverAddress } from '../adapter';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const pkg = require(path.join(__dirname, '..', '..', 'package.json'));
const dbg = pkg.contributes.debuggers[0];

test('launch config gets vscode-go defaults', () => {
  const r = resolveConfig({ request: 'launch' }, '/ws') as Record<string, unknown>;
  assert.strictEqual(r.mode, 'debug');
  assert.strictEqual(r.program, '/ws');
  assert.strictEqual(r.type, 'godap');
});

test('attributes godap reads pass through (envFile, env, substitutePath)', () => {
  const cfg = { request: 'launch', mode: 'debug', program: '/ws', envFile: '/ws/.env', env: { A: '1' },
    substitutePath: [{ from: '/ws', to: '/src' }], buildFlags: ['-tags', 'x'] };
  assert.deepStrictEqual(resolveConfig(cfg, '/ws'), { ...cfg, type: 'godap', name: 'Launch package' });
});

test('bad configs get a message', () => {
  assert.match(resolveConfig({ request: 'launch' }) as string, /program/);
  assert.match(resolveConfig({ request: 'launch', mode: 'exec' }, '/ws') as string, /needs "program": the path of the Go binary/);
  assert.match(resolveConfig({ request: 'launch', mode: 'core', program: '/b' }, '/ws') as string, /coreFilePath/);
  assert.match(resolveConfig({ request: 'launch', mode: 'nope', program: '/b' }, '/ws') as string, /must be one of debug, test, exec, core/);
  assert.match(resolveConfig({ request: 'attach' }, '/ws') as string, /processId/);
  assert.match(resolveConfig({ request: 'attach', mode: 'remote' }, '/ws') as string, /needs "port"/);
  assert.match(resolveConfig({ request: 'nope' }, '/ws') as string, /unknown request/);
});

test('remote configurations connect to a godap --listen', () => {
  assert.deepStrictEqual(serverAddress({ port: 4711 }), { host: '127.0.0.1', port: 4711 });
  assert.deepStrictEqual(serverAddress({ host: 'box', port: '2345' }), { host: 'box', port: 2345 });
  assert.strictEqual(serverAddress({ processId: 1 }), undefined);
  const r = resolveConfig({ request: 'attach', port: 4711 }, '/ws') as Record<string, unknown>;
  assert.strictEqual(r.mode, 'remote');
});

test('every initial configuration and snippet resolves as is', () => {
  const modes = new Set<string>();
  for (const c of dbg.initialConfigurations as Record<string, unknown>[]) {
    const r = resolveConfig(c, '/ws');
    assert.notStrictEqual(typeof r, 'string', `${String(c.name)}: ${String(r)}`);
    modes.add(`${String(c.request)}/${String(c.mode)}`);
  }
  assert.deepStrictEqual([...modes].sort(),
    ['attach/local', 'attach/remote', 'launch/core', 'launch/debug', 'launch/exec', 'launch/test']);
  assert.strictEqual(dbg.configurationSnippets.length, dbg.initialConfigurations.length);
  const attach = (dbg.initialConfigurations as Record<string, unknown>[]).find((c) => c.mode === 'local');
  assert.strictEqual(attach?.processId, '${command:pickProcess}');
  for (const s of dbg.configurationSnippets as { body: Record<string, unknown> }[]) {
    const body = JSON.parse(JSON.stringify(s.body).replace(/"\^\\"(.*?)\\""/g, '"$1"').replace(/\\\\\$/g, '$'));
    assert.notStrictEqual(typeof resolveConfig(body, '/ws'), 'string', JSON.stringify(s.body));
  }
  // every launch attribute godap reads is declared for launch.json's completion
  const props = Object.keys(dbg.configurationAttributes.launch.properties);
  for (const a of ['mode', 'program', 'args', 'cwd', 'env', 'envFile', 'buildFlags', 'coreFilePath', 'substitutePath', 'stopOnEntry']) {
    assert.ok(props.includes(a), a);
  }
});
