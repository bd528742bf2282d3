/** How a literature record reads in prompts and exports: its authors and its main identifier. Pure. */
import type { LiteratureRecord } from '../../core/literature/record.js';

/** Authors as a citation shows them: up to three, then "et al.". */
export const shortAuthors = (authors: readonly string[]) => (authors.length > 3 ? `${authors.slice(0, 3).join(', ')} et al.` : authors.join(', '));

/** The identifier a reader resolves it by, as reference checks read it back: doi:…, arXiv:… or PMID:… ('' without one). */
export function primaryId(r: Pick<LiteratureRecord, 'ids'>): string {
  const { doi, arxiv, pmid } = r.ids;
  return doi ? `doi:${doi}` : arxiv ? `arXiv:${arxiv}` : pmid ? `PMID:${pmid}` : '';
}
