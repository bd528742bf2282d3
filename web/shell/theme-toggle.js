// @ts-check
/** One button that cycles the theme: system, then each explicit theme, then back to system. */
import { html } from '../lib/html.js';
import { Auto, Moon, Sun } from '../lib/icons.js';

/** @param {{ choice: import('./theme.js').ThemeChoice, theme: import('./theme.js').Theme, onCycle: () => void }} props */
export function ThemeToggle({ choice, theme, onCycle }) {
  const Glyph = choice === 'system' ? Auto : choice === 'dark' ? Moon : Sun;
  const label = choice === 'system' ? `Theme: follows your system (${theme} now)` : `Theme: ${choice}`;
  return html`<button type="button" class="icon-button" onClick=${onCycle} aria-label=${`${label}. Change theme`} title=${label} data-choice=${choice}>
    <${Glyph} />
  </button>`;
}
