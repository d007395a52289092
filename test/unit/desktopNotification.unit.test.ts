import * as assert from 'node:assert/strict';
import { notificationText, notifyCommand } from '../../src/core/runs/desktopNotification';

describe('desktop notifications', () => {
  it('builds each platform\'s command by absolute path, with the text as arguments or environment, never a shell line', () => {
    const title = "$(touch PWNED) `x`; it's";
    const linux = notifyCommand('linux', 'Chant', `${title} finished`, { notifySend: '/usr/bin/notify-send' })!;
    assert.deepEqual(linux, { file: '/usr/bin/notify-send', args: ['--app-name=Chant', '--', 'Chant', `${title} finished`] });
    assert.equal(notifyCommand('linux', 'Chant', 'x', {}), undefined, 'no notify-send: nothing to run');
    assert.equal(notifyCommand('linux', 'Chant', 'x', { notifySend: 'notify-send' }), undefined, 'a relative path is never run');
    const mac = notifyCommand('darwin', 'Chant', 'body', {})!;
    assert.equal(mac.file, '/usr/bin/osascript');
    assert.deepEqual(mac.args.slice(-2), ['Chant', 'body'], 'the text is argv, not AppleScript source');
    const win = notifyCommand('win32', 'Chant', 'body', { systemRoot: 'D:\\Windows' })!;
    assert.equal(win.file, 'D:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    assert.ok(!win.args.join(' ').includes('body'), 'the text travels in the environment');
    assert.deepEqual(win.env, { CHANT_NOTIFY_TITLE: 'Chant', CHANT_NOTIFY_BODY: 'body' });
  });

  it('keeps the text to one clean line that cannot pass for an option', () => {
    assert.equal(notificationText('a\nb\u001b[31mc\td'), 'a b [31mc d');
    assert.equal(notificationText('--help me'), '‐-help me');
    assert.equal(notificationText('x'.repeat(300)).length, 200);
  });
});
