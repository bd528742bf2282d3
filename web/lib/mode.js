// @ts-check
/** Who pays for model calls on this page right now, from the server's settings and the visitor's key. */

/** @typedef {'byok' | 'inference' | 'data-only'} EffectiveMode */

/**
 * @param {import('./use-config.js').PublicConfig} config
 * @param {boolean} hasOwnKey
 * @returns {EffectiveMode}
 */
export function effectiveMode(config, hasOwnKey) {
  if (hasOwnKey && config.key_modes.byok) return 'byok';
  return config.mode === 'inference' ? 'inference' : 'data-only';
}
