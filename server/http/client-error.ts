/**
 * What Node's HTTP parser refuses before any handler runs (headers too large, a garbage request
 * line, a body that never finishes arriving) still answers in the one JSON error shape.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { AppError, errorBody } from '../core/errors/app-error.js';

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Payload Too Large', 431: 'Request Header Fields Too Large' };

function appErrorFor(code: string | undefined): AppError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new AppError(431, 'request_header_too_large', 'The request headers are too large (16 KB in all at most).');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new AppError(413, 'payload_too_large', 'The chunk extensions of the body are too large.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError(408, 'request_timeout', 'The request did not arrive in time. Send the whole body at once.');
    default:
      return new AppError(400, 'bad_request', 'The request is not valid HTTP.');
  }
}

/** The server's 'clientError' listener; `shapeFor` picks the error shape by the request's URL (undefined when none was parsed). */
export function clientErrorHandler(shapeFor: (url: string | undefined) => (err: AppError) => unknown = () => errorBody) {
  return (err: Error & { code?: string }, socket: Socket): void => {
    // Node's own fallback checks the same: a response already under way must not get a second status line.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean; req?: IncomingMessage } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || socket.writableEnded || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const appError = appErrorFor(err.code);
    const body = JSON.stringify(shapeFor(inFlight?.req?.url)(appError));
    const head = `HTTP/1.1 ${appError.status} ${REASONS[appError.status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
    socket.end(head + body);
    // A client that never reads must not keep the socket: closed once the answer is out, or after a second.
    socket.once('finish', () => socket.destroy());
    setTimeout(() => socket.destroy(), 1000).unref();
  };
}
