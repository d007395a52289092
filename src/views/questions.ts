// A modal question with two named answers (Merge or Merge and Delete Branch, Continue or Start
// Over). Pickers are in pickers.ts.
import * as vscode from 'vscode';

/** True when the user chose `second`, false for `first`, undefined when the dialog was dismissed. */
export async function chooseSecond(
  message: string,
  detail: string,
  first: string,
  second: string,
): Promise<boolean | undefined> {
  const choice = await vscode.window.showInformationMessage(message, { modal: true, detail }, first, second);
  return choice === undefined ? undefined : choice === second;
}
