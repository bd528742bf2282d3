/**
 * A local OpenAI-compatible model for `npm run demo`: it answers each research step with
 * well-formed placeholder content built from the goal's own words, so a newcomer can watch a
 * whole run offline and without a key. It is labelled "simulated" everywhere it shows. With
 * literature excerpts in a prompt (the demo's simulated literature source) it cites some of the
 * numbers given, quotes a sentence of their abstracts word for word, and names one invented
 * reference per review and overview, so both verified and not-found checks show.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const SIMULATED_MODEL = 'labcoat/simulated-model';

const STOP = new Set(
  'the a an and or of to in on for with why how what does do is are be can could would should that this these those from by at as into about after before than then there their its it we you they our some'.split(
    ' ',
  ),
);
const ANGLES = [
  'a metabolic pathway',
  'a timing effect',
  'a population difference',
  'a dose response',
  'an environmental trigger',
  'a feedback loop',
  'a measurement artefact',
  'a genetic factor',
];
const STRATEGY_WORDS = ['combined', 'simplified', 'evidence-grounded', 'reframed'];

interface Msg {
  role: string;
  content: string;
}

/** The goal's content words, to make placeholder text read as related to it. */
function keywords(text: string): string[] {
  const goal = text.match(/Research goal:\n"""\n([\s\S]*?)\n"""/)?.[1] ?? text;
  const words = (goal.toLowerCase().match(/[\p{L}\p{N}]{4,}/gu) ?? []).filter((w) => !STOP.has(w));
  return [...new Set(words)].slice(0, 8).concat(['the outcome', 'the effect']);
}

/** A numbered excerpt a prompt gave: its number, its head line (title, authors…), its abstract. */
interface Excerpt {
  n: number;
  head: string;
  abstract: string | null;
}

/**
 * The numbered excerpts under a heading: "[n] head" lines, each with its "Abstract: …" line, up
 * to the first line that is neither (the next part of the prompt). [] when the heading is absent.
 */
export function excerptsUnder(text: string, heading: RegExp): Excerpt[] {
  const at = text.search(heading);
  if (at < 0) return [];
  const found: Excerpt[] = [];
  for (const line of text.slice(at).split('\n').slice(1)) {
    const head = /^\[(\d{1,4})\] (.*)$/.exec(line);
    const abstract = /^Abstract: (.*)$/.exec(line);
    if (head) found.push({ n: Number(head[1]), head: head[2]!, abstract: null });
    else if (abstract && found.length > 0) found.at(-1)!.abstract = abstract[1] === '(none)' ? null : abstract[1]!;
    else if (line.trim() !== '') break;
  }
  return found;
}

const EXCERPTS = /^Literature excerpts \(cite them by number\):/m;
const PRIOR_WORK = /^Closest prior work found by literature search/m;
const CITED = /^Papers the hypotheses cite:/m;

/** The first sentence of an abstract, copied exactly (or its first 300 characters when it has no full stop). */
function firstSentence(abstract: string): string {
  const sentence = /^.+?[.!?](?=\s|$)/.exec(abstract)?.[0] ?? abstract;
  return sentence.length <= 300 ? sentence : sentence.slice(0, 300).replace(/\s+\S*$/, '');
}

/** The excerpts that share most words with the goal first (ties keep the prompt's order). */
function byRelevance(excerpts: Excerpt[], words: string[]): Excerpt[] {
  const stems = new Set(words.filter((w) => !w.startsWith('the ')).map((w) => w.slice(0, 5)));
  const score = (e: Excerpt) => {
    const text = new Set((`${e.head} ${e.abstract ?? ''}`.toLowerCase().match(/[\p{L}\p{N}]{4,}/gu) ?? []).map((w) => w.slice(0, 5)));
    return [...stems].filter((w) => text.has(w)).length;
  };
  return excerpts
    .map((e, at) => ({ e, at, score: score(e) }))
    .sort((x, y) => y.score - x.score || x.at - y.at)
    .map((x) => x.e);
}

function hypothesis(words: string[], i: number, given: Excerpt[] = []) {
  const a = words[i % words.length]!;
  const b = words[(i + 3) % words.length]!;
  const c = words[(i + 1) % words.length]!;
  const angle = ANGLES[i % ANGLES.length]!;
  // Cite one or two of the most relevant numbers given (never another), and quote the first one's abstract word for word.
  const top = byRelevance(given, words).slice(0, 3);
  const cited = [...new Set([top[i % Math.max(1, top.length)], top[(i + 1) % Math.max(1, top.length)]])].filter((e): e is Excerpt => e !== undefined);
  const quoted = cited.find((e) => e.abstract !== null);
  return {
    title: `${a[0]!.toUpperCase()}${a.slice(1)} acts on ${b} through ${angle} (#${i + 1})`,
    statement: `Simulated: variation in ${a} changes ${b} via ${angle}, and the effect is larger when ${c} is high.`,
    rationale: `Simulated: ${angle} is a common route by which ${a} could influence ${b}${cited.length > 0 ? `, as excerpt [${cited[0]!.n}] suggests` : ''}.`,
    test: `Simulated: compare ${b} across groups with low and high ${a}, controlling for ${words[(i + 2) % words.length]}.`,
    assumptions: [`Simulated: ${a} can be measured reliably.`, `Simulated: ${angle} is active in the groups compared.`],
    predictions: [`Simulated: ${b} differs between groups with low and high ${a}.`, `Simulated: the difference grows with ${c}.`],
    falsification: `Simulated: no difference in ${b} between groups with low and high ${a}, in a study large enough to see one.`,
    citations: cited.map((e) => e.n),
    evidence: quoted ? [{ n: quoted.n, quote: firstSentence(quoted.abstract!) }] : [],
  };
}

/** A reference with a DOI under the simulated prefix that no record has: the check marks it not found. */
const invented = (counter: number, words: string[]) => ({
  citation: `Invented by the simulated model to show a failed check: "A cohort study of ${words[0]} and ${words[1]} that does not exist", doi:10.5555/labcoat-sim.invented-${counter}`,
  relevance: 'Simulated: an invented reference, which the reference check should mark not found.',
});

/** "[n] title" for an excerpt, short enough for a reference. */
const numbered = (e: Excerpt) => `[${e.n}] ${e.head.split('. ')[0]!.slice(0, 200)}`;

/** Search queries of three of the goal's words each, shifted each call (later cycles search something new). */
function queries(words: string[], count: number, counter: number): string[] {
  const real = words.filter((w) => !w.startsWith('the '));
  const pool = real.length > 0 ? real : ['research', 'methods'];
  const made = Array.from({ length: count }, (_, i) => {
    const k = counter + i;
    return [...new Set([pool[k % pool.length]!, pool[(k + 1) % pool.length]!, pool[(k + 2) % pool.length]!])].join(' ');
  });
  // A goal of few words gives the same query twice: the later ones ask for methods instead.
  return made.map((q, i) => (made.indexOf(q) === i ? q : `${q} ${['methods', 'mechanism', 'measurement', 'review', 'trial', 'cohort'][i % 6]}`));
}

/**
 * The answer to one chat request, recognising the research step by its instructions. `next`
 * numbers the answers of one simulated model (varied titles, scores and verdicts).
 */
export function simulatedAnswer(messages: Msg[], next: () => number): string {
  const counter = next();
  const system = messages[0]?.content ?? '';
  const user = messages.at(-1)?.content ?? '';
  const words = keywords(messages.map((m) => m.content).join('\n'));
  if (/screen research goals/.test(system)) {
    const plan = /research plan/.test(user)
      ? {
          plan: {
            objective: `Simulated plan: explain how ${words[0]} relates to ${words[1]} with testable mechanisms.`,
            preferences: ['Simulated: mechanisms over correlations'],
            constraints: ['Simulated: studies a small lab could run'],
            attributes: ['Simulated: a measurable outcome', 'Simulated: a named mechanism'],
            domain: 'Simulated domain',
          },
        }
      : {};
    return JSON.stringify({ allowed: true, reason: 'Simulated screening: the goal reads as a research question.', ...plan });
  }
  if (/plan literature searches/.test(system)) {
    const n = Number(user.match(/Write exactly (\d+) search queries/)?.[1] ?? 3);
    return JSON.stringify({ queries: queries(words, n, counter) });
  }
  if (/proposing research hypotheses/.test(system)) {
    const n = Number(user.match(/Propose exactly (\d+)/)?.[1] ?? 3);
    const excerpts = excerptsUnder(user, EXCERPTS);
    return JSON.stringify({ hypotheses: Array.from({ length: n }, () => hypothesis(words, next(), excerpts)) });
  }
  if (/verify a leading research hypothesis/.test(system)) {
    const given = [...user.matchAll(/^\[(\d+)\] /gm)].map((m) => Number(m[1]));
    return JSON.stringify({
      assumptions: [
        {
          assumption: `Simulated: ${words[0]} can be measured reliably.`,
          reason: 'Simulated: standard instruments exist.',
          verdict: 'supported',
          evidence: given.slice(0, 1),
        },
        {
          assumption: `Simulated: the effect on ${words[1]} is causal.`,
          reason: 'Simulated: only observational data so far.',
          verdict: 'uncertain',
          evidence: [],
        },
        {
          assumption: 'Simulated: the effect is large enough to detect.',
          reason: 'Simulated: one small study found no effect.',
          verdict: 'invalidating',
          evidence: [],
        },
      ],
      sink: `Simulated: a well-powered trial finding no change in ${words[1]}.`,
    });
  }
  if (/peer reviewer/.test(system)) {
    const s = (k: number) => 2 + ((counter + k) % 4);
    const prior = excerptsUnder(user, PRIOR_WORK);
    // With prior work given: one of it as "[n]" (verified) and one invented reference (not found).
    const references =
      prior.length > 0
        ? [{ citation: numbered(prior[0]!), relevance: 'Simulated: the closest prior work found.' }, invented(counter, words)]
        : [{ citation: 'Simulated reference (not a real paper)', relevance: 'placeholder' }];
    return JSON.stringify({
      novelty: { score: s(0), reason: 'Simulated review: the angle is not the most common one.' },
      feasibility: { score: s(1), reason: 'Simulated review: needs data that exist in some cohorts.' },
      testability: { score: s(2), reason: 'Simulated review: the outcome can be measured directly.' },
      plausibility: { score: s(3), reason: 'Simulated review: the mechanism is consistent with what is known.' },
      safety: { flag: false, note: '' },
      references,
      summary: 'Simulated: a clear mechanism; the test needs careful controls.',
    });
  }
  if (/judge a (match|scientific debate)/.test(system))
    return JSON.stringify({ winner: counter % 3 === 2 ? 'B' : 'A', reason: 'Simulated verdict: it names a more specific mechanism and a cheaper test.' });
  if (/advocate/.test(system)) return `Simulated argument: my hypothesis explains more of what is known about ${words[0]} and can be tested sooner.`;
  if (/improve research hypotheses/.test(system))
    return JSON.stringify({
      hypothesis: hypothesis(words, next(), excerptsUnder(user, EXCERPTS)),
      change: `Simulated: ${STRATEGY_WORDS[counter % 4]} the parent and answered the reviewers.`,
    });
  if (/meta-review/.test(system))
    return JSON.stringify({
      strengths: ['Simulated: specific mechanisms'],
      weaknesses: ['Simulated: tests need better controls'],
      advice: `Simulated advice: focus on ${words[0]} and ${words[1]}, and propose cheaper observational tests first.`,
    });
  if (/research overview/.test(system)) {
    const ids = [...user.matchAll(/^(h_[\w-]+) \(Elo/gm)].map((m) => m[1]!);
    const cited = excerptsUnder(user, CITED);
    return JSON.stringify({
      summary: 'Simulated overview: these hypotheses led the tournament. Replace the simulated model with a real one to get research.',
      ranked: ids.slice(0, 5).map((id) => ({ id, why: 'Simulated: it won most of its matches.' })),
      experiments: [`Simulated: a pilot measuring ${words[0]} and ${words[1]}.`],
      open_questions: ['Simulated: does the effect hold in other groups?'],
      references:
        cited.length > 0
          ? [
              ...cited.slice(0, 3).map((e) => ({ citation: numbered(e), relevance: 'Simulated: a paper the leading hypotheses cite.' })),
              invented(counter, words),
            ]
          : [],
    });
  }
  return `Simulated model: this is placeholder text, not a real answer. You asked: "${user.slice(0, 200)}"`;
}

/** Starts the simulated model on 127.0.0.1 (a random port); answers JSON and SSE streams like OpenRouter. */
export async function startSimulatedModel(): Promise<{ url: string; close(): Promise<void> }> {
  let n = 0;
  const next = () => n++;
  const server = createServer((req, res) => void handle(req, res, next).catch(() => res.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function handle(req: IncomingMessage, res: ServerResponse, next: () => number): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const json = (status: number, body: unknown) => void res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  if (req.method === 'GET' && path === '/v1/models') {
    return json(200, {
      data: [
        {
          id: SIMULATED_MODEL,
          name: 'Simulated model (demo)',
          context_length: 32_768,
          pricing: { prompt: '0', completion: '0' },
          supported_parameters: ['response_format'],
        },
      ],
    });
  }
  if (req.method !== 'POST' || path !== '/v1/chat/completions')
    return json(404, { error: { code: 404, message: 'The simulated model only answers chat completions.' } });
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { messages?: Msg[]; stream?: boolean };
  const content = simulatedAnswer(body.messages ?? [], next);
  const usage = { prompt_tokens: Math.ceil(JSON.stringify(body.messages ?? []).length / 4), completion_tokens: Math.ceil(content.length / 4) };
  await new Promise((r) => setTimeout(r, 150 + Math.random() * 350)); // feels like a model, keeps progress visible
  const base = { id: `sim-${Date.now()}`, created: Math.floor(Date.now() / 1000), model: SIMULATED_MODEL };
  if (!body.stream)
    return json(200, {
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens, cost: 0 },
    });
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  for (const piece of content.match(/\s*\S+\s*/g) ?? [content]) {
    res.write(
      `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`,
    );
    await new Promise((r) => setTimeout(r, 15));
  }
  res.write(
    `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { ...usage, cost: 0 } })}\n\n`,
  );
  res.end('data: [DONE]\n\n');
}
