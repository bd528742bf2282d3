// @ts-check
/** Numbered code snippets for one part of the API, in the language picked above them, each with Copy. */
import { html } from '../lib/html.js';
import { LANGS } from './snippets.js';
import { CopyButton } from './api-copy-button.js';

/** @typedef {import('./snippets.js').Lang} Lang */

/**
 * @param {{ id: string, what: string, snippets: import('./snippets.js').SnippetSet, lang: Lang, onLang: (lang: Lang) => void }} props
 * what: the part of the API, for the buttons' names; the language choice is shared by every part
 */
export function ApiSnippets({ id, what, snippets, lang, onLang }) {
  const langName = LANGS.find(([l]) => l === lang)?.[1] ?? lang;
  return html`<div class="api-snippets" data-testid=${`snippets-${id}`}>
    <div class="batch-switch" role="group" aria-label=${`Language of the ${what} examples`}>
      ${LANGS.map(
        ([l, name]) =>
          html`<button key=${l} type="button" class="button" aria-pressed=${l === lang ? 'true' : 'false'} onClick=${() => onLang(l)}>${name}</button>`,
      )}
    </div>
    <ol class="run-list">
      ${snippets[lang].map((s, i) => {
        const codeId = `snippet-${id}-${lang}-${i}`;
        return html`<li key=${codeId}>
          <div class="api-step-head">
            <h4 id=${`${codeId}-title`}>${s.title}</h4>
            <${CopyButton} text=${s.code} targetId=${codeId} label=${`Copy ${langName}: ${s.title}`} />
          </div>
          <pre class="api-code" tabindex="0" aria-labelledby=${`${codeId}-title`}><code id=${codeId} data-snippet=${`${id}-${lang}-${i}`}>${s.code}</code></pre>
        </li>`;
      })}
    </ol>
  </div>`;
}
