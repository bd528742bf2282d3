import type { RequestHandler } from 'express';

/**
 * Durable before announced, for every answer: a body is sent once every change journaled before
 * it was built is on disk, so nothing an answer shows can be lost by a crash after it. Costs
 * nothing when no line is pending (the barrier has resolved), at most one disk sync when one is.
 * A journal that cannot be written does not hold answers back: state.json retries the change.
 */
export function durableAnswers(durable: () => Promise<void>): RequestHandler {
  return (_req, res, next) => {
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const answer = () => void send(body);
      durable().then(answer, answer);
      return res;
    };
    next();
  };
}
