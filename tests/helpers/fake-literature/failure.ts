import { expect } from 'vitest';
import { LiteratureError } from '../../../server/core/literature/errors.js';

/** The LiteratureError a call failed with (the test fails when it did not fail, or failed otherwise). */
export async function literatureFailure(p: Promise<unknown>): Promise<LiteratureError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LiteratureError);
  return err as LiteratureError;
}
