// Where this workspace's saved indexes live: VS Code's storage for the workspace (never the
// repository). Without a workspace (a lone file) there is none, and every open is cold.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { IndexSnapshotStore } from '../core/project/snapshotStore';

export function indexSnapshotStore(context: vscode.ExtensionContext): IndexSnapshotStore | undefined {
  const storage = context.storageUri;
  if (!storage || storage.scheme !== 'file') return undefined;
  // The version alone would let a development build trust what an older build of the same version
  // saved; the bundle's modification time tells builds apart.
  const producer = async (): Promise<string> => {
    const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0');
    const bundle = await fs.stat(path.join(context.extensionPath, 'out', 'extension.js')).catch(() => undefined);
    return `chant-vscode ${version} ${bundle?.mtimeMs ?? ''}`;
  };
  return new IndexSnapshotStore(path.join(storage.fsPath, 'index'), producer);
}
