import { describe, expect, it } from 'vitest';
import { inert } from '../../../../server/features/research/inert-text.js';

describe('inert', () => {
  it('makes model text one line with no live HTML or Markdown', () => {
    expect(inert('a\n\n<b>[x](y)</b> & *z*')).toBe('a &lt;b&gt;\\[x\\]\\(y\\)&lt;/b&gt; &amp; \\*z\\*');
  });
});
