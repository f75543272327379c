import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, HttpException, HttpStatus } from '@nestjs/common';
import { WEB_ROOT } from '../web-root.js';

@Controller()
export class HealthController {
  /** Liveness: the process answers. */
  @Get('health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the page is there to serve (the front end is built by `npx nx build console`). */
  @Get('ready')
  ready(): { status: 'ok' } {
    if (!existsSync(join(WEB_ROOT, 'index.html'))) {
      throw new HttpException(
        { status: 'error', error: { web: { status: 'down', message: `${WEB_ROOT}/index.html is missing: build the page with \`npx nx build console\`` } } },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    return { status: 'ok' };
  }
}
