// Pure helpers, kept apart from the vscode API so node:test can check them.

export interface GodapSettings {
  path?: string;
}

/** The command line VS Code runs for a session: godap speaks DAP on stdio. */
export function adapterCommand(settings: GodapSettings): { command: string; args: string[] } {
  const command = settings.path && settings.path.trim() !== '' ? settings.path : 'godap';
  return { command, args: [] };
}

/**
 * Fills what a launch.json left out, as vscode-go does: mode "debug",
 * program the workspace folder.  Returns an error message for a
 * configuration godap cannot run.
 */
export function resolveConfig(cfg: Record<string, unknown>, workspace?: string): Record<string, unknown> | string {
  const out: Record<string, unknown> = { ...cfg };
  if (!out.type) out.type = 'godap';
  if (!out.request) out.request = 'launch';
  if (!out.name) out.name = 'Launch package';
  if (out.request === 'launch') {
    if (!out.mode) out.mode = 'debug';
    if (!out.program) {
      if (!workspace) return 'godap: "program" is not set and no folder is open';
      out.program = workspace;
    }
  } else if (out.request === 'attach') {
    if (out.processId === undefined || out.processId === '') return 'godap: attach needs "processId"';
  } else {
    return `godap: unknown request "${String(out.request)}"`;
  }
  return out;
}
