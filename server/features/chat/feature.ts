import type { Core } from '../../core/core.js';
import type { Feature } from '../../http/feature.js';
import { chatRoutes } from './routes.js';

/** "Try it": one conversation turn with a model the caller may use. */
export function mountChat(core: Core): Feature {
  return { api: chatRoutes(core.gate, core.metered, core.config.llm.timeouts_seconds.chat * 1000) };
}
