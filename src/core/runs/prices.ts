// Cost from a price table, for agents that report tokens but no cost (Codex, Gemini CLI, a claude
// run that died before its result). The table is the user's (`chant.agent.prices`): US dollars per
// million tokens per model, a key being a model name or a prefix ending in `*`. Nothing is guessed:
// a model the table does not list has no cost ("cost unknown"). Cache reads and writes cost the
// input price unless the entry says otherwise (an upper bound). No `vscode` import.
import type { AgentUsage } from './agentStream';

export interface ModelPrice {
  /** Dollars per million input tokens. */
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

const rate = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);

/** The table from the setting's value, each entry checked; malformed entries are left out. */
export function parsePriceTable(value: unknown): PriceTable {
  const table: Record<string, ModelPrice> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return table;
  for (const [model, entry] of Object.entries(value as Record<string, unknown>)) {
    if (!model.trim() || typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const input = rate(e.input);
    const output = rate(e.output);
    if (input === undefined || output === undefined) continue;
    const price: ModelPrice = { input, output };
    if (rate(e.cacheRead) !== undefined) price.cacheRead = rate(e.cacheRead);
    if (rate(e.cacheWrite) !== undefined) price.cacheWrite = rate(e.cacheWrite);
    table[model.trim()] = price;
  }
  return table;
}

/** The entry for `model`: its exact name, else the longest `prefix*` key that matches. */
export function priceOf(table: PriceTable, model: string | undefined): ModelPrice | undefined {
  if (!model) return undefined;
  if (Object.prototype.hasOwnProperty.call(table, model)) return table[model];
  let best: { length: number; price: ModelPrice } | undefined;
  for (const [key, price] of Object.entries(table)) {
    if (!key.endsWith('*')) continue;
    const prefix = key.slice(0, -1);
    if (model.startsWith(prefix) && (!best || prefix.length > best.length)) best = { length: prefix.length, price };
  }
  return best?.price;
}

/**
 * The usage with a cost: the agent's when it reported one, else from the table for the model
 * (marked `costFromPrices`), else unchanged (the cost stays unknown).
 */
export function withPrices(usage: AgentUsage, model: string | undefined, table: PriceTable): AgentUsage {
  if (usage.costUsd !== undefined && !usage.costFromPrices) return usage;
  const price = priceOf(table, model);
  if (!price) {
    if (!usage.costFromPrices) return usage;
    const { costUsd: _cost, costFromPrices: _from, ...rest } = usage;
    return rest;
  }
  const usd =
    (usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cacheReadTokens * (price.cacheRead ?? price.input) +
      usage.cacheCreationTokens * (price.cacheWrite ?? price.input)) /
    1e6;
  return { ...usage, costUsd: usd, costFromPrices: true };
}
