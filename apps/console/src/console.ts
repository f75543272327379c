import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { ConsoleSettings } from './config.js';
import { ConsoleModule } from './console.module.js';
import { WEB_ROOT } from './web-root.js';

export interface RunningConsole {
  app: NestExpressApplication;
  /** `http://127.0.0.1:<port>`: the page. */
  url: string;
}

/** Starts the console's backend and serves the page from WEB_ROOT. */
export async function startConsole(settings: ConsoleSettings): Promise<RunningConsole> {
  const app = await NestFactory.create<NestExpressApplication>(ConsoleModule.forRoot(settings), { bufferLogs: true, abortOnError: false });
  try {
    app.useLogger(app.get(Logger));
    app.disable('x-powered-by');
    app.useStaticAssets(WEB_ROOT, { index: 'index.html' });
    app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
    await app.listen(settings.http.port, settings.http.host);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const url = await app.getUrl();
  app.get(Logger).log(`console on ${url} (${settings.workshopMode ? 'workshop mode' : 'read-only'})`, 'Bootstrap');
  return { app, url };
}
