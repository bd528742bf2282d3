// @ts-check
/**
 * The advanced settings of a run as the start form offers them (web/research/run-settings.js):
 * their ranges, and the settings to send from what the visitor typed. Pure.
 */

/** @typedef {{ key: string, label: string, min: number, max: number, note: string, debate?: boolean }} NumberField */

/** @type {NumberField[]} */
export const FIELDS = [
  { key: 'top_k', label: 'Leaders evolved', min: 0, max: 5, note: 'Best hypotheses improved each round' },
  { key: 'matches_per_entrant', label: 'Matches per newcomer', min: 1, max: 6, note: 'Each new hypothesis meets this many' },
  { key: 'debate_pairs', label: 'Debates per round', min: 0, max: 3, note: 'Closest top pairs that debate', debate: true },
  { key: 'debate_turns', label: 'Debate turns', min: 2, max: 6, note: 'Verdict included; rounded up so both sides speak equally', debate: true },
  { key: 'elo_k', label: 'Elo K-factor', min: 4, max: 64, note: 'Points one match can move' },
];

export const TEMPERATURES = [
  ['screen', 'Screening'],
  ['generate', 'Generating'],
  ['review', 'Reviewing'],
  ['judge', 'Judging'],
  ['evolve', 'Evolving'],
  ['meta', 'Meta-review'],
];
export const MAX_TEMPERATURE = 1.5;

/** The run's reasoning setting: output tokens each call may spend thinking (priced in the plan). */
export const REASONING = [
  ['off', 'Off'],
  ['low', 'Low · +1,024 tokens'],
  ['medium', 'Medium · +4,096 tokens'],
  ['high', 'High · +8,192 tokens'],
];

/** @typedef {Record<string, string>} Overrides typed values by key; temperatures as "t.<step>" */

/**
 * The settings to send, from what was typed; `bad` names fields that are out of range.
 * @param {Overrides} typed
 * @returns {{ settings: Record<string, any>, bad: string[] }}
 */
export function parseOverrides(typed) {
  /** @type {Record<string, any>} */
  const settings = {};
  /** @type {Record<string, number>} */
  const temperatures = {};
  const bad = [];
  for (const [key, text] of Object.entries(typed)) {
    if (key === 'reasoning') {
      if (REASONING.some(([v]) => v === text)) settings.reasoning = text;
      else bad.push(key);
      continue;
    }
    const n = Number(text);
    if (key.startsWith('t.')) {
      if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > MAX_TEMPERATURE) bad.push(key);
      else temperatures[key.slice(2)] = n;
      continue;
    }
    const f = FIELDS.find((x) => x.key === key);
    if (!f || text.trim() === '' || !Number.isInteger(n) || n < f.min || n > f.max) bad.push(key);
    else settings[key] = n;
  }
  if (Object.keys(temperatures).length) settings.temperatures = temperatures;
  return { settings, bad };
}
