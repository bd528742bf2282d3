import type { Core } from '../../core/core.js';
import type { Feature } from '../../http/feature.js';
import { modelRoutes } from './routes.js';

/** The model catalog anyone may browse, without a key. */
export function mountModels(core: Core): Feature {
  return { api: modelRoutes(core.catalog, core.access, core.resolved.allowedModels, () => core.clock.now()) };
}
