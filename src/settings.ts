// Typed access to the extension's settings; one place knows their names and defaults.
import * as vscode from 'vscode';
import { normalizePhases, type PhaseDefinition } from './core/workflow/phases';

export function configuredPhases(): readonly PhaseDefinition[] {
  return normalizePhases(vscode.workspace.getConfiguration('chant').get<unknown>('phases'));
}
