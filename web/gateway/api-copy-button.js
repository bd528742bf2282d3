// @ts-check
/**
 * A Copy button that says "Copied" in a live region. Where the clipboard is refused (a Space's
 * iframe without the permission, plain http), it selects the text instead and says to press Ctrl+C.
 */
import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';

/** @param {HTMLElement} el leaves its text selected, ready for Ctrl+C */
function selectText(el) {
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) return el.select();
  const range = document.createRange();
  range.selectNodeContents(el);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}

/**
 * @param {{ text: string, targetId: string, label: string, tone?: 'primary' }} props
 * targetId: the element that shows the text (selected when copying is refused); label: the button's accessible name
 */
export function CopyButton({ text, targetId, label, tone }) {
  const [said, setSaid] = useState('');
  // "Copied" fades after a moment, so copying again says it again.
  useEffect(() => {
    if (said !== 'Copied') return undefined;
    const timer = setTimeout(() => setSaid(''), 4000);
    return () => clearTimeout(timer);
  }, [said]);

  const copy = async () => {
    setSaid('');
    try {
      await navigator.clipboard.writeText(text);
      setSaid('Copied');
    } catch {
      const el = document.getElementById(targetId);
      if (el) selectText(el);
      setSaid('Copying is blocked here: the text is selected, press Ctrl+C (⌘C on a Mac).');
    }
  };

  return html`<button type="button" class="button" data-tone=${tone} onClick=${copy} aria-label=${label} aria-describedby=${`${targetId}-copied`}>Copy</button>
    <span id=${`${targetId}-copied`} class="status-line" role="status" aria-live="polite">${said}</span>`;
}
