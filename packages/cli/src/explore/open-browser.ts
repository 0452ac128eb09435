import { spawn } from 'node:child_process';

/** The program that opens a URL in the default browser on this platform, and its arguments. */
export function systemOpener(platform: NodeJS.Platform = process.platform): { command: string; args: (url: string) => string[] } {
  if (platform === 'darwin') return { command: 'open', args: (url) => [url] };
  // Not explorer.exe (it exits with 1 even when it succeeds) nor cmd's `start` (it needs `&` escaped).
  if (platform === 'win32') return { command: 'rundll32', args: (url) => ['url.dll,FileProtocolHandler', url] };
  return { command: 'xdg-open', args: (url) => [url] };
}

/** What became of asking the system to open a URL. */
export type OpenResult = { opened: true; command: string } | { opened: false; command: string; reason: string };

/**
 * Asks the system's opener (xdg-open, open, rundll32) to show `url` in the default browser and
 * resolves once the opener has finished: opened only when it exited with status 0; otherwise the
 * reason (it could not be started, exited with a status, or was killed by a signal). The opener
 * runs detached, so the browser outlives this process.
 *
 * @example
 * const result = await openInBrowser('http://127.0.0.1:8080/');
 * if (!result.opened) console.warn(result.reason);
 */
export function openInBrowser(url: string, opener = systemOpener()): Promise<OpenResult> {
  const { command } = opener;
  return new Promise((done) => {
    const child = spawn(command, opener.args(url), { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', (error: NodeJS.ErrnoException) => {
      done({ opened: false, command, reason: `cannot start '${command}' (${error.code ?? error.message})` });
    });
    child.on('exit', (code, signal) => {
      if (code === 0) done({ opened: true, command });
      else
        done({
          opened: false,
          command,
          reason: signal !== null ? `'${command}' was killed by ${signal}` : `'${command}' exited with status ${code}`,
        });
    });
    child.unref();
  });
}
