import { test } from 'node:test';
import * as assert from 'node:assert';
import { adapterCommand, resolveConfig } from '../adapter';

test('adapter command defaults to godap on PATH', () => {
  assert.deepStrictEqual(adapterCommand({}), { command: 'godap', args: [] });
  assert.deepStrictEqual(adapterCommand({ path: '/opt/godap' }), { command: '/opt/godap', args: [] });
});

test('launch config gets vscode-go defaults', () => {
  const r = resolveConfig({ request: 'launch' }, '/ws') as Record<string, unknown>;
  assert.strictEqual(r.mode, 'debug');
  assert.strictEqual(r.program, '/ws');
  assert.strictEqual(r.type, 'godap');
});

test('bad configs get a message', () => {
  assert.match(resolveConfig({ request: 'launch' }) as string, /program/);
  assert.match(resolveConfig({ request: 'attach' }, '/ws') as string, /processId/);
  assert.match(resolveConfig({ request: 'nope' }, '/ws') as string, /unknown request/);
});
