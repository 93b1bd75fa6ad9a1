// Registers the "godap" debug type: VS Code starts the godap executable and
// talks DAP to it over stdio, or connects to a godap started elsewhere with
// --listen (a configuration with "port", or VS Code's own "debugServer").
import * as vscode from 'vscode';
import { adapterCommand, resolveConfig, serverAddress } from './adapter';

class Factory implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const remote = serverAddress(session.configuration as Record<string, unknown>);
    if (remote) return new vscode.DebugAdapterServer(remote.port, remote.host);
    const settings = vscode.workspace.getConfiguration('godap');
    const r = adapterCommand({ path: settings.get<string>('path') });
    if ('error' in r) {
      // VS Code shows the message of a failed descriptor to the user.
      throw new Error(r.error);
    }
    return new vscode.DebugAdapterExecutable(r.command, r.args);
  }
}

class Provider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined,
    cfg: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    if (!cfg.type && !cfg.request && !cfg.name) {
      // F5 without a launch.json: debug the package of the open folder.
      cfg = { type: 'godap', request: 'launch', name: 'Launch package', mode: 'debug' };
    }
    const r = resolveConfig(cfg as Record<string, unknown>, folder?.uri.fsPath);
    if (typeof r === 'string') {
      void vscode.window.showErrorMessage(r);
      return undefined;
    }
    return r as vscode.DebugConfiguration;
  }
}

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory('godap', new Factory()),
    vscode.debug.registerDebugConfigurationProvider('godap', new Provider()));
}

export function deactivate(): void {}
