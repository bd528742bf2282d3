// @ts-check
/** Small line icons drawn inline (no icon font, nothing from a CDN); all decorative (aria-hidden). */
import { html } from './html.js';

/** @param {{ d: string | string[], size?: number }} props */
function Icon({ d, size = 18 }) {
  return html`<svg class="icon" width=${size} height=${size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    ${(Array.isArray(d) ? d : [d]).map((p) => html`<path d=${p} />`)}
  </svg>`;
}

/** The Labcoat mark: an Erlenmeyer flask, a line of liquid in it. */
export function Logo() {
  return html`<svg class="logo" width="28" height="28" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
    <rect width="32" height="32" rx="7" class="logo-bg" />
    <path d="M12.5 6h7M14 6v7.2L8.4 23.4A2 2 0 0 0 10.2 26.4h11.6a2 2 0 0 0 1.8-3L18 13.2V6" class="logo-glass" />
    <path d="M11 21h10" class="logo-liquid" />
  </svg>`;
}

export const Sun = () =>
  html`<${Icon} d=${['M12 8a4 4 0 1 0 0 8a4 4 0 0 0 0-8z', 'M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4']} />`;
export const Moon = () => html`<${Icon} d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z" />`;
export const Auto = () => html`<${Icon} d=${['M12 3a9 9 0 1 0 0 18a9 9 0 0 0 0-18z', 'M12 3v18', 'M12 3a9 9 0 0 1 0 18z']} />`;
export const Gear = () =>
  html`<${Icon} d=${['M12 9a3 3 0 1 0 0 6a3 3 0 0 0 0-6z', 'M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z']} />`;
export const Key = () => html`<${Icon} d=${['M15.5 7.5a3.5 3.5 0 1 1-7 0a3.5 3.5 0 0 1 7 0z', 'M12 11v10M12 15h3M12 18h2']} />`;
export const Info = () => html`<${Icon} d=${['M12 3a9 9 0 1 0 0 18a9 9 0 0 0 0-18z', 'M12 11v5M12 8h.01']} />`;
export const Close = () => html`<${Icon} d="M6 6l12 12M18 6L6 18" />`;
export const External = () => html`<${Icon} size=${14} d=${['M14 4h6v6', 'M20 4l-9 9', 'M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5']} />`;
