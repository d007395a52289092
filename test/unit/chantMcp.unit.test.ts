import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { atLeast, chantMcpServers } from '../../src/core/workflow/chantMcp';
import { AGENT_PRESETS } from '../../src/core/runs/agents/presets';
import { repoRoot } from './paths';

describe("chant's MCP server for VS Code's agent mode", () => {
  it('offers `chant mcp` per project, only with the chant CLI in a trusted workspace', () => {
    assert.deepEqual(chantMcpServers({ trusted: true, chant: '/usr/bin/chant', version: '0.23.2', roots: ['/w/a'] }), [{ label: 'chant', command: '/usr/bin/chant', args: ['mcp'], cwd: '/w/a', version: '0.23.2' }]);
    assert.deepEqual(chantMcpServers({ trusted: true, chant: '/usr/bin/chant', roots: ['/w/a', '/w/b'] }).map((s) => s.label), ['chant (a)', 'chant (b)']);
    assert.deepEqual(chantMcpServers({ trusted: false, chant: '/usr/bin/chant', roots: ['/w/a'] }), [], 'Restricted Mode: nothing runs');
    assert.deepEqual(chantMcpServers({ trusted: true, roots: ['/w/a'] }), [], 'no chant CLI');
  });

  it("package.json declares the provider and the tools; the run tool's agents are the presets", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    assert.deepEqual(manifest.contributes.mcpServerDefinitionProviders.map((p: { id: string }) => p.id), ['chant.mcpServers']);
    const tools = manifest.contributes.languageModelTools as Array<{
      name: string;
      inputSchema: { properties: Record<string, { enum?: string[] }> };
    }>;
    assert.deepEqual(tools.map((t) => t.name), ['chant_listRuns', 'chant_workSpec', 'chant_investigationStatus']);
    const agents = tools.find((t) => t.name === 'chant_workSpec')!.inputSchema.properties.agent.enum;
    assert.deepEqual(agents, AGENT_PRESETS.filter((p) => p.id !== 'custom').map((p) => p.id));
  });

  it('registers the provider only from VS Code 1.101, where its API is stable', () => {
    assert.equal(atLeast('1.100.3', 1, 101), false);
    assert.equal(atLeast('1.101.0', 1, 101), true);
    assert.equal(atLeast('1.139.1-insider', 1, 101), true);
    assert.equal(atLeast('2.0.0', 1, 101), true);
    assert.equal(atLeast('garbage', 1, 101), false);
  });
});
