import * as assert from 'node:assert/strict';
import { parseConfig } from '../../src/core/project/config';
import { ProjectPaths } from '../../src/core/project/project';
import { assemblePrompt, BUILTIN_STANDARD_PROMPT, choosePromptName, PromptError } from '../../src/core/workflow/prompt';
import { parseSpec } from '../../src/core/spec/specParser';
import { makeTempDir, removeDir, writeFiles } from './tempRepo';

const ID = '2026-02-08-001-r4x';
const made: string[] = [];
after(() => made.forEach(removeDir));

/** A real project folder holding `map` (paths relative to its root). */
function files(map: Record<string, string>): ProjectPaths {
  const root = makeTempDir('chant-prompt-');
  made.push(root);
  writeFiles(root, map);
  return new ProjectPaths(root);
}

function spec(frontmatter: string, body = '# Fix it\n\nThe body {{spec.id}}.\n'): { text: string; spec: ReturnType<typeof parseSpec> } {
  const text = `---\n${frontmatter}---\n${body}`;
  return { text, spec: parseSpec(text, { id: ID, path: `/project/.chant/specs/${ID}.md` }) };
}

const config = parseConfig('---\nproject:\n  name: kvstore\ndefaults:\n  prompt: standard\n  prompt_extensions: [ext]\n---\n');

describe('prompt assembly (chant §7.3 plus informed_by)', () => {
  it('chooses --prompt, then the spec, then documentation by type, then defaults.prompt', async () => {
    const s = spec('type: documentation\n');
    assert.equal(await choosePromptName(s.spec, config, files({}), 'over'), 'over');
    assert.equal(await choosePromptName(spec('prompt: fix\n').spec, config, files({}), undefined), 'fix');
    assert.equal(await choosePromptName(s.spec, config, files({ '.chant/prompts/documentation.md': 'x' }), undefined), 'documentation');
    assert.equal(await choosePromptName(s.spec, config, files({}), undefined), 'standard');
  });

  it('substitutes the variables once, resolves extends and appends the sections in chant order', async () => {
    const s = spec('type: code\nprompt: child\ntarget_files:\n- src/a.rs\ncontext:\n- docs/ctx.md\n');
    const paths = files({
      '.chant/prompts/child.md': '---\nextends: base\n---\nChild of {{project.name}}\n{{> base}}\nPath {{spec.path}} wt={{worktree.isolated}} {{worktree.branch}}\n{{spec.context}}\nTargets:\n{{spec.target_files}}\n{{spec}}',
      '.chant/prompts/base.md': '---\nname: base\n---\nBase for {{spec.title}}: {{spec.description}}',
      '.chant/prompts/ext.md': '---\nname: ext\n---\nExtension text',
      'docs/ctx.md': 'context body',
    });
    const out = await assemblePrompt(s.spec, s.text, config, paths, { worktree: { path: '/tmp/wt', branch: 'chant/x' } });
    assert.equal(out.name, 'child');
    assert.match(out.text, /^Child of kvstore\nBase for Fix it: # Fix it\n\nThe body \{\{spec\.id\}\}\./);
    assert.match(out.text, /Path \.chant\/specs\/2026-02-08-001-r4x\.md wt=true chant\/x/);
    assert.match(out.text, /--- docs\/ctx\.md ---\ncontext body/);
    assert.match(out.text, /Targets:\nsrc\/a\.rs/);
    assert.match(out.text, /Spec ID: 2026-02-08-001-r4x\n\n# Fix it[\s\S]*## Target Files\n\n- src\/a\.rs/);
    const env = out.text.indexOf('## Execution Environment');
    const commit = out.text.indexOf('## Required: Commit Your Work');
    const ext = out.text.indexOf('Extension text');
    assert.ok(env > 0 && commit > env && ext > commit, 'environment, commit, extensions in that order');
    assert.match(out.text, /git commit -m "chant\(2026-02-08-001-r4x\): <brief description of changes>"/);
  });

  it('leaves out the commit section when the prompt already says to commit your work', async () => {
    const s = spec('prompt: p\n');
    const out = await assemblePrompt(s.spec, s.text, parseConfig(undefined), files({ '.chant/prompts/p.md': 'Please Commit Your Work.' }));
    assert.doesNotMatch(out.text, /## Required: Commit Your Work/);
    assert.doesNotMatch(out.text, /## Execution Environment/);
  });

  it('inlines informed_by documents up to the limit, lists URLs and says what is missing', async () => {
    const s = spec('informed_by:\n- https://github.com/o/r/issues/1\n- .chant/research/a.md\n- .chant/research/big.md\n- .chant/research/gone.md\n- ../outside.md\n');
    const paths = files({ '.chant/research/a.md': 'short doc with ```fence```', '.chant/research/big.md': 'x'.repeat(200) });
    const out = await assemblePrompt(s.spec, s.text, config, paths, { inlineLimit: 50 });
    assert.match(out.text, /## Inputs \(informed_by\)/);
    assert.match(out.text, /Links:\n- https:\/\/github.com\/o\/r\/issues\/1/);
    assert.match(out.text, /### \.chant\/research\/a\.md\n\n````\nshort doc with ```fence```\n````/);
    assert.match(out.text, /### \.chant\/research\/big\.md\n\n```\nx{50}\n```\n\n\(truncated: 200 bytes, first 50 shown/);
    assert.match(out.text, /### \.chant\/research\/gone\.md\n\n\(not found in the main checkout\)/);
    assert.match(out.text, /### \.\.\/outside\.md\n\n\(informed_by entry \.\.\/outside\.md points outside the project \(it leaves the project folder\): not sent to the agent\)/);
  });

  it('falls back to a built-in standard prompt and reports a missing one like chant', async () => {
    const s = spec('');
    const out = await assemblePrompt(s.spec, s.text, config, files({}));
    assert.ok(out.text.startsWith(BUILTIN_STANDARD_PROMPT.split('{{')[0]));
    await assert.rejects(assemblePrompt(spec('prompt: nope\n').spec, s.text, config, files({})), (e: unknown) => e instanceof PromptError && /Prompt not found: nope/.test(e.message));
    await assert.rejects(
      assemblePrompt(spec('prompt: a\n').spec, s.text, config, files({ '.chant/prompts/a.md': '---\nextends: b\n---\n{{> b}}', '.chant/prompts/b.md': '---\nextends: a\n---\n{{> a}}' })),
      /Prompt cycle/,
    );
  });
});
