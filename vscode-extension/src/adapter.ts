// Pure helpers, kept apart from the vscode API so node:test can check them
// (src/test/): which godap to start, and what a launch.json configuration
// becomes before it is sent to godap.
import * as fs from 'fs';
import * as path from 'path';

export interface GodapSettings {
  path?: string;
}

export type AdapterCommand = { command: string; args: string[] } | { error: string };

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first directory of PATH holding an executable `name`, as a shell finds it. */
export function findOnPath(name: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const file = path.join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

/**
 * The command line VS Code runs for a session (godap speaks DAP on stdio):
 * the `godap.path` setting when set, else `godap` found on PATH.  When
 * neither works, a message that tells the user what to do.
 */
export function adapterCommand(settings: GodapSettings, env: NodeJS.ProcessEnv = process.env): AdapterCommand {
  const configured = settings.path?.trim();
  if (configured) {
    if (!isExecutable(configured)) {
      return { error: `godap: the "godap.path" setting names ${configured}, which is not an executable file. ` +
        'Point it at the godap binary (e.g. <checkout>/build/adapter/godap) or clear it to use godap from PATH.' };
    }
    return { command: configured, args: [] };
  }
  const found = findOnPath('godap', env.PATH);
  if (!found) {
    return { error: 'godap: no "godap" executable on PATH and the "godap.path" setting is empty. ' +
      'Build godap (scripts/setup.sh builds build/adapter/godap) and put it on PATH, or set "godap.path" to it.' };
  }
  return { command: found, args: [] };
}

/** What the user picks in "Add Configuration..." and the first launch.json: the same list. */
export const MODES_LAUNCH = ['debug', 'test', 'exec', 'core'] as const;

/**
 * Fills what a launch.json left out, as vscode-go does, and checks what
 * godap needs.  Returns the configuration to send, or a message for the
 * user.  Attributes godap reads itself (envFile, env, args, buildFlags,
 * substitutePath, ...) pass through untouched.
 */
export function resolveConfig(cfg: Record<string, unknown>, workspace?: string): Record<string, unknown> | string {
  const out: Record<string, unknown> = { ...cfg };
  if (!out.type) out.type = 'godap';
  if (!out.request) out.request = 'launch';
  if (!out.name) out.name = 'Launch package';
  if (out.request === 'launch') {
    if (!out.mode) out.mode = 'debug';
    if (!(MODES_LAUNCH as readonly string[]).includes(String(out.mode))) {
      return `godap: launch "mode" must be one of ${MODES_LAUNCH.join(', ')} (got "${String(out.mode)}")`;
    }
    if (!out.program) {
      if (out.mode === 'exec' || out.mode === 'core') {
        return `godap: mode "${String(out.mode)}" needs "program": the path of the Go binary`;
      }
      if (!workspace) return 'godap: "program" is not set and no folder is open';
      out.program = workspace;
    }
    if (out.mode === 'core' && !out.coreFilePath) {
      return 'godap: mode "core" needs "coreFilePath": the core file to open';
    }
  } else if (out.request === 'attach') {
    if (!out.mode) out.mode = out.port !== undefined ? 'remote' : 'local';
    if (out.mode === 'local') {
      const noPid = out.processId === undefined || out.processId === '' || out.processId === 0;
      if (noPid && !out.waitFor) {
        return 'godap: attach needs "processId" (use "${command:pickProcess}" to pick one) or "waitFor"';
      }
    } else if (out.mode === 'remote') {
      if (out.port === undefined) return 'godap: attach in mode "remote" needs "port" (and "host", default 127.0.0.1) of a godap started with --listen';
    } else {
      return `godap: attach "mode" must be "local" or "remote" (got "${String(out.mode)}")`;
    }
  } else {
    return `godap: unknown request "${String(out.request)}"`;
  }
  return out;
}

/** Where to reach a godap server for a configuration with "port" (remote), or undefined. */
export function serverAddress(cfg: Record<string, unknown>): { host: string; port: number } | undefined {
  if (cfg.port === undefined || cfg.port === null || cfg.port === '') return undefined;
  const port = Number(cfg.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  return { host: typeof cfg.host === 'string' && cfg.host !== '' ? cfg.host : '127.0.0.1', port };
}
