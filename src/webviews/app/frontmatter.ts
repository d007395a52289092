// The frontmatter editor's browser side: a form over the draft, validated by the host after each
// change. It keeps the draft in setState so a reload of the window does not lose it. Every control
// has a label; everything is reachable with Tab and works with Enter/Space.
import type { FieldIssue, FormValidation, FormValues, FrontmatterHostMessage, FrontmatterPanelState, ReadOnlyField } from '../protocol';
import { APPROVAL_STATUSES, FORM_LAYOUT, LIST_FORM_FIELDS, type FieldsOf, type ListFormField, type ReferenceField } from '../../core/spec/fields';
import { clear, h, icon, iconButton, vscodeApi } from './lib/dom';
import { l10n } from './lib/l10n';

type InitMessage = Extract<FrontmatterHostMessage, { type: 'init' }>;
type FieldDef = (typeof FORM_LAYOUT)[number];

const vscode = vscodeApi<FrontmatterPanelState>();
const app = document.getElementById('app')!;

let init: InitMessage | undefined;
let base: FormValues | undefined;
let draft: FormValues | undefined;
let validation: FormValidation | undefined;
let validatedFor = '';
let conflict: { theirs: FormValues; reason: string } | undefined;
let statusText = '';
let saving = false;

function clone(values: FormValues): FormValues {
  return JSON.parse(JSON.stringify(values)) as FormValues;
}

function key(values: FormValues | undefined): string {
  return JSON.stringify(values ?? null);
}

function dirty(): boolean {
  return draft !== undefined && base !== undefined && key(draft) !== key(base);
}

function persist(): void {
  if (!init) return;
  const state: FrontmatterPanelState = { specId: init.specId, root: init.root };
  if (dirty() && draft && base) {
    state.draft = draft;
    state.base = base;
  }
  vscode.setState(state);
}

function changed(note = ''): void {
  if (!draft) return;
  statusText = note;
  persist();
  vscode.postMessage({ type: 'edit', values: draft });
  render();
}

// -------------------------------------------------------------------------------------------------
// Rendering

function issuesFor(field: keyof FormValues, item?: number): FieldIssue[] {
  if (!validation || validatedFor !== key(draft)) return [];
  return validation.issues.filter((issue) => issue.field === field && (item === undefined ? issue.item === undefined : issue.item === item));
}

function issueList(id: string, issues: FieldIssue[]): HTMLElement {
  const list = h('div', { class: 'issues', id, role: issues.length ? 'alert' : undefined });
  for (const issue of issues) {
    list.append(h('div', { class: `issue ${issue.severity}` }, icon(issue.severity === 'error' ? 'error' : 'warning'), ' ', issue.message));
  }
  return list;
}

function field(id: string, label: string, control: HTMLElement, extra?: HTMLElement, hint?: string): HTMLElement {
  return h(
    'div',
    { class: 'field', id: `field-${id}` },
    h('label', { for: `input-${id}`, class: 'field-label' }, label),
    hint ? h('div', { class: 'hint', id: `hint-${id}` }, hint) : undefined,
    control,
    extra,
  );
}

function select(id: string, options: string[], value: string, onChange: (value: string) => void, describedBy?: string): HTMLSelectElement {
  const el = h('select', { id: `input-${id}`, 'aria-describedby': describedBy });
  const values = options.includes(value) ? options : [value, ...options];
  for (const option of values) el.append(h('option', { value: option, selected: option === value }, option));
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

/** Inputs not bound to the draft (the "add" boxes and pickers): their content survives a re-render. */
const TRANSIENT = new Set(LIST_FORM_FIELDS.map((key) => `input-${key}`));

function render(): void {
  // Validation replies re-render the form while the user may be typing or choosing: keep what is
  // in the add boxes, and the focused control's text and caret.
  const active = document.activeElement as HTMLInputElement | HTMLSelectElement | null;
  const focused = active?.id;
  const kept = new Map<string, string>();
  for (const el of app.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input[id], select[id]')) {
    if (TRANSIENT.has(el.id) || el.id === focused) kept.set(el.id, el.value);
  }
  const caret = active instanceof HTMLInputElement && active.type === 'text' ? [active.selectionStart, active.selectionEnd] : undefined;
  clear(app);
  app.removeAttribute('aria-busy');
  if (!init || !draft || !base) {
    app.append(h('p', { class: 'muted' }, l10n.t('Loading…')));
    return;
  }
  const errors = validation && validatedFor === key(draft) ? validation.issues.filter((i) => i.severity === 'error').length : 0;
  const validated = validation !== undefined && validatedFor === key(draft);
  const canSave = dirty() && validated && validation!.valid && !saving && !conflict;

  const header = h(
    'header',
    { class: 'header' },
    h('div', { class: 'title-block' }, h('h1', {}, init.title), h('div', { class: 'subtitle' }, icon('file'), ' ', init.relativePath)),
    h('div', { class: 'actions' }),
  );
  const saveButton = h('button', { type: 'button', id: 'save', class: 'primary', disabled: !canSave }, icon('save'), ` ${l10n.t('Save')}`);
  saveButton.addEventListener('click', save);
  const revertButton = h('button', { type: 'button', id: 'revert', class: 'secondary', disabled: !dirty() }, icon('discard'), ` ${l10n.t('Revert')}`);
  revertButton.addEventListener('click', () => {
    draft = clone(base!);
    changed(l10n.t('Edits discarded.'));
  });
  const openButton = iconButton('go-to-file', l10n.t('Open the spec file'), () => vscode.postMessage({ type: 'openSpec', specId: init!.specId }));
  header.querySelector('.actions')!.append(openButton, revertButton, saveButton);
  app.append(header);

  if (conflict) {
    const reload = h('button', { type: 'button', id: 'conflict-reload', class: 'secondary' }, l10n.t('Reload (discard my edits)'));
    reload.addEventListener('click', () => {
      conflict = undefined;
      vscode.postMessage({ type: 'reload' });
    });
    const apply = h('button', { type: 'button', id: 'conflict-apply', class: 'primary' }, l10n.t('Apply my edits on top'));
    apply.addEventListener('click', () => {
      const values = draft!;
      conflict = undefined;
      vscode.postMessage({ type: 'applyOnTop', values });
    });
    app.append(h('div', { class: 'banner warning', role: 'alert', id: 'conflict' }, icon('warning'), ' ', h('span', {}, `${conflict.reason} ${l10n.t('Your edits are not saved.')}`), reload, apply));
  }

  const summary = !validated
    ? l10n.t('Checking…')
    : errors > 0
      ? errors === 1
        ? l10n.t('1 error: fix it to save.')
        : l10n.t('{0} errors: fix them to save.', errors)
      : dirty()
        ? l10n.t('Unsaved changes.')
        : l10n.t('No changes.');
  app.append(h('div', { class: 'status', id: 'status', role: 'status', 'aria-live': 'polite' }, statusText ? `${statusText} ` : '', summary));

  const form = h('form', { class: 'form', 'aria-label': l10n.t('Frontmatter fields') });
  form.addEventListener('submit', (e) => e.preventDefault());

  // The registry's form fields in its order; consecutive selects (type, status) share a row.
  let row: HTMLElement | undefined;
  for (const def of FORM_LAYOUT) {
    const el = fieldControl(def);
    if (def.form.control !== 'select') {
      row = undefined;
      form.append(el);
      continue;
    }
    if (!row) form.append((row = h('div', { class: 'row' })));
    row.append(el);
  }
  app.append(form);
  app.append(readOnlySection(init.readOnly));

  for (const [id, value] of kept) {
    const el = document.getElementById(id) as HTMLInputElement | HTMLSelectElement | null;
    if (!el || el.type === 'checkbox') continue;
    if (el instanceof HTMLSelectElement && ![...el.options].some((o) => o.value === value)) continue;
    el.value = value;
  }
  if (focused) {
    const el = document.getElementById(focused) as HTMLInputElement | null;
    el?.focus();
    if (el && caret && el.type === 'text' && caret[0] !== null) el.setSelectionRange(caret[0], caret[1]);
  }
}

/**
 * A label or hint of the field registry (core/spec/fields.ts), translated: scripts/l10n.mjs puts the
 * registry's form texts in the bundle.
 */
function formText(text: string): string {
  return l10n.t(text); // l10n-exempt: the registry's form texts, collected by scripts/l10n.mjs
}

/** One form field, by the control the registry gives it. */
function fieldControl(def: FieldDef): HTMLElement {
  switch (def.form.control) {
    case 'select':
      return selectField(def.key as FieldsOf<'select'>, formText(def.form.label), 'values' in def ? [...def.values] : []);
    case 'chips':
      return labelsField();
    case 'specs':
      return dependsOnField();
    case 'references':
      return referenceField(def.key as ReferenceField, formText(def.form.label), 'hint' in def.form ? formText(def.form.hint) : '');
    case 'prompt':
      return promptField();
    case 'approval':
      return approvalField();
  }
}

function selectField(fieldKey: FieldsOf<'select'>, label: string, options: string[]): HTMLElement {
  const issues = `issues-${fieldKey}`;
  const control = select(fieldKey, options, draft![fieldKey], (v) => ((draft![fieldKey] = v), changed()), issues);
  return field(fieldKey, label, control, issueList(issues, issuesFor(fieldKey)));
}

function chip(text: string, removeLabel: string, onRemove: () => void, issues: FieldIssue[], id: string, extra?: string): HTMLElement {
  const severity = issues.some((i) => i.severity === 'error') ? 'error' : issues.length ? 'warning' : '';
  const el = h(
    'li',
    { class: `chip ${severity}`, title: issues.map((i) => i.message).join('\n') || undefined },
    h('span', { class: 'chip-text' }, text),
    extra ? h('span', { class: 'chip-extra' }, extra) : undefined,
  );
  el.append(iconButton('close', removeLabel, onRemove, { id, class: 'icon-button chip-remove' }));
  return el;
}

function labelsField(): HTMLElement {
  const list = h('ul', { class: 'chips', 'aria-label': l10n.t('Labels') });
  draft!.labels.forEach((label, i) => {
    list.append(chip(label, l10n.t('Remove label {0}', label), () => (draft!.labels.splice(i, 1), changed()), issuesFor('labels', i), `remove-labels-${i}`));
  });
  const input = h('input', { id: 'input-labels', type: 'text', list: 'label-options', placeholder: l10n.t('Add a label…'), autocomplete: 'off', 'aria-describedby': 'issues-labels' });
  const datalist = h('datalist', { id: 'label-options' });
  for (const label of init!.options.labels) if (!draft!.labels.includes(label)) datalist.append(h('option', { value: label }));
  const add = (): void => {
    const value = input.value.trim();
    if (!value) return;
    for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) if (!draft!.labels.includes(part)) draft!.labels.push(part);
    input.value = '';
    changed();
    document.getElementById('input-labels')?.focus();
  };
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      add();
    }
  });
  const addButton = h('button', { type: 'button', class: 'secondary', id: 'add-label' }, icon('add'), ` ${l10n.t('Add')}`);
  addButton.addEventListener('click', add);
  const itemIssues = draft!.labels.flatMap((_, i) => issuesFor('labels', i));
  return field('labels', l10n.t('Labels'), h('div', {}, list, h('div', { class: 'add-row' }, input, datalist, addButton)), issueList('issues-labels', [...issuesFor('labels'), ...itemIssues]));
}

function dependsOnField(): HTMLElement {
  const specs = new Map(init!.options.specs.map((spec) => [spec.id, spec]));
  const list = h('ul', { class: 'chips deps', 'aria-label': l10n.t('Dependencies') });
  draft!.depends_on.forEach((id, i) => {
    const spec = specs.get(id);
    const extra = spec ? `${spec.title || l10n.t('(untitled)')} · ${spec.status}` : undefined;
    list.append(chip(id, l10n.t('Remove dependency {0}', id), () => (draft!.depends_on.splice(i, 1), changed()), issuesFor('depends_on', i), `remove-depends_on-${i}`, extra));
  });
  const picker = h('select', { id: 'input-depends_on', 'aria-describedby': 'issues-depends_on' });
  picker.append(h('option', { value: '' }, l10n.t('Choose a spec to depend on…')));
  for (const spec of init!.options.specs) {
    if (draft!.depends_on.includes(spec.id)) continue;
    picker.append(h('option', { value: spec.id }, `${spec.title || l10n.t('(untitled)')} — ${spec.status} (${spec.id})`));
  }
  const add = (): void => {
    if (!picker.value) return;
    draft!.depends_on.push(picker.value);
    changed();
    document.getElementById('input-depends_on')?.focus();
  };
  const addButton = h('button', { type: 'button', class: 'secondary', id: 'add-depends_on' }, icon('add'), ` ${l10n.t('Add')}`);
  addButton.addEventListener('click', add);
  const itemIssues = draft!.depends_on.flatMap((_, i) => issuesFor('depends_on', i));
  const cycle = validation && validatedFor === key(draft) ? validation.cycle : undefined;
  return field(
    'depends_on',
    l10n.t('Depends on'),
    h('div', {}, list, h('div', { class: 'add-row' }, picker, addButton), cycle ? h('div', { class: 'cycle', id: 'cycle' }, icon('sync'), ` ${l10n.t('Cycle: {0}', cycle.join(' → '))}`) : undefined),
    issueList('issues-depends_on', [...issuesFor('depends_on'), ...itemIssues.filter((i) => !cycle || !i.cycle)]),
    l10n.t('Full ids of specs that must complete first'),
  );
}

const KIND_ICONS: Record<string, string> = { file: 'file', glob: 'files', url: 'link', spec: 'note', derived: 'symbol-key' };

function referenceField(fieldKey: ReferenceField, label: string, hint: string): HTMLElement {
  const items = draft![fieldKey];
  const infos = validation && validatedFor === key(draft) ? (validation.references[fieldKey] ?? []) : [];
  const list = h('ul', { class: 'refs', 'aria-label': label });
  items.forEach((entry, i) => {
    const info = infos[i];
    const issues = issuesFor(fieldKey, i);
    const inputId = `input-${fieldKey}-${i}`;
    const input = h('input', { type: 'text', id: inputId, value: entry, 'aria-label': l10n.t('{0} entry {1}', label, i + 1), 'aria-describedby': `issues-${fieldKey}-${i}` });
    input.addEventListener('change', () => {
      draft![fieldKey][i] = input.value;
      changed();
    });
    const mark =
      info?.exists === true
        ? icon('pass', l10n.t('exists'))
        : info?.exists === false
          ? icon('warning', l10n.t('not found'))
          : info
            ? h('span', { class: 'kind-text' }, info.kind)
            : undefined;
    const row = h('li', { class: `ref ${issues.some((x) => x.severity === 'error') ? 'error' : ''}` }, icon(KIND_ICONS[info?.kind ?? 'file'] ?? 'file'), input, h('span', { class: 'mark' }, mark ?? ''));
    if (info && (info.kind === 'file' || info.kind === 'spec') && info.exists) {
      row.append(iconButton('go-to-file', l10n.t('Open {0}', entry), () => vscode.postMessage({ type: 'openFile', path: entry.trim() })));
    }
    row.append(iconButton('close', l10n.t('Remove {0}', entry), () => (draft![fieldKey].splice(i, 1), changed()), { id: `remove-${fieldKey}-${i}` }));
    list.append(row, issueList(`issues-${fieldKey}-${i}`, issues));
  });
  const input = h('input', { type: 'text', id: `input-${fieldKey}`, placeholder: l10n.t('path, glob or URL…'), 'aria-describedby': `hint-${fieldKey}` });
  const add = (): void => {
    const value = input.value.trim();
    if (!value) return;
    draft![fieldKey].push(value);
    input.value = '';
    changed();
    document.getElementById(`input-${fieldKey}`)?.focus();
  };
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      add();
    }
  });
  const addButton = h('button', { type: 'button', class: 'secondary', id: `add-${fieldKey}` }, icon('add'), ` ${l10n.t('Add')}`);
  addButton.addEventListener('click', add);
  const browse = h('button', { type: 'button', class: 'secondary', id: `browse-${fieldKey}` }, icon('folder-opened'), ` ${l10n.t('Browse…')}`);
  browse.addEventListener('click', () => vscode.postMessage({ type: 'pickFile', field: fieldKey }));
  return field(fieldKey, label, h('div', {}, list, h('div', { class: 'add-row' }, input, addButton, browse)), issueList(`issues-${fieldKey}`, issuesFor(fieldKey)), hint);
}

function promptField(): HTMLElement {
  const options = ['', ...init!.options.prompts];
  const el = h('select', { id: 'input-prompt', 'aria-describedby': 'issues-prompt' });
  const values = options.includes(draft!.prompt) ? options : [...options, draft!.prompt];
  for (const option of values) el.append(h('option', { value: option, selected: option === draft!.prompt }, option === '' ? l10n.t('(project default)') : option));
  el.addEventListener('change', () => {
    draft!.prompt = el.value;
    changed();
  });
  return field('prompt', l10n.t('Prompt'), el, issueList('issues-prompt', issuesFor('prompt')), l10n.t('A template from .chant/prompts/'));
}

function approvalField(): HTMLElement {
  const approval = draft!.approval;
  const checkbox = h('input', { type: 'checkbox', id: 'input-approval', checked: approval?.required === true });
  checkbox.addEventListener('change', () => {
    draft!.approval = checkbox.checked ? { required: true, status: draft!.approval?.status ?? 'pending' } : draft!.approval && base!.approval ? { ...draft!.approval, required: false } : null;
    changed();
  });
  const wrap = h('div', { class: 'approval' }, h('label', { class: 'inline' }, checkbox, ` ${l10n.t('Requires approval before work starts')}`));
  if (approval) {
    const statusLabel = h('label', { for: 'input-approval-status', class: 'inline-label' }, l10n.t('Approval status'));
    wrap.append(statusLabel, select('approval-status', [...APPROVAL_STATUSES], approval.status, (v) => ((draft!.approval = { ...draft!.approval!, status: v }), changed()), 'issues-approval'));
  }
  const el = h('div', { class: 'field', id: 'field-approval' }, h('div', { class: 'field-label', id: 'label-approval' }, l10n.t('Approval')), wrap, issueList('issues-approval', issuesFor('approval')));
  return el;
}

function readOnlySection(fields: ReadOnlyField[]): HTMLElement {
  const section = h('section', { class: 'readonly', 'aria-labelledby': 'readonly-heading' }, h('h2', { id: 'readonly-heading' }, l10n.t('Managed by chant')));
  if (fields.length === 0) {
    section.append(h('p', { class: 'muted' }, l10n.t('No other fields.')));
    return section;
  }
  const list = h('dl', {});
  for (const f of fields) {
    list.append(h('dt', {}, f.key, f.unknown ? h('span', { class: 'badge', title: l10n.t('chant does not know this field; it is kept as is here and dropped by the next chant write') }, l10n.t('unknown')) : undefined));
    list.append(h('dd', {}, f.text || '—'));
  }
  section.append(list);
  return section;
}

function save(): void {
  if (!init || !draft) return;
  saving = true;
  statusText = l10n.t('Saving…');
  render();
  vscode.postMessage({ type: 'save', specId: init.specId, values: draft });
}

// -------------------------------------------------------------------------------------------------
// Messages

window.addEventListener('message', (event: MessageEvent<FrontmatterHostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      init = message;
      base = clone(message.values);
      draft = clone(message.draft ?? message.values);
      conflict = undefined;
      saving = false;
      persist();
      render();
      break;
    case 'validation':
      validation = message.validation;
      validatedFor = key(message.forValues);
      render();
      break;
    case 'conflict':
      conflict = { theirs: message.theirs, reason: message.reason };
      saving = false;
      statusText = '';
      render();
      break;
    case 'saved':
      base = clone(message.values);
      draft = clone(message.values);
      saving = false;
      statusText = message.message;
      persist();
      render();
      break;
    case 'saveFailed':
      saving = false;
      statusText = message.message;
      render();
      break;
    case 'pickedFiles': {
      const fieldKey = message.field as ListFormField;
      if (draft && Array.isArray(draft[fieldKey])) {
        for (const p of message.paths) if (!draft[fieldKey].includes(p)) draft[fieldKey].push(p);
        changed();
      }
      break;
    }
  }
});

// Ctrl+S / Cmd+S saves the form (the workbench would otherwise try to save an editor it does not have).
window.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 's') {
    e.preventDefault();
    const button = document.getElementById('save') as HTMLButtonElement | null;
    if (button && !button.disabled) save();
  }
});

const saved = vscode.getState();
vscode.postMessage(saved?.draft && saved.base ? { type: 'ready', draft: saved.draft, base: saved.base } : { type: 'ready' });
render();
