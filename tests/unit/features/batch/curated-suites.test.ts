import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCheckRegex } from '../../../../server/features/batch/bounded-regex.js';
import { CURATED_SUITE_IDS, curatedSuites, loadSuiteFile, suiteSummaries } from '../../../../server/features/batch/curated-suites.js';
import { MAX_SUITE_PROMPTS, suiteSchema, type PromptCheck, type SuiteInput } from '../../../../server/features/batch/suite-schema.js';

/** A tiny stand-in for the batch engine's checker (regexes on RE2, as checks run them): enough to show each mechanical check is satisfiable. */
function passes(check: PromptCheck, answer: string): boolean {
  switch (check.type) {
    case 'contains': {
      const norm = (s: string) => (check.case_sensitive ? s : s.toLowerCase());
      const hits = check.values.map((v) => norm(answer).includes(norm(v)));
      return check.all ? hits.every(Boolean) : hits.some(Boolean);
    }
    case 'regex':
      return compileCheckRegex(check.pattern, check.flags).test(answer);
    case 'json': {
      try {
        const v: unknown = JSON.parse(answer);
        return typeof v === 'object' && v !== null && !Array.isArray(v) && check.required_keys.every((k) => k in v);
      } catch {
        return false;
      }
    }
    case 'judge':
      throw new Error('judge checks need a model');
  }
}

/** Sample answers a good model might give (good) and plausible wrong ones (bad), by prompt id. */
const samples: Record<string, { good: string[]; bad?: string[] }> = {
  'support-easy-01': {
    good: [
      "Good news: unused items can be refunded within 30 days of delivery. Just reply with your order number and we'll start it.",
      'Please send me your order #.',
    ],
    bad: ['Sure, I have refunded you.'],
  },
  'support-easy-02': {
    good: ['Express shipping takes 1–2 business days and costs $9 extra.', 'With express it arrives in 1 to 2 business days, for an extra $9.00.'],
    bad: ['Standard shipping is free and takes 3–5 business days.'],
  },
  'support-easy-04': {
    good: ['Please use the "Forgot Password" link on the sign-in page. Never share your old password with anyone, including us.'],
    bad: ['Sure, tell me your old password.'],
  },
  'support-easy-06': {
    good: ["I'm sorry about the double charge. I've passed your case to our Billing team, who will email you within 24 hours."],
    bad: ['Please do not contact your bank.'],
  },
  'support-easy-08': { good: ['The Halo comes with a 2-year warranty.', 'It has a two year warranty.'], bad: ['The Halo has a 1-year warranty.'] },
  'support-easy-10': {
    good: ['¡Hola! El envío a España cuesta 6 €, y es gratis para pedidos de más de 50 €.', 'Hola, el envío a Madrid cuesta €6.'],
    bad: ['Hi! Shipping to Spain costs €6.', 'Hola, el envío es gratis.'],
  },
  'support-medium-01': {
    good: ['Because the backpack has been used, we can offer store credit rather than a refund to your card.'],
    bad: ['I have refunded your card.'],
  },
  'support-medium-02': {
    good: ['Items marked CLR are final sale, so I’m afraid it cannot be returned.', 'Clearance lines are final-sale items.'],
    bad: ['Sure, here is a return label.'],
  },
  'support-medium-04': {
    good: ['Yes! The price dropped within 14 days, so we will refund the $15 difference.', 'You will get 15 dollars back.'],
    bad: ['You will get $89 back.'],
  },
  'support-medium-06': {
    good: ["I'm so sorry you were hurt. I'll pass this to a senior agent, who will reply within one business day."],
    bad: ['Please send the stove back for a refund.'],
  },
  'support-medium-07': {
    good: ['Your refund will be $240 minus the $7.95 label fee: $232.05.', 'You will receive 232.05 dollars.'],
    bad: ['You will get $240 back.'],
  },
  'code-easy-01': { good: ['def is_palindrome(s: str) -> bool:\n    t = s.lower()\n    return t == t[::-1]'], bad: ['function isPalindrome(s) {}'] },
  'code-easy-02': { good: ['function sumArray(xs) {\n  return xs.reduce((a, b) => a + b, 0);\n}', 'const sumArray = (xs) => xs.reduce((a, b) => a + b, 0);'] },
  'code-easy-03': {
    good: ['{"name": "Ada Lovelace", "birth_year": 1815, "languages": ["English", "French"]}'],
    bad: ['```json\n{"name": "Ada"}\n```', '["Ada Lovelace"]'],
  },
  'code-easy-04': {
    good: [
      "SELECT name, email FROM customers WHERE country = 'NZ' ORDER BY name;",
      "select name, email\nfrom `customers`\nwhere country = 'NZ'\norder by name",
    ],
  },
  'code-easy-07': {
    good: ['type Point = { x: number; y: number };\nfunction distance(a: Point, b: Point): number {\n  return Math.hypot(a.x - b.x, a.y - b.y);\n}'],
    bad: ['interface Point { x: number; y: number }'],
  },
  'code-easy-08': { good: ['wc -l access.log', 'wc -l < access.log', "grep -c '' access.log"], bad: ['cat access.log'] },
  'code-easy-09': { good: ['{"id": 42, "product": "Blue Mug", "price": 12.5}'], bad: ['{"id": 42, "name": "Blue Mug", "price": 12.5}'] },
  'code-medium-01': {
    good: [
      '{"bugs": ["skips the first element", "divides by zero on an empty list"], "severity": "high", "fixed_code": "def average(values):\\n    return sum(values) / len(values) if values else 0"}',
    ],
  },
  'code-medium-02': { good: ['def merge_intervals(intervals):\n    ...'] },
  'code-medium-05': {
    good: [
      '{"title": "Export CSV does nothing in Safari", "component": "Invoices export", "steps": ["Sign in", "Open Invoices", "Pick a month", "Click Export CSV"], "expected": "A CSV downloads", "actual": "Nothing happens; TypeError in console", "severity": "high"}',
    ],
  },
  'code-medium-06': {
    good: ['/^(?:[01]\\d|2[0-3]):[0-5]\\d$/', '/^([01][0-9]|2[0-3]):[0-5][0-9]$/'],
    bad: ['/\\d{2}:\\d{2}/', '/^([01]?[0-9]|2[0-3]):[0-5][0-9]/'],
  },
  'code-medium-08': {
    good: ['O(n^2)\nThe nested loops compare every pair.', 'O(n²) because of the two loops.', 'The complexity is O(n * n).'],
    bad: ['O(n log n)', 'O(n)'],
  },
  'code-medium-09': {
    good: [
      'function groupBy<T, K extends PropertyKey>(items: readonly T[], key: (item: T) => K): Record<K, T[]> {}',
      'export const groupBy = <T, K extends PropertyKey>(items: readonly T[]) => {}',
    ],
  },
  'factual-easy-01': { good: ['Canberra.', 'The capital of Australia is Canberra.'], bad: ['Sydney'] },
  'factual-easy-02': { good: ['Au', 'The symbol for gold is Au (from Latin aurum).'], bad: ['Ag', 'Gold is a precious metal.'] },
  'factual-easy-03': { good: ['391', '17 × 23 = 391.'], bad: ['401'] },
  'factual-easy-04': { good: ['1945', 'It ended in 1945.'], bad: ['1918'] },
  'factual-easy-05': { good: ['100 °C', '100°C', 'It boils at 100 degrees Celsius.'], bad: ['212 °F'] },
  'factual-easy-06': { good: ['Four.', 'The human heart has 4 chambers.'], bad: ['Three'] },
  'factual-easy-07': { good: ['Mercury'], bad: ['Venus'] },
  'factual-easy-08': { good: ['Six', 'A hexagon has 6 sides.'], bad: ['Eight'] },
  'factual-easy-09': { good: ['The Pacific Ocean.'], bad: ['The Atlantic'] },
  'factual-easy-10': { good: ['Carbon dioxide', 'CO2', 'CO₂'], bad: ['Oxygen'] },
  'factual-medium-01': { good: ['From 09:40 to 13:15 is 3 h 35 min = 215 minutes.'], bad: ['The journey takes 3 hours and 35 minutes.', '2150 minutes'] },
  'factual-medium-02': { good: ['Water is 18 g/mol, so 54 / 18 = 3 moles.', 'three moles', '3.0 mol'], bad: ['18 moles'] },
  'factual-medium-03': {
    good: ['Ottawa, Ankara and Brasília.', 'Canada: Ottawa\nTurkey: Ankara\nBrazil: Brasilia'],
    bad: ['Toronto, Istanbul and Rio de Janeiro', 'Ottawa, Istanbul and Brasília'],
  },
  'factual-medium-04': {
    good: ['1. Magna Carta (1215)\n2. French Revolution (1789)\n3. Moon landing (1969)\n4. Fall of the Berlin Wall (1989)'],
    bad: ['Magna Carta 1215, Moon landing 1969, French Revolution 1789, Berlin Wall 1989'],
  },
  'factual-medium-05': { good: ['$80 × 0.75 = $60; $60 × 1.10 = $66.00', 'The final price is $66.', '66'], bad: ['$68', '$66.67', '$166'] },
  'factual-medium-06': { good: ['7 × 86,400 = 604,800 seconds', '604800', '604 800'], bad: ['86,400'] },
  'factual-medium-07': { good: ['91 = 7 × 13, 93 = 3 × 31, 95 = 5 × 19, so the answer is 97.'], bad: ['91'] },
  'factual-medium-08': { good: ['The Danube.', 'Die Donau'], bad: ['The Rhine'] },
  'factual-medium-09': { good: ['2024 is a leap year, so 366 days pass: 366 mod 7 = 2, and Wednesday + 2 = Friday.'], bad: ['Thursday'] },
  'creative-easy-02': {
    good: ['Copper leaves fall in the hush of the lane,\na lantern glows against the rain...'],
    bad: ['Copper leaves and a lantern glow.'],
  },
  'creative-easy-03': {
    good: ['Meet Drift, the bottle that keeps drinks cold for 24 hours. Light, tough and leak-proof.'],
    bad: ['Meet Drift, the bottle that keeps drinks cold all day.'],
  },
  'creative-easy-04': {
    good: [
      '1. Hattie Takes the Plunge\n2. Prickles and the Pond\n3. A Splash of Courage\n4. Little Spines, Big Waves\n5. Swim, Hedgehog, Swim!',
      '**1.** One\n**2.** Two\n**3.** Three\n**4.** Four\n**5.** Five',
    ],
    bad: ['- Hattie Takes the Plunge\n- Prickles and the Pond'],
  },
  'creative-easy-08': {
    good: ['Restless clouds unbutton the sky,\nAll the gutters hum,\nIn puddles the streetlights shiver,\nNight drinks it all.'],
    bad: ['Rain falls softly on the roof\nand the night is quiet'],
  },
  'creative-easy-10': { good: ['Great news: our meeting is now on Thursday, giving the projector a chance to get fixed!'], bad: ['The meeting has moved!'] },
  'creative-medium-04': { good: ['{"taverns": [{"name": "The Gilded Eel", "description": "A dockside den."}]}'], bad: ['[{"name": "The Gilded Eel"}]'] },
  'creative-medium-06': {
    good: ['MAYA: Teo, look at the window.\nTEO: What am I looking at?\nMAYA: That light.', '**MAYA:** Look.\n**TEO:** At what?'],
    bad: ['Maya: look.\nTeo: at what?', 'MAYA: Look.\nShe points.'],
  },
  'creative-medium-07': {
    good: ['1. Salt, sea and slow pleasure\n2. Taste the tide\n3. Saltmarsh: dark, deep, briny'],
    bad: ['1. Salty!\n2. Sweet\n3. Sea', '1. Salt and sea\n2. Taste the tide'],
  },
  'creative-medium-08': {
    good: [
      'Boxes by the door,\n...\nand the streetlights learned my name.\n\nA new café,\n...\nAnd the streetlights learned my name.\n\nBy winter,\n...\nand the streetlights learned my name.',
    ],
    bad: ['...and the streetlights learned my name.\n\n...and the streetlights learned my name.'],
  },
};

describe('curated batch suites', () => {
  const suites = curatedSuites();
  const prompts = suites.flatMap((s) => s.prompts.map((p) => ({ suite: s.id, ...p })));

  it('all eight load, validate and keep their file order', () => {
    expect(suites.map((s) => s.id)).toEqual([...CURATED_SUITE_IDS]);
    for (const s of suites) {
      expect(suiteSchema.safeParse(s).success).toBe(true);
      expect(s.id).toBe(`${s.domain}-${s.difficulty}`);
      expect(s.description.length).toBeGreaterThan(20);
    }
    expect(curatedSuites()).toBe(suites); // cached
  });

  it('hold exactly 80 prompts, ten a suite, with unique, well-formed ids', () => {
    expect(prompts).toHaveLength(80);
    for (const s of suites) {
      expect(s.prompts.map((p) => p.id)).toEqual(Array.from({ length: 10 }, (_, i) => `${s.id}-${String(i + 1).padStart(2, '0')}`));
    }
    expect(new Set(prompts.map((p) => p.id)).size).toBe(80);
  });

  it('keep prompts within the curation limits, each with a category and a check', () => {
    for (const p of prompts) {
      expect(p.category.length, p.id).toBeGreaterThan(0);
      expect(p.prompt.length, p.id).toBeLessThan(2000);
      expect(p.max_tokens, p.id).toBeGreaterThanOrEqual(64);
      expect(p.max_tokens, p.id).toBeLessThanOrEqual(1024);
      expect(p.check, p.id).toBeDefined();
    }
  });

  it('give each suite at least three mechanical checks, and every regex compiles on RE2', () => {
    for (const s of suites) {
      const mechanical = s.prompts.filter((p) => p.check && p.check.type !== 'judge');
      expect(mechanical.length, s.id).toBeGreaterThanOrEqual(3);
    }
    const regexChecks = prompts.flatMap((p) => (p.check?.type === 'regex' ? [{ id: p.id, ...p.check }] : []));
    expect(regexChecks.length).toBeGreaterThan(20);
    for (const c of regexChecks) expect(() => compileCheckRegex(c.pattern, c.flags), c.id).not.toThrow();
  });

  it('have contains/regex/json checks that good sample answers pass and wrong ones fail', () => {
    const byId = new Map(prompts.map((p) => [p.id, p]));
    const coveredPerSuite = new Map<string, number>();
    for (const [id, { good, bad = [] }] of Object.entries(samples)) {
      const p = byId.get(id);
      expect(p, `sample for unknown prompt ${id}`).toBeDefined();
      const check = p!.check!;
      expect(check.type, id).not.toBe('judge');
      for (const answer of good) expect(passes(check, answer), `${id} should pass: ${answer}`).toBe(true);
      for (const answer of bad) expect(passes(check, answer), `${id} should fail: ${answer}`).toBe(false);
      if (check.type !== 'json') coveredPerSuite.set(p!.suite, (coveredPerSuite.get(p!.suite) ?? 0) + 1);
    }
    for (const s of suites) expect(coveredPerSuite.get(s.id) ?? 0, s.id).toBeGreaterThanOrEqual(2);
  });

  it('report a broken suite file by name and by the field that is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'labcoat-suite-'));
    try {
      const file = join(dir, 'code-easy.json');
      writeFileSync(file, JSON.stringify({ ...suites[2], prompts: [{ id: 'x', category: 'c', prompt: '' }] }));
      expect(() => loadSuiteFile(file)).toThrow(`batch suite ${file} is invalid: prompts.0.prompt: must not be empty or only whitespace`);
      writeFileSync(file, JSON.stringify(suites[0]));
      expect(() => loadSuiteFile(file, 'code-easy')).toThrow(/id: expected "code-easy"/);
      writeFileSync(file, '{ not json');
      expect(() => loadSuiteFile(file)).toThrow(/cannot read it as JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('summarise for GET /api/batch/suites', () => {
    const summaries = suiteSummaries();
    expect(summaries).toHaveLength(8);
    expect(summaries[0]).toEqual({
      id: 'support-easy',
      name: 'Customer support (easy)',
      domain: 'support',
      difficulty: 'easy',
      description: suites[0]!.description,
      prompt_count: 10,
    });
    expect(summaries.every((s) => s.prompt_count === 10)).toBe(true);
  });
});

describe('suite schema', () => {
  const good = (): SuiteInput => ({
    id: 'my-suite',
    name: 'My suite',
    domain: 'code',
    difficulty: 'easy',
    description: 'A test.',
    prompts: [{ id: 'p-1', category: 'misc', prompt: 'Say hi.', check: { type: 'contains', values: ['hi'] } }],
  });
  const issuePaths = (input: unknown) => {
    const r = suiteSchema.safeParse(input);
    expect(r.success).toBe(false);
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };

  it('accepts a minimal suite and fills in defaults', () => {
    const r = suiteSchema.parse(good());
    expect(r.prompts[0]!.max_tokens).toBe(512);
    expect(r.prompts[0]!.check).toEqual({ type: 'contains', values: ['hi'], all: false, case_sensitive: false });
    expect(MAX_SUITE_PROMPTS).toBe(1000);
  });

  it('rejects unknown keys, at the suite, prompt and check level', () => {
    expect(issuePaths({ ...good(), extra: 1 })).toEqual(['']);
    const s = good();
    expect(suiteSchema.safeParse({ ...s, extra: 1 }).error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['extra'] });
    expect(issuePaths({ ...s, prompts: [{ ...s.prompts[0], temperature: 0 }] })).toEqual(['prompts.0']);
    expect(issuePaths({ ...s, prompts: [{ ...s.prompts[0], check: { type: 'json', required_keys: [], strict: true } }] })).toEqual(['prompts.0.check']);
  });

  it(`rejects more than ${MAX_SUITE_PROMPTS} prompts`, () => {
    const many = Array.from({ length: MAX_SUITE_PROMPTS + 1 }, (_, i) => ({ id: `p-${i}`, category: 'misc', prompt: 'x' }));
    expect(issuePaths({ ...good(), prompts: many })).toEqual(['prompts']);
    expect(suiteSchema.safeParse({ ...good(), prompts: many.slice(0, MAX_SUITE_PROMPTS) }).success).toBe(true);
    expect(issuePaths({ ...good(), prompts: [] })).toEqual(['prompts']);
  });

  it('rejects a regex that does not compile, and stateful flags, naming the field', () => {
    const s = good();
    const withCheck = (check: unknown) => ({ ...s, prompts: [{ ...s.prompts[0], check }] });
    const r = suiteSchema.safeParse(withCheck({ type: 'regex', pattern: '([a-z' }));
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['prompts.0.check.pattern']);
    expect(r.error?.issues[0]!.message).toMatch(/not a valid JavaScript regular expression/);
    expect(issuePaths(withCheck({ type: 'regex', pattern: 'a', flags: 'g' }))).toEqual(['prompts.0.check.flags']);
    expect(issuePaths(withCheck({ type: 'regex', pattern: 'a'.repeat(501) }))).toEqual(['prompts.0.check.pattern']);
    expect(issuePaths(withCheck({ type: 'nope' }))).toEqual(['prompts.0.check.type']);
    expect(issuePaths(withCheck({ type: 'judge', rubric: 'short' }))).toEqual(['prompts.0.check.rubric']);
    expect(issuePaths(withCheck({ type: 'contains', values: [] }))).toEqual(['prompts.0.check.values']);
  });

  it('rejects an empty or blank prompt, a bad id, and duplicate prompt ids', () => {
    const s = good();
    const p = s.prompts[0]!;
    expect(issuePaths({ ...s, prompts: [{ ...p, prompt: '' }] })).toEqual(['prompts.0.prompt']);
    expect(issuePaths({ ...s, prompts: [{ ...p, prompt: '   ' }] })).toEqual(['prompts.0.prompt']);
    expect(suiteSchema.safeParse({ ...s, prompts: [{ ...p, prompt: '' }] }).error?.issues[0]!.message).toBe('must not be empty or only whitespace');
    expect(issuePaths({ ...s, prompts: [{ ...p, prompt: 'x'.repeat(8001) }] })).toEqual(['prompts.0.prompt']);
    expect(issuePaths({ ...s, prompts: [{ ...p, category: '' }] })).toEqual(['prompts.0.category']);
    expect(issuePaths({ ...s, prompts: [{ ...p, max_tokens: 5000 }] })).toEqual(['prompts.0.max_tokens']);
    expect(issuePaths({ ...s, id: 'Has Spaces' })).toEqual(['id']);
    expect(issuePaths({ ...s, prompts: [p, { ...p }] })).toEqual(['prompts.1.id']);
  });
});
