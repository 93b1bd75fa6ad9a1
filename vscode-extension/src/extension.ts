// Registers the "godap" debug type: VS Code starts the godap executable and
// talks DAP to it over stdio.
import * as vscode from 'vscode';
import { adapterCommand, resolveConfig } from './adapter';

class Factory implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const settings = vscode.workspace.getConfiguration('godap');
    const { command, args } = adapterCommand({ path: settings.get<string>('path') });
    return new vscode.DebugAdapterExecutable(command, args);
  }
}

class Provider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined,
    cfg: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
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
