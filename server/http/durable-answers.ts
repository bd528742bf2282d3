import type { RequestHandler } from 'express';
import type { Logger } from '../core/log/logger.js';

/**
 * Durable before announced, for every answer: a body is sent once every change journaled before
 * it was built is on disk, so nothing an answer shows can be lost by a crash after it. Costs
 * nothing when no line is pending (the barrier has resolved), at most one disk sync when one is.
 * A journal that cannot be written does not hold answers back: state.json retries the change.
 */
export function durableAnswers(durable: () => Promise<void>, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const send = res.send.bind(res);
    let queued = false;
    let sending = false;
    res.send = (body?: unknown) => {
      if (sending) return send(body); // Express's own send calling itself (an object becomes JSON text)
      // A second send (a handler bug, or the error middleware after one) would answer twice: the first wins.
      if (queued || res.headersSent) {
        logger.error({ path: req.originalUrl }, 'an answer was sent twice; kept the first');
        return res;
      }
      queued = true;
      const answer = () => {
        sending = true;
        try {
          if (!res.headersSent && !res.writableEnded) send(body);
        } catch (err) {
          logger.error({ err }, 'could not send an answer');
        } finally {
          sending = false;
        }
      };
      durable().then(answer, answer);
      return res;
    };
    next();
  };
}
