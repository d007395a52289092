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
