// Ticking acceptance criteria losslessly: one character between the brackets changes, nothing else.
import { listCriteria } from './criteria';
import { LineMap } from './frontmatter';
import { SpecEditError } from './editError';

/**
 * Checks or unchecks the index-th box (0-based, document order) by rewriting the one character
 * between the brackets. A box already in the wanted state is left alone (so `[X]` stays `[X]`).
 */
export function setCriterion(text: string, index: number, checked: boolean): string {
  const { items } = listCriteria(text);
  if (!Number.isInteger(index) || index < 0 || index >= items.length) {
    throw new SpecEditError(
      'criterion-out-of-range',
      `There is no acceptance criterion #${index}; the section has ${items.length}.`,
    );
  }
  const item = items[index];
  if (item.checked === checked) return text;
  const offset = new LineMap(text).lineStart(item.line) + item.column + 3;
  return text.slice(0, offset) + (checked ? 'x' : ' ') + text.slice(offset + 1);
}

/** A criterion's text for matching: trimmed, inner whitespace collapsed. */
function criterionKey(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

/**
 * Ticks in `text` each criterion that `ticked` (another copy of the spec, e.g. the agent's) has
 * checked, matched by text rather than position, so criteria the user added, removed or reordered
 * meanwhile never get the wrong box ticked. Repeated texts pair up in order. `lost` lists the
 * ticked criteria with no match left in `text`.
 */
export function carryCheckedCriteria(
  text: string,
  ticked: ReadonlyArray<{ text: string; checked: boolean }>,
): { text: string; lost: string[] } {
  const items = listCriteria(text).items;
  const used = new Set<number>();
  const lost: string[] = [];
  let out = text;
  for (const criterion of ticked) {
    if (!criterion.checked) continue;
    const key = criterionKey(criterion.text);
    const index = items.findIndex((item, i) => !used.has(i) && criterionKey(item.text) === key);
    if (index < 0) {
      lost.push(criterion.text.trim());
      continue;
    }
    used.add(index);
    out = setCriterion(out, index, true);
  }
  return { text: out, lost };
}
