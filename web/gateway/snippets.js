// @ts-check
/**
 * Code to call this Space from outside the page ("Use via API"): curl, JavaScript and Python, with
 * this Space's address filled in. Plain strings, built here once so every language says the same.
 */

/** @typedef {'curl' | 'js' | 'python'} Lang */
/** @typedef {{ title: string, code: string }} Snippet */
/** @typedef {Record<Lang, Snippet[]>} SnippetSet */

/** @type {Array<[Lang, string]>} */
export const LANGS = [
  ['curl', 'curl'],
  ['js', 'JavaScript'],
  ['python', 'Python'],
];

export const KEY_PLACEHOLDER = 'lc_…';
const PROMPT = 'Say hello in five words.';
const GOAL = 'Find low-cost ways to cut hospital readmissions for heart failure patients.';
const SUITES = ['code-easy', 'factual-easy'];
const ENDPOINT = { base_url: 'https://api.openai.com/v1', api_key: 'sk-…', model: 'gpt-4o-mini' };

/**
 * Where this page is served, without the trailing slash: the Space's own address (on a Space the
 * page runs at https://<owner>-<name>.hf.space), or a path prefix behind a proxy.
 * @param {string} href the page's address
 */
export function baseUrl(href) {
  const url = new URL('.', href);
  return `${url.origin}${url.pathname.replace(/\/$/, '')}`;
}

/** A JSON value on one line, spaced as people write it: [{"role": "user"}]. */
const oneLine = (/** @type {unknown} */ v) =>
  JSON.stringify(v, null, 1)
    .replace(/\n\s*/g, ' ')
    .replace(/([[{]) /g, '$1')
    .replace(/ ([\]}])/g, '$1');

/**
 * An object with a field per line (values on one line), as JSON, JavaScript or Python writes it.
 * No value here holds a quote, so swapping quote marks is safe.
 * @param {Record<string, unknown>} obj
 * @param {'json' | 'js' | 'python'} flavour
 */
function literal(obj, flavour) {
  const pad = flavour === 'python' ? '    ' : '  ';
  const text = `{\n${Object.entries(obj)
    .map(([k, v]) => `${pad}"${k}": ${oneLine(v)}`)
    .join(',\n')}\n}`;
  if (flavour === 'js') return text.replace(/"(\w+)":/g, '$1:').replace(/"/g, "'");
  if (flavour === 'python')
    return text
      .replace(/\btrue\b/g, 'True')
      .replace(/\bfalse\b/g, 'False')
      .replace(/\bnull\b/g, 'None');
  return text;
}

/**
 * @param {string} url
 * @param {{ headers?: string[], body?: Record<string, unknown>, flags?: string, comment?: string }} [opts]
 */
function curl(url, { headers = [], body, flags = '', comment } = {}) {
  const lines = [`curl ${flags}"${url}"`, ...headers.map((h) => `  -H "${h}"`)];
  // Single quotes keep the shell off the JSON; no value here holds one.
  if (body !== undefined) lines.push(`  -H "Content-Type: application/json"`, `  -d '${literal(body, 'json')}'`);
  return `${comment ? `# ${comment}\n` : ''}${lines.join(' \\\n')}`;
}

/**
 * The OpenAI-compatible gateway, for keys the owner issues: the official openai packages work as they are.
 * @param {string} base
 * @param {string} model
 * @returns {SnippetSet}
 */
export function gatewaySnippets(base, model) {
  const v1 = `${base}/v1`;
  const auth = `Authorization: Bearer ${KEY_PLACEHOLDER}`;
  const chat = { model, messages: [{ role: 'user', content: PROMPT }], max_tokens: 100 };
  const streamed = { ...chat, stream: true, stream_options: { include_usage: true } };
  return {
    curl: [
      { title: 'List the models your key may use', code: curl(`${v1}/models`, { headers: [auth] }) },
      { title: 'A chat completion', code: curl(`${v1}/chat/completions`, { headers: [auth], body: chat }) },
      { title: 'Streamed, with the usage in the last chunk', code: curl(`${v1}/chat/completions`, { headers: [auth], body: streamed, flags: '-N ' }) },
      { title: "Your key's usage today and this month", code: curl(`${v1}/usage`, { headers: [auth] }) },
    ],
    js: [
      {
        title: 'Set up the official client',
        // Kept off the start of a source line: bench/page-size.ts reads such lines as this module's imports.
        code: `// npm install openai\n${"import OpenAI from 'openai';"}

const client = new OpenAI({
  baseURL: '${v1}',
  apiKey: '${KEY_PLACEHOLDER}', // a key from this Space's owner
});`,
      },
      { title: 'List the models your key may use', code: `const models = await client.models.list();\nconsole.log(models.data.map((m) => m.id));` },
      {
        title: 'A chat completion',
        code: `const completion = await client.chat.completions.create({
  model: '${model}',
  messages: [{ role: 'user', content: '${PROMPT}' }],
  max_tokens: 100,
});
console.log(completion.choices[0].message.content);`,
      },
      {
        title: 'Streamed, with the usage in the last chunk',
        code: `const stream = await client.chat.completions.create({
  model: '${model}',
  messages: [{ role: 'user', content: '${PROMPT}' }],
  max_tokens: 100,
  stream: true,
  stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  process.stdout.write(chunk.choices[0]?.delta?.content ?? '');
  if (chunk.usage) console.log('\\n', chunk.usage);
}`,
      },
      {
        title: "Your key's usage today and this month",
        code: `// Labcoat's own route, not part of OpenAI's API: plain fetch
const usage = await fetch('${v1}/usage', { headers: { Authorization: \`Bearer \${client.apiKey}\` } });
console.log(await usage.json());`,
      },
    ],
    python: [
      {
        title: 'Set up the official client',
        code: `# pip install openai
from openai import OpenAI

client = OpenAI(
    base_url="${v1}",
    api_key="${KEY_PLACEHOLDER}",  # a key from this Space's owner
)`,
      },
      { title: 'List the models your key may use', code: `models = client.models.list()\nprint([m.id for m in models.data])` },
      {
        title: 'A chat completion',
        code: `completion = client.chat.completions.create(
    model="${model}",
    messages=[{"role": "user", "content": "${PROMPT}"}],
    max_tokens=100,
)
print(completion.choices[0].message.content)`,
      },
      {
        title: 'Streamed, with the usage in the last chunk',
        code: `stream = client.chat.completions.create(
    model="${model}",
    messages=[{"role": "user", "content": "${PROMPT}"}],
    max_tokens=100,
    stream=True,
    stream_options={"include_usage": True},
)
for chunk in stream:
    if chunk.choices:
        print(chunk.choices[0].delta.content or "", end="", flush=True)
    if chunk.usage:
        print("\\n", chunk.usage)`,
      },
      {
        title: "Your key's usage today and this month",
        code: `# Labcoat's own route, not part of OpenAI's API (httpx comes with openai)
import httpx

print(httpx.get("${v1}/usage", headers={"Authorization": f"Bearer {client.api_key}"}).json())`,
      },
    ],
  };
}

/** The JavaScript setup both /api sections share: one fetch helper that keeps the session. */
const jsHelper = (/** @type {string} */ base) => `const BASE = '${base}';
let session = null; // the X-Session-ID the server sends; sent back, it keeps one session

async function api(path, body) {
  const res = await fetch(\`\${BASE}/api/\${path}\`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json', ...(session ? { 'X-Session-ID': session } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  session = res.headers.get('X-Session-ID') ?? session;
  if (!res.ok) throw new Error(\`\${res.status} \${await res.text()}\`);
  return res.headers.get('Content-Type')?.includes('json') ? res.json() : res.text();
}`;

/**
 * The first call in Python: it keeps the session id for every later call.
 * @param {string} base @param {string} path @param {Record<string, unknown>} body @param {string} name
 */
const pyFirst = (base, path, body, name) => `# pip install requests
import time
import requests

BASE = "${base}"
api = requests.Session()

r = api.post(f"{BASE}/api/${path}", json=${literal(body, 'python')})
r.raise_for_status()
api.headers["X-Session-ID"] = r.headers["X-Session-ID"]  # sent back on every later call
${name} = r.json()`;

/** curl's follow-up calls carry the session id that the first answer's headers showed. */
const SESSION = 'X-Session-ID: SESSION_ID';
const HEADERS = '-D - prints the headers (X-Session-ID among them)';

/**
 * Research runs: start one, then poll it until its cycle is done.
 * @param {string} base
 * @param {string} model
 * @returns {SnippetSet}
 */
export function researchSnippets(base, model) {
  const body = { goal: GOAL, model, hypotheses: 3, cycles: 1 };
  const start = 'Start a run';
  const poll = 'Poll it until the cycle is done';
  return {
    curl: [
      { title: start, code: curl(`${base}/api/research/runs`, { body, flags: '-sS -D - ', comment: `${HEADERS} and the run's id last` }) },
      { title: poll, code: curl(`${base}/api/research/runs/RUN_ID`, { headers: [SESSION], flags: '-sS ' }) },
    ],
    js: [
      { title: 'A small helper', code: jsHelper(base) },
      { title: start, code: `const run = await api('research/runs', ${literal(body, 'js')});` },
      {
        title: poll,
        code: `let view;
do {
  await new Promise((done) => setTimeout(done, 5000));
  view = await api(\`research/runs/\${run.id}\`);
  console.log(view.state, view.hypotheses.length, 'hypotheses');
} while (view.state === 'queued' || view.state === 'running');
console.log(view.leaderboard);`,
      },
    ],
    python: [
      { title: start, code: pyFirst(base, 'research/runs', body, 'run') },
      {
        title: poll,
        code: `while True:
    view = api.get(f"{BASE}/api/research/runs/{run['id']}").json()
    print(view["state"], len(view["hypotheses"]), "hypotheses")
    if view["state"] not in ("queued", "running"):
        break
    time.sleep(5)
print(view["leaderboard"])`,
      },
    ],
  };
}

/**
 * Batch tests of your own endpoint: save it, run suites on it, read the results, export them.
 * @param {string} base
 * @returns {SnippetSet}
 */
export function batchSnippets(base) {
  const run = { session_ids: ['ENDPOINT_ID'], suites: SUITES };
  const save = 'Save your endpoint (tested first, then kept with its key sealed)';
  const start = 'Start a run on it';
  const read = 'Read the results';
  const exportCsv = 'Export them as CSV';
  return {
    curl: [
      { title: save, code: curl(`${base}/api/batch/sessions`, { body: ENDPOINT, flags: '-sS -D - ', comment: `${HEADERS} and the endpoint's id last` }) },
      { title: start, code: curl(`${base}/api/batch/runs`, { headers: [SESSION], body: run, flags: '-sS ' }) },
      { title: read, code: curl(`${base}/api/batch/runs/RUN_ID`, { headers: [SESSION], flags: '-sS ' }) },
      { title: exportCsv, code: curl(`${base}/api/batch/runs/RUN_ID/export?format=csv`, { headers: [SESSION], flags: '-sS -o batch-results.csv ' }) },
    ],
    js: [
      { title: 'A small helper', code: jsHelper(base) },
      { title: save, code: `const endpoint = await api('batch/sessions', ${literal(ENDPOINT, 'js')});` },
      { title: start, code: `const run = await api('batch/runs', { session_ids: [endpoint.id], suites: ${oneLine(SUITES).replace(/"/g, "'")} });` },
      {
        title: read,
        code: `let view;
do {
  await new Promise((done) => setTimeout(done, 3000));
  view = await api(\`batch/runs/\${run.id}\`);
  console.log(\`\${view.done}/\${view.total} done, \${view.failed} failed\`);
} while (view.state === 'queued' || view.state === 'running');
console.log(view.metrics[0].overall);`,
      },
      { title: exportCsv, code: `const csv = await api(\`batch/runs/\${run.id}/export?format=csv\`);\nconsole.log(csv);` },
    ],
    python: [
      { title: save, code: pyFirst(base, 'batch/sessions', ENDPOINT, 'endpoint') },
      { title: start, code: `run = api.post(f"{BASE}/api/batch/runs", json={"session_ids": [endpoint["id"]], "suites": ${oneLine(SUITES)}}).json()` },
      {
        title: read,
        code: `while True:
    view = api.get(f"{BASE}/api/batch/runs/{run['id']}").json()
    print(f"{view['done']}/{view['total']} done, {view['failed']} failed")
    if view["state"] not in ("queued", "running"):
        break
    time.sleep(3)
print(view["metrics"][0]["overall"])`,
      },
      {
        title: exportCsv,
        code: `csv = api.get(f"{BASE}/api/batch/runs/{run['id']}/export", params={"format": "csv"})
with open("batch-results.csv", "wb") as f:
    f.write(csv.content)`,
      },
    ],
  };
}
