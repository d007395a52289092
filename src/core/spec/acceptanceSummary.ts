// The acceptance summary the index keeps for every spec: counts only. The tree, the code lens and
// readiness read the counts; the boxes themselves (line, column, text) are wanted by the linter
// alone, which lists them from the text it checks (`listCriteria`). Keeping each spec's section,
// or its boxes, in the index cost a copy of ~4 MB of text per 10,000 specs that every garbage
// collection moved, and nothing read it.
import { scanCriteria } from './criteria';
import type { AcceptanceSummary } from './types';

/**
 * Counts the acceptance criteria of a spec's text, in place; `bodyStart` is where the body starts
 * (`splitFrontmatter(text).bodyStart`).
 */
export function summarizeAcceptance(text: string, bodyStart: number): AcceptanceSummary {
  const { hasSection, checked, total } = scanCriteria(text, bodyStart);
  return { hasSection, checked, unchecked: total - checked, total };
}
