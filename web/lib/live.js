// @ts-check
/**
 * The page's live connection: a WebSocket to /ws with topic subscriptions that survive
 * reconnects, falling back by itself to Server-Sent Events (/api/events) on networks that break
 * WebSockets. Both carry the same JSON messages, so subscribers never know which one is in use.
 */

/** @typedef {'connecting' | 'connected' | 'offline'} LiveStatus */
/** @typedef {'ws' | 'sse'} Transport */
/**
 * @typedef {object} LiveState
 * @property {LiveStatus} status
 * @property {Transport} transport
 * @property {number | null} retryAt epoch ms of the next attempt while waiting to reconnect
 */
/** @typedef {{ type: string, topic?: string, [field: string]: any }} LiveMessage */
/** @typedef {(msg: LiveMessage) => void} TopicHandler */

const PING_MS = 25_000;
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
/** WebSockets that die before opening this many times in a row mean the network blocks them. */
const WS_FAILURES_BEFORE_SSE = 2;

/**
 * Exponential backoff with "equal jitter": between half and all of the doubled delay, so that
 * every tab of a restarted Space does not come back in the same second.
 * @param {number} attempt 0 for the first retry
 */
export function backoffMs(attempt, random = Math.random) {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
  return Math.max(BACKOFF_MIN_MS, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}

/** ws(s)://<this origin and path>/ws, so the page also works below a path prefix. */
function defaultWsUrl() {
  const url = new URL('./ws', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

export class LiveConnection {
  /** @param {{ wsUrl?: string, eventsUrl?: string }} [opts] */
  constructor(opts = {}) {
    this.wsUrl = opts.wsUrl ?? defaultWsUrl();
    this.eventsUrl = opts.eventsUrl ?? './api/events';
    /** @type {LiveState} */
    this.state = { status: 'connecting', transport: 'ws', retryAt: null };
    /** @type {Map<string, Set<TopicHandler>>} */
    this.topics = new Map();
    /** @type {Set<(state: LiveState) => void>} */
    this.stateListeners = new Set();
    /** @type {WebSocket | null} */
    this.ws = null;
    /** @type {EventSource | null} */
    this.es = null;
    this.attempt = 0;
    this.wsFailures = 0;
    this.running = false;
    this.reopening = false;
    this.lastMessageAt = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.retryTimer = undefined;
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.pingTimer = undefined;
    this.onOnline = () => this.reconnectNow();
    this.onOffline = () => {
      this.closeTransports();
      this.setState({ status: 'offline', retryAt: null });
    };
  }

  start() {
    if (this.running) return;
    this.running = true;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    this.connect();
  }

  stop() {
    this.running = false;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    this.closeTransports();
    this.setState({ status: 'offline', retryAt: null });
  }

  /** Skips the wait: the browser is back online, or the visitor asked. */
  reconnectNow() {
    if (!this.running) return;
    this.closeTransports();
    this.connect();
  }

  /**
   * Receives every message on `topic` (snapshot first, then live ones) until the returned
   * function is called. Subscriptions outlive reconnects and a switch of transport.
   * @param {string} topic
   * @param {TopicHandler} handler
   * @returns {() => void}
   */
  subscribe(topic, handler) {
    let handlers = this.topics.get(topic);
    if (!handlers) {
      handlers = new Set();
      this.topics.set(topic, handlers);
      this.topicsChanged({ type: 'subscribe', topic });
    }
    handlers.add(handler);
    return () => {
      const set = this.topics.get(topic);
      if (!set?.delete(handler) || set.size > 0) return;
      this.topics.delete(topic);
      this.topicsChanged({ type: 'unsubscribe', topic });
    };
  }

  /** @param {(state: LiveState) => void} fn @returns {() => void} */
  onState(fn) {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  // --- internals ---

  /** @param {{ type: 'subscribe' | 'unsubscribe', topic: string }} msg */
  topicsChanged(msg) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
    // An EventSource's topics are fixed in its URL: reopen it with the new set.
    // (While waiting to retry, the next attempt picks the new set up anyway.)
    else if (this.state.transport === 'sse' && this.running && this.state.status !== 'offline') this.reopenSoon();
  }

  /** Several subscriptions made in one go reopen the EventSource once, not once each. */
  reopenSoon() {
    if (this.reopening) return;
    this.reopening = true;
    queueMicrotask(() => {
      this.reopening = false;
      this.reconnectNow();
    });
  }

  connect() {
    clearTimeout(this.retryTimer);
    if (!navigator.onLine) return this.setState({ status: 'offline', retryAt: null });
    this.setState({ status: 'connecting', retryAt: null });
    if (this.state.transport === 'ws') this.openWebSocket();
    else this.openEventSource();
  }

  openWebSocket() {
    const ws = new WebSocket(this.wsUrl);
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.wsFailures = 0;
      this.lastMessageAt = Date.now();
      for (const topic of this.topics.keys()) ws.send(JSON.stringify({ type: 'subscribe', topic }));
      this.startPing(ws);
      this.setState({ status: 'connected' });
    };
    ws.onmessage = (e) => {
      this.lastMessageAt = Date.now();
      this.dispatch(e.data);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return; // replaced on purpose
      this.ws = null;
      clearInterval(this.pingTimer);
      if (!this.running) return;
      if (!opened && ++this.wsFailures >= WS_FAILURES_BEFORE_SSE) {
        this.setState({ transport: 'sse' });
        return this.connect();
      }
      this.scheduleRetry();
    };
  }

  openEventSource() {
    const topics = [...this.topics.keys()];
    // The server wants at least one topic; with none there is nothing to listen to yet.
    if (topics.length === 0) return this.setState({ status: 'connected' });
    const es = new EventSource(`${this.eventsUrl}?topics=${topics.map(encodeURIComponent).join(',')}`);
    this.es = es;
    let opened = false;
    es.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.setState({ status: 'connected' });
    };
    es.onmessage = (e) => this.dispatch(e.data);
    // EventSource would retry by itself every few seconds forever; use the same backoff as ws.
    es.onerror = () => {
      if (this.es !== es) return;
      es.close();
      this.es = null;
      // Never opened either: the server is likely down rather than WebSockets blocked, so try ws again.
      if (!opened) {
        this.wsFailures = 0;
        this.setState({ transport: 'ws' });
      }
      this.scheduleRetry();
    };
  }

  scheduleRetry() {
    const delay = backoffMs(this.attempt++);
    this.setState({ status: 'offline', retryAt: Date.now() + delay });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /**
   * Keeps proxies from closing an idle socket, and notices a dead one that never said goodbye.
   * @param {WebSocket} ws
   */
  startPing(ws) {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastMessageAt <= 2 * PING_MS) return ws.send(JSON.stringify({ type: 'ping' }));
      // Not even the last ping's pong came back. Closing a dead socket can take a long time to
      // report, so drop it and retry now rather than wait for its close event.
      this.closeTransports();
      this.scheduleRetry();
    }, PING_MS);
  }

  closeTransports() {
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const { ws, es } = this;
    this.ws = null;
    this.es = null;
    ws?.close();
    es?.close();
  }

  /** @param {unknown} data */
  dispatch(data) {
    /** @type {LiveMessage} */
    let msg;
    try {
      msg = JSON.parse(String(data));
    } catch {
      return; // not ours to show; the next message will be fine
    }
    if (typeof msg?.topic !== 'string') return;
    for (const handler of this.topics.get(msg.topic) ?? []) handler(msg);
  }

  /** @param {Partial<LiveState>} patch */
  setState(patch) {
    this.state = { ...this.state, ...patch };
    for (const fn of this.stateListeners) fn(this.state);
  }
}
