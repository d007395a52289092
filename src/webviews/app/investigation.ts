// The Investigation panel's browser side: the phases as a stepper, each spec with its state,
// acceptance progress, approval, runs and cost (when the run registry supplies them), its research
// documents rendered as sanitized markdown (lib/markdown: nodes built one by one, never HTML), and
// buttons that post the action; the Upstream PR gate last.
import type { InvestigationHostMessage, InvestigationPanelState, InvestigationView } from '../protocol';
import type { InvestigationPhaseStep, InvestigationStepSpec } from '../../core/present/investigationView';
import { clear, h, icon, vscodeApi } from './lib/dom';
import { l10n } from './lib/l10n';
import { renderMarkdown } from './lib/markdown';

const vscode = vscodeApi<InvestigationPanelState>();
const app = document.getElementById('app')!;
const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });

const PHASE_ICONS: Record<InvestigationPhaseStep['state'], string> = {
  done: 'pass-filled',
  active: 'sync',
  ready: 'play-circle',
  waiting: 'circle-large-outline',
  failed: 'error',
  empty: 'circle-large-outline',
};

/** A function, not a table: the words are translated when asked (lib/l10n configures first). */
function phaseWords(state: InvestigationPhaseStep['state']): string {
  switch (state) {
    case 'done':
      return l10n.t('done');
    case 'active':
      return l10n.t('in progress');
    case 'ready':
      return l10n.t('ready');
    case 'waiting':
      return l10n.t('waiting');
    case 'failed':
      return l10n.t('needs attention');
    case 'empty':
      return l10n.t('no spec');
  }
}

function button(label: string, primary: boolean, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', class: primary ? 'primary' : 'secondary', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

function progress(checked: number, total: number): HTMLElement {
  const bar = h('span', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': checked, 'aria-label': l10n.t('Acceptance criteria') });
  bar.append(h('span', { class: 'progress-fill', style: undefined }));
  (bar.firstChild as HTMLElement).style.width = total > 0 ? `${Math.round((checked / total) * 100)}%` : '0';
  return h('span', { class: 'acceptance' }, bar, total > 0 ? l10n.t('{0}/{1} criteria', checked, total) : l10n.t('no criteria'));
}

function specCard(spec: InvestigationStepSpec): HTMLElement {
  const card = h('div', { class: `spec status-${spec.status}`, 'data-spec': spec.id });
  const title = h('div', { class: 'spec-title' }, h('span', { class: 'spec-name' }, spec.title), h('span', { class: 'badge' }, spec.status.replace(/_/g, ' ')));
  const facts = h('div', { class: 'facts' }, progress(spec.acceptance.checked, spec.acceptance.total), h('span', { class: 'id' }, spec.id));
  if (spec.approval?.required || spec.approval?.status === 'approved' || spec.approval?.status === 'rejected') {
    facts.append(h('span', { class: `approval approval-${spec.approval.status}` }, icon(spec.approval.status === 'approved' ? 'verified' : spec.approval.status === 'rejected' ? 'circle-slash' : 'shield'), spec.approval.by ? l10n.t('approval {0} by {1}', spec.approval.status, spec.approval.by) : l10n.t('approval {0}', spec.approval.status)));
  }
  if (spec.runs.length > 0) {
    const runs = spec.runs.length === 1 ? l10n.t('1 run') : l10n.t('{0} runs', spec.runs.length);
    facts.append(h('span', { class: 'runs' }, icon('history'), spec.costUsd !== undefined ? `${runs} · $${spec.costUsd.toFixed(2)}` : runs));
  }
  card.append(title, facts);
  if (spec.blockedBy.length > 0) {
    const list = h('ul', { class: 'blockers' });
    for (const reason of spec.blockedBy) list.append(h('li', {}, reason));
    card.append(list);
  }
  const actions = h('div', { class: 'actions' });
  for (const action of spec.actions) {
    actions.append(button(action.label, action.primary === true, () => vscode.postMessage({ type: 'action', action: action.kind, specId: action.specId }), { 'data-action': action.kind }));
  }
  card.append(actions);
  for (const doc of spec.documents) {
    const details = h('details', { class: 'document', open: doc.exists && spec.status === 'completed' ? true : undefined });
    const open = h('button', { type: 'button', class: 'link-button', title: l10n.t('Open the file') }, icon('go-to-file'), doc.path);
    open.addEventListener('click', (e) => {
      e.preventDefault();
      vscode.postMessage({ type: 'openFile', path: doc.path });
    });
    details.append(h('summary', {}, open, doc.exists ? '' : h('span', { class: 'missing' }, ` ${l10n.t('not written yet')}`)));
    if (doc.markdown !== undefined) {
      const body = h('div', { class: 'markdown' });
      body.append(renderMarkdown(doc.markdown));
      if (doc.truncated) body.append(h('p', { class: 'missing' }, l10n.t('(cut: open the file for the rest)')));
      details.append(body);
    }
    card.append(details);
  }
  return card;
}

function render(view: InvestigationView): void {
  clear(app);
  const header = h('header', { class: 'header' }, h('h1', {}, l10n.t('Investigation {0}', view.key)));
  if (view.issueUrl) {
    const link = h('button', { type: 'button', class: 'link-button', id: 'issue-link' }, icon('link-external'), view.issueUrl);
    link.addEventListener('click', () => vscode.postMessage({ type: 'openUrl', url: view.issueUrl }));
    header.append(link);
  }
  const steps = h('ol', { class: 'stepper', 'aria-label': l10n.t('Phases') });
  view.phases.forEach((phase, i) => {
    const step = h('li', { class: `step state-${phase.state}`, 'data-phase': phase.name });
    step.append(
      h('div', { class: 'step-head' }, h('span', { class: 'step-icon' }, icon(PHASE_ICONS[phase.state], phaseWords(phase.state))), h('h2', {}, `${i + 1}. ${phase.name}`), h('span', { class: 'badge' }, phaseWords(phase.state))),
    );
    const body = h('div', { class: 'step-body' });
    if (phase.specs.length === 0) body.append(h('p', { class: 'missing' }, l10n.t('No spec in this phase.')));
    for (const spec of phase.specs) body.append(specCard(spec));
    step.append(body);
    steps.append(step);
  });
  const gate = h('li', { class: `step gate state-${view.gate.state === 'ready' ? 'ready' : 'waiting'}`, 'data-phase': 'Upstream PR' });
  gate.append(h('div', { class: 'step-head' }, h('span', { class: 'step-icon' }, icon('git-pull-request', l10n.t('gate'))), h('h2', {}, `${view.phases.length + 1}. ${l10n.t('Upstream PR')}`), h('span', { class: 'badge' }, view.gate.state === 'ready' ? l10n.t('ready') : l10n.t('waiting for the fix'))));
  const gateBody = h('div', { class: 'step-body' });
  const prs = h('div', { class: 'facts' });
  // Each pull request's state (from gh) with its address, which opens it.
  const prFact = (kind: 'staging' | 'upstream', pr: InvestigationView['gate']['upstreamPr']): HTMLElement => {
    const state = pr ? (pr.reviewDecision ? `${pr.state} (${pr.reviewDecision})` : pr.state) : undefined;
    const text =
      kind === 'staging'
        ? state ? l10n.t('Staging PR: {0}', state) : l10n.t('Staging PR: none')
        : state ? l10n.t('Upstream PR: {0}', state) : l10n.t('Upstream PR: none');
    const fact = h('span', { class: 'pr', 'data-pr': kind }, text);
    if (pr) {
      const link = h('button', { type: 'button', class: 'link-button', title: l10n.t('Open the pull request') }, icon('link-external'), pr.url);
      link.addEventListener('click', () => vscode.postMessage({ type: 'openUrl', url: pr.url }));
      fact.append(' ', link);
    }
    return fact;
  };
  prs.append(prFact('staging', view.gate.stagingPr), prFact('upstream', view.gate.upstreamPr));
  gateBody.append(prs);
  const gateActions = h('div', { class: 'actions' });
  gateActions.append(
    button(l10n.t('Create Staging PR'), false, () => vscode.postMessage({ type: 'gate', action: 'createStagingPr' }), { 'data-gate': 'createStagingPr' }),
    button(l10n.t('Prepare Upstream PR…'), view.gate.state === 'ready', () => vscode.postMessage({ type: 'gate', action: 'prepareUpstreamPr' }), { 'data-gate': 'prepareUpstreamPr' }),
  );
  gateBody.append(gateActions);
  gate.append(gateBody);
  steps.append(gate);
  app.append(header, status, steps);
}

window.addEventListener('message', (event: MessageEvent<InvestigationHostMessage>) => {
  const message = event.data;
  if (message.type === 'actionFailed') {
    status.textContent = message.message;
    return;
  }
  if (message.type !== 'investigation') return;
  vscode.setState({ root: message.root, key: message.view.key });
  app.removeAttribute('aria-busy');
  render(message.view);
});

vscode.postMessage({ type: 'ready' });
