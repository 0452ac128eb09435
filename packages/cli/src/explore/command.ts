import { resolve } from 'node:path';
import { serveExplorer, writeExplorer } from '@attograd/explorer';
import type { Command } from 'commander';
import { UsageError } from '../usage';
import { openInBrowser } from './open-browser';

/**
 * Registers `attograd explore`: the interactive explorer of self-attention's gradients in the
 * browser. Serves the page on 127.0.0.1 (--port, default a free port) and prints its URL until
 * interrupted; --open also opens the default browser; --out DIR writes it as static files instead.
 *
 * @example
 * attograd explore --open
 * attograd explore --out site/
 */
export function registerExplore(program: Command): void {
  program
    .command('explore')
    .description("open the interactive explorer of self-attention's gradients in the browser")
    .option('--port <n>', 'port to serve on, on 127.0.0.1 (default: a free port)')
    .option('--open', 'open the default browser at the URL')
    .option('--out <dir>', 'write the explorer as static files (index.html) into DIR instead of serving it')
    .action(async (raw: { port?: string; open?: boolean; out?: string }) => {
      if (raw.out !== undefined) {
        process.stdout.write(`${writeExplorer(resolve(raw.out))}\n`);
        return;
      }
      const port = raw.port === undefined ? 0 : Number(raw.port);
      if (!/^\s*\d+\s*$/.test(raw.port ?? '0') || !Number.isInteger(port) || port > 65535) {
        throw new UsageError(`explore: --port must be an integer from 0 to 65535, got '${raw.port}'`);
      }
      const server = await serveExplorer({ port }).catch((error: Error) => {
        throw new UsageError(`explore: cannot listen on 127.0.0.1:${port}: ${error.message}`);
      });
      process.stdout.write(`attograd explore: ${server.url}  (Ctrl-C to stop)\n`);
      if (raw.open) {
        // Success is said only once the opener has exited with status 0; the server runs either way.
        void openInBrowser(server.url).then((result) => {
          if (result.opened) process.stdout.write(`attograd explore: opened ${server.url} in the browser (${result.command})\n`);
          else process.stderr.write(`attograd explore: could not open the browser: ${result.reason}; open ${server.url} yourself\n`);
        });
      }
      await new Promise<void>((done) => {
        const stop = (): void => {
          void server.close().then(done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
