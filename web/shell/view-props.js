// @ts-check
/** The props every tab view receives (types only). */

/**
 * @typedef {object} ViewProps
 * @property {import('../lib/use-config.js').PublicConfig} config
 * @property {import('../lib/mode.js').EffectiveMode} mode
 * @property {import('./route.js').Route} route
 * @property {import('../lib/live.js').LiveConnection} live the page's one live connection, for the topics a view shows
 * @property {import('../lib/use-live.js').QueueCounts | null} queue
 * @property {import('../lib/use-usage.js').Usage | null} usage null until /api/usage first answers
 * @property {() => void} refreshUsage load the usage again, e.g. after the visitor's own model call
 * @property {(e: Event) => void} onOpenSettings
 */

export {};
