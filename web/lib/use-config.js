// @ts-check
/** Loads the server's public settings (/api/config) once, with a way to try again. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from './api.js';

/**
 * @typedef {object} PublicConfig
 * @property {string} version
 * @property {'inference' | 'data-only'} mode
 * @property {'production' | 'development'} deployment_env
 * @property {{ server_key: boolean, byok: boolean, byok_any_model: boolean, issued_keys: boolean }} key_modes
 * @property {{ id: string, url: string, duplicate_url: string } | null} space
 * @property {{ max_cycles_per_session: number, max_hypotheses_per_cycle: number, session_timeout_minutes: number,
 *   per_session_limit_requests: number, requests_per_hour_per_ip: number, daily_spending_limit_usd: number,
 *   alert_at_fraction: number, default_max_tokens: number }} limits
 * @property {string[]} allowed_models
 * @property {{ max_concurrent_jobs: number, max_queue_size: number }} queue
 * @property {{ max_active_sessions_per_ip: number, session_ttl_minutes: number, max_concurrency: number }} batch
 * @property {boolean} private_endpoints_allowed
 * @property {{ enabled: boolean, admin_api: boolean, key_defaults?: { rpm: number, max_concurrent: number, daily_usd: number | null } }} [gateway]
 * @property {boolean} [simulated] `npm run demo`: a local stand-in answers instead of a real model
 */

/** @returns {{ config: PublicConfig | null, error: import('./api.js').ApiError | null, retry: () => void }} */
export function useConfig() {
  const [config, setConfig] = useState(/** @type {PublicConfig | null} */ (null));
  const [error, setError] = useState(/** @type {import('./api.js').ApiError | null} */ (null));
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    api('config', { signal: controller.signal })
      .then((c) => setConfig(c))
      .catch((err) => {
        if (!controller.signal.aborted) setError(err);
      });
    return () => controller.abort();
  }, [attempt]);

  return { config, error, retry: useCallback(() => setAttempt((n) => n + 1), []) };
}
