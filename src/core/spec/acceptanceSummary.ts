// The acceptance summary the index keeps for every spec. The tree, the code lens and readiness read
// only the counts; the boxes themselves (line, column, text) are wanted by the linter, for one spec
// at a time. Listing them for every spec at load was the largest part of parsing a project (an
// object and strings for each of ~45,000 boxes in 10,000 specs, all of it copied by the young-
// generation GC), so the parser only counts the boxes, in place, and keeps a copy of the section's
// text; the boxes are listed from that copy on first use, by the same `listCriteria`.
import { listCriteria, scanCriteria, type CriterionRef } from './criteria';
import type { AcceptanceSummary } from './types';

/**
 * `items` is an own, enumerable accessor, so that everything that copies or compares a spec (spread,
 * JSON, structured clone, deepStrictEqual) still sees the list as if it were a plain field. One
 * shared descriptor: a getter made per object would give every summary a map of its own.
 */
const ITEMS: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: LazyAcceptance): CriterionRef[] {
    return this.listItems();
  },
  set(this: LazyAcceptance, items: CriterionRef[]) {
    this.setItems(items);
  },
};

/**
 * Where a restored summary's section text comes from: the saved index keeps every section in one
 * text that is decoded only when some spec's boxes are first listed (the linter, one spec at a time).
 */
export interface SectionSource {
  slice(start: number, end: number): string;
}

class LazyAcceptance implements AcceptanceSummary {
  declare items: CriterionRef[];
  /** The section from its heading's line to its end; dropped once the items are listed. */
  #section: string | undefined;
  /** Set instead of #section for a summary restored from the saved index. */
  #source: { from: SectionSource; start: number; end: number } | undefined;
  /** 0-based file line of the heading. */
  #headingLine: number;
  #items: CriterionRef[] | undefined;

  constructor(
    public hasSection: boolean,
    public checked: number,
    public unchecked: number,
    public total: number,
    section: string | undefined,
    headingLine: number,
  ) {
    this.#section = section;
    this.#headingLine = headingLine;
    Object.defineProperty(this, 'items', ITEMS);
  }

  listItems(): CriterionRef[] {
    if (this.#items === undefined) {
      if (this.#source) {
        this.#section = this.#source.from.slice(this.#source.start, this.#source.end);
        this.#source = undefined;
      }
      if (this.#section === undefined) {
        this.#items = [];
      } else {
        // The heading is the copy's first line and the section's last box its last: listing the copy
        // finds the same boxes, at lines counted from the heading and the same columns (a box is
        // never on the heading's line, the only one whose column depends on where the body starts).
        const { items } = listCriteria(this.#section, 0);
        for (const item of items) item.line += this.#headingLine;
        this.#items = items;
        this.#section = undefined;
      }
    }
    return this.#items;
  }

  setItems(items: CriterionRef[]): void {
    this.#items = items;
    this.#section = undefined;
    this.#source = undefined;
  }

  restoreFrom(source: { from: SectionSource; start: number; end: number }): void {
    this.#source = source;
  }

  /** What the saved index needs to rebuild this summary: the section text, or the items once listed. */
  parts(): { headingLine: number; section?: string; items?: CriterionRef[] } {
    if (this.#items !== undefined) return { headingLine: this.#headingLine, items: this.#items };
    if (this.#source)
      return { headingLine: this.#headingLine, section: this.#source.from.slice(this.#source.start, this.#source.end) };
    return { headingLine: this.#headingLine, section: this.#section };
  }
}

/** The parts `restoreAcceptance` needs; undefined for a summary this module did not make. */
export function acceptanceParts(summary: AcceptanceSummary): ReturnType<LazyAcceptance['parts']> | undefined {
  return summary instanceof LazyAcceptance ? summary.parts() : undefined;
}

/** A summary equal to the one `summarizeAcceptance` made, from the saved index's parts. */
export function restoreAcceptance(
  counts: { hasSection: boolean; checked: number; total: number; headingLine: number },
  section: { from: SectionSource; start: number; end: number } | { items: CriterionRef[] } | undefined,
): AcceptanceSummary {
  const summary = new LazyAcceptance(
    counts.hasSection,
    counts.checked,
    counts.total - counts.checked,
    counts.total,
    undefined,
    counts.headingLine,
  );
  if (section && 'items' in section) summary.setItems(section.items);
  else if (section) summary.restoreFrom(section);
  return summary;
}

/**
 * Counts the acceptance criteria of a spec's text; `bodyStart` is where the body starts
 * (`splitFrontmatter(text).bodyStart`) and `bodyLine` its 0-based file line.
 */
export function summarizeAcceptance(text: string, bodyStart: number, bodyLine: number): AcceptanceSummary {
  const scan = scanCriteria(text, bodyStart);
  // A copy, not a slice: a slice would keep the whole file text alive in the index.
  const section = scan.total > 0 ? copyOf(text.slice(scan.headingStart, scan.sectionEnd)) : undefined;
  return new LazyAcceptance(
    scan.hasSection,
    scan.checked,
    scan.total - scan.checked,
    scan.total,
    section,
    bodyLine + scan.headingLine,
  );
}

/** A flat copy of `text` that shares no memory with the string it was sliced from. */
function copyOf(text: string): string {
  return text.length < 13 ? text : (text + ' ').slice(0, -1);
}
