// One disposable discipline: a class registers what it creates and disposes it all at once.
import type * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  protected _register<T extends vscode.Disposable>(disposable: T): T {
    if (this.disposed) disposable.dispose();
    else this.disposables.push(disposable);
    return disposable;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    while (this.disposables.length > 0) {
      try {
        this.disposables.pop()!.dispose();
      } catch {
        // Keep disposing the rest; one failing listener must not leak the others.
      }
    }
  }
}
