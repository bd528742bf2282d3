// @ts-check
/** The props every tab view receives (types only). */

/**
 * @typedef {object} ViewProps
 * @property {import('../lib/use-config.js').PublicConfig} config
 * @property {import('../lib/mode.js').EffectiveMode} mode
 * @property {import('../lib/route.js').Route} route
 * @property {import('../lib/use-live.js').QueueCounts | null} queue
 * @property {(e: Event) => void} onOpenSettings
 */

export {};
