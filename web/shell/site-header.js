// @ts-check
/** The top bar: name and mark, who pays (and whether the model is simulated), usage at a glance, live status, theme, settings. */
import { html } from '../lib/html.js';
import { Gear, Logo } from '../lib/icons.js';
import { LiveIndicator } from './live-indicator.js';
import { ModeBadge } from './mode-badge.js';
import { ThemeToggle } from './theme-toggle.js';
import { UsageMeter } from './usage-meter.js';

/**
 * @param {{
 *   mode: import('../lib/mode.js').EffectiveMode | null,
 *   simulated: boolean,
 *   usage: import('../lib/use-usage.js').Usage | null,
 *   live: import('../lib/live.js').LiveState,
 *   onReconnect: () => void,
 *   theme: ReturnType<typeof import('./theme.js').useTheme>,
 *   onOpenSettings: (e: Event) => void,
 * }} props
 */
export function SiteHeader({ mode, simulated, usage, live, onReconnect, theme, onOpenSettings }) {
  return html`<header class="site-header">
    <div class="brand">
      <${Logo} />
      <h1 class="brand-name">Labcoat</h1>
      <${ModeBadge} mode=${mode} />
      ${simulated && html`<span class="sim-badge" data-testid="simulated-badge" title="npm run demo: a local stand-in answers, not a real model. Its answers are placeholders.">Simulated model</span>`}
    </div>
    <${UsageMeter} usage=${usage} />
    <div class="header-tools">
      <${LiveIndicator} state=${live} onRetry=${onReconnect} />
      <${ThemeToggle} choice=${theme.choice} theme=${theme.theme} onCycle=${theme.cycle} />
      <button type="button" class="icon-button settings-button" onClick=${onOpenSettings} aria-haspopup="dialog" aria-label="Settings">
        <${Gear} /><span class="button-text">Settings</span>
      </button>
    </div>
  </header>`;
}
