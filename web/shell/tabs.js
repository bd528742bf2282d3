// @ts-check
/**
 * An ARIA tablist (automatic activation): one tab in the Tab order, arrows/Home/End move and
 * select. Selecting a tab changes the URL hash, so tabs have links, history and a back button.
 */
import { useEffect, useRef } from 'preact/hooks';
import { html } from '../lib/html.js';

/** @typedef {{ id: string, label: string }} TabDef */

/**
 * @param {{ tabs: TabDef[], selected: string, onSelect: (id: string) => void, children: any }} props
 * children: the selected tab's content
 */
export function Tabs({ tabs, selected, onSelect, children }) {
  const listRef = useRef(/** @type {HTMLDivElement | null} */ (null));

  // On a phone the tabs scroll sideways: bring the selected one into view, without scrolling the page.
  useEffect(() => {
    const list = listRef.current;
    const tab = list?.querySelector('[aria-selected="true"]');
    if (!list || !tab) return;
    const outer = list.getBoundingClientRect();
    const inner = tab.getBoundingClientRect();
    if (inner.left < outer.left) list.scrollLeft -= outer.left - inner.left;
    else if (inner.right > outer.right) list.scrollLeft += inner.right - outer.right;
  }, [selected]);

  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    const at = tabs.findIndex((t) => t.id === selected);
    const last = tabs.length - 1;
    const to = { ArrowRight: at === last ? 0 : at + 1, ArrowLeft: at === 0 ? last : at - 1, Home: 0, End: last }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = tabs[to];
    if (!next) return;
    onSelect(next.id);
    /** @type {HTMLElement | null | undefined} */ (listRef.current?.querySelector(`#tab-${next.id}`))?.focus();
  };

  return html`
    <div class="tablist" role="tablist" aria-label="Sections" ref=${listRef} onKeyDown=${onKeyDown}>
      ${tabs.map(
        (t) => html`<button
          type="button"
          role="tab"
          id=${`tab-${t.id}`}
          aria-selected=${t.id === selected ? 'true' : 'false'}
          aria-controls=${`panel-${t.id}`}
          tabindex=${t.id === selected ? 0 : -1}
          onClick=${() => onSelect(t.id)}
        >${t.label}</button>`,
      )}
    </div>
    ${tabs.map(
      (t) => html`<section
        class="tabpanel"
        role="tabpanel"
        id=${`panel-${t.id}`}
        aria-labelledby=${`tab-${t.id}`}
        tabindex="0"
        hidden=${t.id !== selected}
      >${t.id === selected ? children : null}</section>`,
    )}
  `;
}
