// Spec titles where their context already says part of them. No `vscode` import.

/**
 * A spec title without a leading "<its phase>: " ("Root cause: issue #1234 …" under Root Cause), for
 * places that show the phase beside it (the graph's column caption, the tree's phase group).
 */
export function titleUnderPhase(title: string, phase: string | undefined): string {
  const m = /^([^:]{2,40}):\s+(\S.*)$/.exec(title);
  const plain = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  return m && phase && plain(m[1]) === plain(phase) ? m[2] : title;
}
