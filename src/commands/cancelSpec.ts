// "Cancel Spec": chant's soft cancel (CHANT-FORMAT §9 cancel) done as a one-line edit. Only the
// `status` value changes (lossless setField); chant's refusals are kept (members, states its state
// machine cannot leave for `cancelled`), and a modal confirmation comes first.
import * as vscode from 'vscode';
import { checkCancel } from '../core/project/specLifecycle';
import { setField } from '../core/spec/specEdit';
import { rewriteSpecFile } from '../workspace/specWriter';
import type { SpecTarget } from './target';

export interface CancelOptions {
  /** Skip the confirmation (tests, and callers that already asked). */
  confirmed?: boolean;
}

/** Returns true when the file now says `status: cancelled`. */
export async function cancelSpec(target: SpecTarget, options: CancelOptions = {}): Promise<boolean> {
  const { spec, index } = target;
  const decision = checkCancel(spec, index.specs);
  if (!decision.ok) {
    void vscode.window.showWarningMessage(decision.reason);
    return false;
  }
  if (!options.confirmed) {
    const name = spec.title?.trim() || spec.id;
    const detail = [
      `${spec.id} will get status: cancelled. chant hides cancelled specs from its lists; 'chant reset' or setting status: pending brings it back.`,
      decision.dependents.length > 0
        ? `${decision.dependents.length} spec(s) depend on it (${decision.dependents.join(', ')}). chant counts a cancelled dependency as satisfied, so they may become ready.`
        : '',
    ]
      .filter(Boolean)
      .join('\n\n');
    const confirm = decision.dependents.length > 0 ? 'Cancel Anyway' : 'Cancel Spec';
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Cancel "{0}"?', name), { modal: true, detail }, confirm);
    if (choice !== confirm) return false;
  }
  const result = await rewriteSpecFile(spec.path, (text) => setField(text, 'status', 'cancelled'));
  if (result.leftUnsaved) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is cancelled in the open editor, which has unsaved changes: save it to keep the cancellation.', spec.id));
  }
  return true;
}
