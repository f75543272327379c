import { STATUS_CODES, createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { PROBLEM_JSON, ProblemType, type ProblemDetails } from '../problem-details/index.js';
import { HEADERS_TOO_LARGE_PROBLEM, type AbuseLimits } from './abuse-limits.js';

/**
 * NestJS's Express adapter on an HTTP server whose request line plus headers may not exceed
 * `headerBytes` (Node's `maxHeaderSize`). Node's parser rejects a request over it before Express
 * or NestJS see anything, so no filter, log line or metric can answer it: the server's
 * `clientError` listener does, with a 431 problem+json instead of Node's bodiless one. The same
 * listener answers the other requests Node cannot parse (400) or that time out (408).
 */
export class BoundedHttpAdapter extends ExpressAdapter {
  constructor(private readonly limits: Pick<AbuseLimits, 'headerBytes'>) {
    super();
  }

  override initHttpServer(options: NestApplicationOptions): void {
    if (options.httpsOptions || options.forceCloseConnections || options.return503OnClosing) {
      throw new Error('BoundedHttpAdapter serves plain HTTP only, without NestJS closing options: terminate TLS in front of the service');
    }
    const server = createServer({ maxHeaderSize: this.limits.headerBytes }, this.getInstance());
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerUnparsableRequest(error, socket, this.limits.headerBytes));
    this.setHttpServer(server);
  }
}

/**
 * What Node does by default (node/lib/_http_server.js, socketOnError), with a problem document in
 * the body: answer only if nothing was written on this connection yet, then close it.
 */
function answerUnparsableRequest(error: NodeJS.ErrnoException, socket: Duplex, headerBytes: number): void {
  const written = (socket as Duplex & { bytesWritten?: number }).bytesWritten ?? 0;
  if (socket.writable && written === 0) socket.write(rawResponse(problemFor(error.code, headerBytes)));
  socket.destroy();
}

function problemFor(code: string | undefined, headerBytes: number): ProblemDetails {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        type: HEADERS_TOO_LARGE_PROBLEM,
        title: 'Request Header Fields Too Large',
        status: 431,
        detail: `The request line and headers together exceed ${headerBytes} bytes: send fewer or shorter headers, or a shorter URL.`,
        limitBytes: headerBytes,
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { type: ProblemType.plain, title: 'Request Timeout', status: 408, detail: 'The request did not arrive in full in time.' };
    default:
      return { type: ProblemType.plain, title: 'Bad Request', status: 400, detail: `The request is not valid HTTP/1.1 (${code ?? 'unparsable'}).` };
  }
}

function rawResponse(problem: ProblemDetails): string {
  const body = JSON.stringify(problem);
  return [
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}`,
    `Content-Type: ${PROBLEM_JSON}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}
