import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, LogLevel, Logger, type ProjectReflection } from 'typedoc';

/** The workspace root, which holds typedoc.json. */
export const WORKSPACE = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A logger that keeps every warning and error instead of printing them. */
export class CollectingLogger extends Logger {
  readonly messages: string[] = [];

  override log(message: string, level: LogLevel): void {
    super.log(message, level);
    if (level >= LogLevel.Warn) this.messages.push(`${LogLevel[level]}: ${message}`);
  }
}

/**
 * TypeDoc configured by the root typedoc.json, with its output sent to `out`; `entryPoints` (package
 * folders) replaces the configured packages, for testing the check itself on a fixture.
 */
export async function loadTypedoc(
  out: string,
  entryPoints?: string[],
): Promise<{ app: Application; logger: CollectingLogger; project: ProjectReflection }> {
  const app = await Application.bootstrapWithPlugins({
    options: resolve(WORKSPACE, 'typedoc.json'),
    out,
    logLevel: 'Warn',
    ...(entryPoints ? { entryPoints, packagesRequiringDocumentation: [] } : {}),
  });
  const logger = new CollectingLogger();
  app.logger = logger;
  const project = await app.convert();
  if (!project) throw new Error(`TypeDoc could not convert the packages:\n${logger.messages.join('\n')}`);
  return { app, logger, project };
}
