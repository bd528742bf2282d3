import type { Store } from '../../server/core/store/store.js';

/** The store, but its change journal cannot be written (a full disk). */
export function withFailingJournal<S>(store: Store<S>): Store<S> {
  const fail = () => {
    const p = Promise.reject(new Error('disk full'));
    p.catch(() => undefined);
    return p;
  };
  return {
    get data() {
      return store.data;
    },
    update: (fn) => store.update(fn),
    persist: fail,
    durable: fail,
    flush: () => store.flush(),
    close: () => store.close(),
    stats: () => store.stats(),
  };
}
