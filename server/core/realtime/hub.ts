import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { ServerMessage } from './messages.js';

/** One connected live client, whatever the transport (WebSocket or SSE). */
export interface Subscriber {
  readonly id: string;
  readonly transport: 'ws' | 'sse';
  readonly topics: Set<string>;
  /** Queues serialized JSON for the client. */
  send(json: string): void;
  /** Bytes accepted but not yet written to the network. */
  bufferedBytes(): number;
  /** Ends the connection; `reason` is for the client and the log. */
  close(reason: string): void;
}

/** A family of topics ("queue", "job:<id>") and the snapshot a late subscriber first gets. */
export interface TopicHandler {
  matches(topic: string): boolean;
  /** Current state for a new subscriber; undefined when the topic has nothing (yet). Must be synchronous. */
  snapshot(topic: string): unknown;
}

/** What engines and the queue depend on: publishing, nothing else (a Redis pub/sub can stand in later). */
export interface Publisher {
  publish(topic: string, message: ServerMessage): void;
}

const TOPIC = /^[a-z][a-z0-9_-]{0,31}(:[A-Za-z0-9_-]{1,64})?$/;

export class SubscribeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Topic fan-out with per-client backpressure. Transport only: it knows topics and
 * bytes, not research or batches. Each message is serialized once for all subscribers.
 */
export class Hub implements Publisher {
  private readonly subscribers = new Set<Subscriber>();
  private readonly byTopic = new Map<string, Set<Subscriber>>();
  private readonly handlers: TopicHandler[] = [];
  /** Deliveries in publish order, each after the changes made before it are on disk (`settled`). */
  private outbox: Promise<void> = Promise.resolve();

  constructor(
    private readonly opts: {
      maxBufferedBytes: number;
      maxTopicsPerClient: number;
      logger: Logger;
      metrics: Metrics;
      /**
       * Resolves once every change made so far is on disk. Each message (and snapshot) is delivered
       * after the barrier taken when it was published: durable before announced, in publish order.
       * None: delivered at once.
       */
      settled?: () => Promise<void>;
    },
  ) {}

  addTopic(handler: TopicHandler): void {
    this.handlers.push(handler);
  }

  attach(sub: Subscriber): void {
    this.subscribers.add(sub);
    this.opts.metrics.liveClients.inc({ transport: sub.transport });
  }

  detach(sub: Subscriber): void {
    if (!this.subscribers.delete(sub)) return;
    for (const topic of sub.topics) this.removeFromTopic(sub, topic);
    sub.topics.clear();
    this.opts.metrics.liveClients.dec({ transport: sub.transport });
  }

  /** Subscribes, sends `subscribed`, then the snapshot; no live event falls before or between them. */
  subscribe(sub: Subscriber, topic: string): void {
    if (!this.subscribers.has(sub)) return; // dropped or closing: never re-add it to a topic
    if (!TOPIC.test(topic)) throw new SubscribeError('invalid_topic', `"${topic.slice(0, 80)}" is not a topic name.`);
    const handler = this.handlers.find((h) => h.matches(topic));
    if (!handler) throw new SubscribeError('unknown_topic', `There is no topic "${topic}".`);
    if (!sub.topics.has(topic) && sub.topics.size >= this.opts.maxTopicsPerClient) {
      throw new SubscribeError('too_many_topics', `A client may follow at most ${this.opts.maxTopicsPerClient} topics; unsubscribe from some first.`);
    }
    sub.topics.add(topic);
    let set = this.byTopic.get(topic);
    if (!set) this.byTopic.set(topic, (set = new Set()));
    set.add(sub);
    // Built now, so it holds exactly what was published before; sent in order after that.
    const data = handler.snapshot(topic);
    const messages = [JSON.stringify({ type: 'subscribed', topic }), ...(data === undefined ? [] : [JSON.stringify({ type: 'snapshot', topic, data })])];
    this.send(() => {
      for (const json of messages) this.deliver(sub, json);
    });
  }

  unsubscribe(sub: Subscriber, topic: string): void {
    if (sub.topics.delete(topic)) this.removeFromTopic(sub, topic);
    const json = JSON.stringify({ type: 'unsubscribed', topic });
    this.send(() => this.deliver(sub, json));
  }

  /** To the topic's subscribers of this moment (a later subscriber's snapshot already holds it). */
  publish(topic: string, message: ServerMessage): void {
    const set = this.byTopic.get(topic);
    if (!set || set.size === 0) return;
    const json = JSON.stringify({ ...message, topic });
    const targets = [...set];
    this.send(() => {
      for (const sub of targets) if (sub.topics.has(topic)) this.deliver(sub, json);
    });
  }

  /** Runs a delivery now, or after the changes made before it are on disk, in order. */
  private send(delivery: () => void): void {
    if (!this.opts.settled) {
      delivery();
      return;
    }
    const onDisk = this.opts.settled();
    const run = () => {
      try {
        delivery();
      } catch (err) {
        this.opts.logger.error({ err }, 'a live delivery failed');
      }
    };
    // A journal that fails does not stop the news (state.json retries the change).
    this.outbox = this.outbox.then(() => onDisk.then(run, run));
  }

  /** Sends to one client, or drops it when it has stopped reading (others are never held up). */
  deliver(sub: Subscriber, json: string): void {
    if (!this.subscribers.has(sub)) return;
    if (sub.bufferedBytes() + json.length > this.opts.maxBufferedBytes) {
      this.opts.metrics.liveDropped.inc({ reason: 'stalled' });
      this.opts.logger.warn({ client: sub.id, transport: sub.transport, buffered: sub.bufferedBytes() }, 'dropping a stalled live client');
      this.detach(sub);
      sub.close('too slow: the client stopped reading');
      return;
    }
    sub.send(json);
    this.opts.metrics.liveMessages.inc();
  }

  isAttached(sub: Subscriber): boolean {
    return this.subscribers.has(sub);
  }

  clientCount(): number {
    return this.subscribers.size;
  }

  /** Ends every connection (shutdown). */
  closeAll(reason: string): void {
    for (const sub of [...this.subscribers]) {
      this.detach(sub);
      sub.close(reason);
    }
  }

  private removeFromTopic(sub: Subscriber, topic: string): void {
    const set = this.byTopic.get(topic);
    set?.delete(sub);
    if (set?.size === 0) this.byTopic.delete(topic);
  }
}
