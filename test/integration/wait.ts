// Polling helpers for integration tests: the extension host answers asynchronously.
import * as vscode from 'vscode';

/** Polls `probe` every 200 ms until it returns something truthy, or fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Polls `condition` until it holds (returns something truthy), or fails naming `what` after
 * `timeoutMs`. Resolves to what `condition` returned, so a probe can hand back what it found.
 */
export async function eventually<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  return waitFor(async () => (await condition()) || undefined, timeoutMs, what);
}

/**
 * Accepts each quick input as it comes (its prefilled value or selection) until the command that
 * asks is done; an accept before an input is up does nothing, so there is no guess at how long one
 * takes to appear. Undefined (and the input closed) when it is not done after `timeoutMs`.
 */
export async function acceptUntilDone<T>(pending: Thenable<T>, timeoutMs = 15_000): Promise<T | undefined> {
  let done = false;
  let result: T | undefined;
  void Promise.resolve(pending).then((value) => {
    done = true;
    result = value;
  });
  for (const deadline = Date.now() + timeoutMs; !done && Date.now() < deadline; ) {
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!done) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  return result;
}

/** `promise`, or a rejection naming `what` after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens a webview panel with `open` and waits until its webview has said `ready` by itself
 * (`saidReady`: the host's answer to it arrived; no test says `ready` for a webview).
 *
 * Under code-server every webview is served from the workbench's own origin, so each new webview
 * registers the webview service worker again (with its own id) and, while another webview's worker
 * controls it, waits for a `controllerchange` before it loads anything (its log: "Found unexpected
 * service worker controller … Waiting for controllerchange"). When that worker already took over
 * before the wait began, the event never comes and the webview never starts: nothing of ours has
 * run. The next webview's registration sends the event; so when `ready` is late, a throw-away webview
 * is opened beside (and closed), at most `nudges` times. A webview whose own script does not say
 * `ready` still fails.
 */
export async function openWebview<T>(
  open: () => Promise<T>,
  saidReady: (panel: T) => boolean,
  what: string,
  { nudges = 3, timeoutMs = 8_000 } = {},
): Promise<T> {
  const panel = await open();
  for (let nudge = 0; ; nudge++) {
    const ready = await eventually(() => saidReady(panel), `${what} to say ready`, timeoutMs).then(
      () => true,
      () => false,
    );
    if (ready) return panel;
    if (nudge >= nudges) throw new Error(`${what} never said ready (${nudges} other webviews opened meanwhile)`);
    const other = vscode.window.createWebviewPanel(
      'chant.test.nudge',
      'nudge',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {},
    );
    other.webview.html = '<!DOCTYPE html><html><body></body></html>';
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    other.dispose();
  }
}

/**
 * Asks the launcher to click `button` (alternatives separated by `|`) in the dialog or notification
 * holding the text `holding` that the workbench shows next (out of an extension's reach: a notification a tool waits
 * on). The
 * code-server launcher watches the console for the request (launch.ts); false when the launcher
 * cannot click (the electron one). VS Code refuses modal dialogs in extension tests altogether.
 */
export function answerDialog(button: string, holding?: string): boolean {
  const marker = process.env.CHANT_TEST_UI_MARKER;
  if (!marker) return false;
  console.log(`${marker}${button}${holding ? `@@${holding}` : ''}`);
  return true;
}
