// @ts-check
/**
 * The visitor's own suite: a .json or .csv file read here in the browser, checked by the server
 * (POST batch/suites/parse) without running it. It shows what it found, or every row at fault.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { count } from '../lib/format.js';
import { baseName } from './format.js';
import { postJson } from '../lib/chat-stream.js';

/** @typedef {import('../../shared/batch-types.js').SuiteUpload} SuiteUpload */
/** @typedef {import('../../shared/batch-types.js').ParsedSuite} ParsedSuite */
/** @typedef {{ row: number, field: string, message: string }} RowError */
/** @typedef {{ message: string, rows: RowError[], total: number }} UploadProblem */

const DEADLINE_MS = 20_000;

/** @param {Record<string, number>} checks */
const checksText = (checks) => {
  const parts = Object.entries(checks).map(([type, n]) => `${n} ${type}`);
  return parts.length > 0 ? `checks: ${parts.join(', ')}` : 'no checks';
};

/** @param {{ problem: UploadProblem }} props */
function Problems({ problem }) {
  return html`<div class="callout" data-tone="warn" role="alert" data-testid="upload-error">
    <p>${problem.message}</p>
    ${
      problem.rows.length > 0 &&
      html`<ul class="batch-row-errors" data-testid="upload-rows" data-count=${problem.total}>
      ${problem.rows.map((r) => html`<li key=${`${r.row}/${r.field}`}><strong>Row ${r.row}</strong>, <code>${r.field}</code>: ${r.message}</li>`)}
    </ul>`
    }
    ${problem.total > problem.rows.length && html`<p>…and ${problem.total - problem.rows.length} more.</p>`}
  </div>`;
}

/**
 * @param {{
 *   suite: { upload: SuiteUpload, parsed: ParsedSuite } | null,
 *   onSuite: (suite: { upload: SuiteUpload, parsed: ParsedSuite } | null) => void,
 * }} props suite: the checked upload the next run includes
 */
export function BatchUpload({ suite, onSuite }) {
  const inputRef = useRef(/** @type {HTMLInputElement | null} */ (null));
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState(/** @type {UploadProblem | null} */ (null));
  // Opened by a button: the file picker is next, so the keyboard goes there.
  useEffect(() => inputRef.current?.focus(), []);

  /** @param {Event} e */
  const onFile = async (e) => {
    const file = /** @type {HTMLInputElement} */ (e.currentTarget).files?.[0];
    onSuite(null);
    setProblem(null);
    if (!file) return;
    setChecking(true);
    try {
      const text = await file.text();
      const format = /\.csv$/i.test(file.name) || (!/\.json$/i.test(file.name) && !/^\s*[[{]/.test(text)) ? 'csv' : 'json';
      // A CSV has no name of its own: the file's gives it one. A JSON suite may carry its name.
      /** @type {SuiteUpload} */
      const upload = format === 'csv' ? { format, text, name: baseName(file.name) } : { format, text };
      const res = await postJson('batch/suites/parse', upload, { signal: AbortSignal.timeout(DEADLINE_MS) });
      onSuite({ upload, parsed: await res.json() });
    } catch (err) {
      const e2 = /** @type {import('../lib/chat-stream.js').DetailedError} */ (err);
      const rows = Array.isArray(e2.details?.rows) ? e2.details.rows : [];
      const message = e2.name === 'TimeoutError' ? 'The server took too long to check the file. Try again in a moment.' : e2.message;
      setProblem({ message, rows, total: typeof e2.details?.error_count === 'number' ? e2.details.error_count : rows.length });
    } finally {
      setChecking(false);
    }
  };
  const clear = () => {
    onSuite(null);
    setProblem(null);
    if (inputRef.current) inputRef.current.value = '';
  };

  return html`<fieldset class="batch-upload" data-testid="batch-upload">
    <legend>Your own suite <span class="heading-note">optional</span></legend>
    <div class="batch-upload-row">
      <label for="batch-file" class="sr-only">Suite file, .json or .csv</label>
      <input id="batch-file" type="file" accept=".json,.csv,application/json,text/csv" ref=${inputRef} onChange=${onFile} aria-describedby="batch-file-note" />
      ${(suite || problem) && html`<button type="button" class="button" onClick=${clear}>Remove</button>`}
    </div>
    <p id="batch-file-note" class="field-note">
      CSV with a header row: <code>prompt</code> (required), <code>id</code>, <code>category</code>, <code>system</code>, <code>max_tokens</code>,
      <code>check_type</code> (contains, contains_all, regex, json or judge) and <code>check_value</code>. Or JSON: a list of prompts, or <code>{"name", "prompts": [...]}</code>. Up to 1 MB.
    </p>
    ${checking && html`<p class="muted" aria-busy="true">Checking the file…</p>`}
    ${
      suite &&
      html`<p class="callout" role="status" data-testid="upload-ok" data-prompts=${suite.parsed.prompt_count}>
      <strong>${suite.parsed.name}</strong>: ${count(suite.parsed.prompt_count, 'prompt')}, ${checksText(suite.parsed.checks)}. It runs after the suites picked above.
    </p>`
    }
    ${problem && html`<${Problems} problem=${problem} />`}
  </fieldset>`;
}
