// A desktop notification for a run that needs the user, sent through the operating system's own
// tool (VS Code has no API for one): notify-send on Linux, osascript on macOS, PowerShell on
// Windows, each run by absolute path with the text as separate arguments or environment values,
// never through a shell. The text comes from spec titles (anyone's): one line, no control
// characters, bounded, and never starting with `-` (no tool can read it as an option).
// No `vscode` import.
import * as path from 'node:path';

export interface NotifyCommand {
  file: string;
  args: string[];
  env?: Record<string, string>;
}

/** One clean line of at most `max` characters that cannot pass for an option. */
export function notificationText(text: string, max = 200): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    out += code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0x2028 || code === 0x2029 ? ' ' : ch;
  }
  out = out.replace(/\s+/g, ' ').trim();
  if (out.length > max) out = `${out.slice(0, max - 1)}…`;
  return out.startsWith('-') ? `‐${out.slice(1)}` : out;
}

const POWERSHELL_SCRIPT = [
  'Add-Type -AssemblyName System.Windows.Forms',
  '$n = New-Object System.Windows.Forms.NotifyIcon',
  '$n.Icon = [System.Drawing.SystemIcons]::Information',
  '$n.Visible = $true',
  "$n.ShowBalloonTip(10000, $env:CHANT_NOTIFY_TITLE, $env:CHANT_NOTIFY_BODY, 'Info')",
  'Start-Sleep -Seconds 10',
  '$n.Dispose()',
].join('; ');

/**
 * The command that shows `title` and `body` on `platform`. `notifySend` is notify-send's absolute
 * path found on PATH (Linux); undefined when the platform has no tool for it.
 */
export function notifyCommand(
  platform: NodeJS.Platform,
  title: string,
  body: string,
  tools: { notifySend?: string; systemRoot?: string },
): NotifyCommand | undefined {
  const t = notificationText(title, 80) || 'Chant';
  const b = notificationText(body) || t;
  if (platform === 'darwin') {
    // The text arrives as `argv`, so no AppleScript string is ever built from it.
    return {
      file: '/usr/bin/osascript',
      args: [
        '-e',
        'on run argv',
        '-e',
        'display notification (item 2 of argv) with title (item 1 of argv)',
        '-e',
        'end run',
        t,
        b,
      ],
    };
  }
  if (platform === 'win32') {
    const root = tools.systemRoot && path.win32.isAbsolute(tools.systemRoot) ? tools.systemRoot : 'C:\\Windows';
    return {
      file: path.win32.join(root, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe'),
      args: ['-NoProfile', '-NonInteractive', '-WindowStyle', 'Hidden', '-Command', POWERSHELL_SCRIPT],
      env: { CHANT_NOTIFY_TITLE: t, CHANT_NOTIFY_BODY: b },
    };
  }
  if (!tools.notifySend || !path.isAbsolute(tools.notifySend)) return undefined;
  return { file: tools.notifySend, args: ['--app-name=Chant', '--', t, b] };
}
