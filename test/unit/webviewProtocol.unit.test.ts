import * as assert from 'node:assert/strict';
import { formValuesOf } from '../../src/core/present/frontmatterForm';
import { parseFormValues, parseFrontmatterMessage, parseGraphMessage } from '../../src/webviews/protocol';

describe('webview protocol checks', () => {
  const values = formValuesOf({ labels: ['a'] });

  it('accepts well-formed frontmatter messages and drops extra keys', () => {
    const parsed = parseFrontmatterMessage({ type: 'save', specId: 'x', values: { ...values, evil: '<script>' } });
    assert.deepEqual(parsed, { type: 'save', specId: 'x', values });
    assert.deepEqual(parseFrontmatterMessage({ type: 'ready' }), { type: 'ready' });
  });

  it('rejects malformed ones', () => {
    assert.equal(parseFrontmatterMessage(null), undefined);
    assert.equal(parseFrontmatterMessage({ type: 'write', path: '/etc/passwd' }), undefined);
    assert.equal(parseFrontmatterMessage({ type: 'save', values }), undefined, 'no spec id');
    assert.equal(parseFrontmatterMessage({ type: 'edit', values: { ...values, labels: 'a' } }), undefined, 'a scalar list');
    assert.equal(parseFrontmatterMessage({ type: 'edit', values: { ...values, labels: [1] } }), undefined, 'a number item');
    assert.equal(parseFrontmatterMessage({ type: 'pickFile', field: 'branch' }), undefined, 'not a path field');
    assert.equal(parseFormValues({ ...values, approval: { required: 'yes', status: 'pending' } }), undefined);
  });

  it('checks graph messages: open targets, scopes, SVG', () => {
    assert.deepEqual(parseGraphMessage({ type: 'open', target: { kind: 'file', path: 'a.md' } }), { type: 'open', target: { kind: 'file', path: 'a.md' } });
    assert.equal(parseGraphMessage({ type: 'open', target: { kind: 'url', url: 'javascript:alert(1)' } }), undefined);
    assert.equal(parseGraphMessage({ type: 'open', target: { kind: 'command', id: 'x' } }), undefined);
    assert.equal(parseGraphMessage({ type: 'setScope', scope: { kind: 'phase' } }), undefined);
    assert.deepEqual(parseGraphMessage({ type: 'setScope', scope: { kind: 'phase', name: 'Fix' } }), { type: 'setScope', scope: { kind: 'phase', name: 'Fix' } });
    assert.equal(parseGraphMessage({ type: 'exportSvg', svg: '<html>' }), undefined);
    assert.ok(parseGraphMessage({ type: 'exportSvg', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }));
  });
});
