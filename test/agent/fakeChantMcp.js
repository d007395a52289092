#!/usr/bin/env node
// A stand-in for `chant mcp` in tests: an MCP server over stdio, built with the official MCP SDK,
// offering a few of the tools chant's server lists (chant's src/mcp/handlers.rs: chant_spec_list,
// chant_ready, chant_status, chant_work_start) with chant's descriptions. chant_spec_list answers
// from `.chant/specs` in the working folder, so a test sees which project the server was started in.
//   node test/agent/fakeChantMcp.js            (what a fake `chant` runs for `chant mcp`)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');

const server = new McpServer({ name: 'chant', version: '0.23.2' });
const specIds = () => {
  try {
    return fs.readdirSync(path.join(process.cwd(), '.chant', 'specs')).filter((n) => n.endsWith('.md')).map((n) => n.slice(0, -3)).sort();
  } catch {
    return [];
  }
};
server.registerTool('chant_spec_list', { description: 'List all chant specs in the current project' }, async () => ({ content: [{ type: 'text', text: specIds().join('\n') }] }));
server.registerTool('chant_ready', { description: 'List all specs that are ready to be worked (no unmet dependencies)' }, async () => ({ content: [{ type: 'text', text: '' }] }));
server.registerTool('chant_status', { description: 'Get project status summary with spec counts by status' }, async () => ({ content: [{ type: 'text', text: `${specIds().length} specs` }] }));
server.registerTool('chant_work_start', { description: 'Start working on a spec asynchronously (returns immediately)' }, async () => ({ content: [{ type: 'text', text: 'refused: a fake chant starts nothing' }], isError: true }));

server.connect(new StdioServerTransport()).catch((error) => {
  process.stderr.write(`fake chant mcp: ${error}\n`);
  process.exit(1);
});
