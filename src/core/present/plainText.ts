// Untrusted text (titles, ids, paths from spec files) shown in places VS Code renders with icon
// syntax: status bar items and CodeLens titles turn `$(name)` into a codicon. A backslash before
// the `$` makes VS Code print it literally, so a title cannot smuggle icons (or fake spinners) in.

/** VS Code's icon pattern (`$(name)`, `$(name~spin)`), with the optional escaping backslash. */
const ICON = /(\\)?\$\([A-Za-z0-9-]+(?:~[A-Za-z0-9-]+)?\)/g;

/** `text` with each `$(icon)` escaped (as VS Code's own `escapeIcons` does), so it reads as written. */
export function escapeIconSyntax(text: string): string {
  return text.replace(ICON, (match: string, escaped: string | undefined) => (escaped ? match : `\\${match}`));
}

/** One line of at most `max` characters, for labels that must not grow without bound. */
export function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
