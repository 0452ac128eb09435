import type { Stage } from '@attograd/attention';
import { derivations } from '@attograd/ops';
import { Tensor, unravelIndex } from '@attograd/tensor';
import { residualExperiment, rowMaxExperiment, scalingExperiment } from '../experiments';
import { mistakes } from '../mistakes';
import { askCell, computeView, entries, entryView, lossAt, type BlockView, type EntryView } from '../model';
import { isValidSeed, LIMITS, maskString, parseState, problemKey, rejectedMessage, stateToSearch, type ExplorerState } from '../state';
import { escapeHtml } from '../html';
import { TRAIN_SIZES } from '../train';
import { lineChart, ThinnedCurve } from './charts';
import { cellAt, fillHeatmaps, type HeatmapOptions, heatmap, heatmapsFilled, moveFocus, showCursor, updateHeatmaps } from './heatmap';
import { t } from './i18n';
import { mathHtml, mixedHtml } from './math';
import { dataName, mathName } from './names';

declare const WORKER_SOURCE: string;
declare const CHECK_WORKER_SOURCE: string;

/**
 * The explorer page: one state (mirrored in the URL), `computeView` on every change, and plain
 * DOM rendering into a fixed skeleton. Slow work (finite differences over every element, the
 * step-size sweep, the experiments, training) runs after the view is up or in a worker.
 */

const parsed = parseState(location.search);
let state: ExplorerState = parsed.state;
let view = undefined as unknown as BlockView;
let generation = 0;
/** What the page shows of a verdict (the check itself runs in a worker). */
interface Verdict {
  pass: boolean;
  maxRelative: number;
  worst: { name: string; index: number; hand: number; numeric: number };
}

const verdicts = new Map<string, Verdict>();
/** Verdicts by what they depend on: a change of stage, language or nudge re-checks nothing; a mistake re-checks its own entry only. */
const verdictCache = new Map<string, Verdict>();

function verdictKey(key: string): string {
  // A mistake in another entry's backward does not change this entry's verdict.
  const broken = mistakes.find((m) => m.key === state.broken && m.entry === key)?.key ?? null;
  return `${key} ${problemKey({ ...state, broken })}`;
}
const $ = (id: string): HTMLElement => document.getElementById(id)!;

interface Timing {
  compute: number;
  render: number;
  total: number;
}
declare global {
  interface Window {
    attogradTiming?: Timing;
    attogradReady?: boolean;
  }
}

function update(patch: Partial<ExplorerState> = {}, options: { controls?: boolean } = {}): void {
  const start = performance.now();
  const previous = state;
  state = { ...state, ...patch };
  // The URL follows after the frame (replaceState is a round trip to the browser process).
  const search = stateToSearch(state);
  afterPaint(() => {
    if (stateToSearch(state) === search && location.search !== search) history.replaceState(null, '', search);
  });
  // Only what a change touches is redone: the nudge alone re-renders its panel, a stage switch the walk.
  const problem = view === undefined || problemKey(previous) !== problemKey(state) || previous.lang !== state.lang;
  const walk = problem || previous.stage !== state.stage;
  if (problem) view = computeView(state, view);
  const computed = performance.now();
  if (problem) {
    verdicts.clear();
    generation += 1;
  }
  if (document.documentElement.lang !== state.lang) document.documentElement.lang = state.lang;
  if (options.controls) renderControls();
  if (problem) renderMask();
  if (walk) {
    renderNav();
    renderEntry();
  }
  renderNudge();
  const end = performance.now();
  window.attogradTiming = { compute: computed - start, render: end - computed, total: end - start };
  document.body.dataset.generation = String(generation);
  if (walk) scheduleWork();
  else refreshReady();
}

/** `window.attogradReady`: every verdict is in, every heatmap of the entry is drawn and the nudge's charts are up (for tests and the benchmark). */
function refreshReady(): void {
  window.attogradReady =
    heatmapsFilled($('entry')) && entries().every((e) => verdicts.has(e.key)) && sweep?.generation === generation && nudgeChartsDrawn();
}

/** Runs `work` once the updated view has been painted (slow work must not delay the frame). */
function afterPaint(work: () => void): void {
  // Two timer hops after the frame: a caller's own "after the paint" timer (set in the same frame) runs first.
  requestAnimationFrame(() => setTimeout(() => setTimeout(work, 0), 0));
}

/* ---------- controls ---------- */

function numberField(id: string, label: string, value: number, min: number, max: number): string {
  return `<label>${escapeHtml(label)} <input id="${id}" type="number" min="${min}" max="${max}" value="${value}"></label>`;
}

function renderControls(): void {
  const L = state.lang;
  const breakOptions = mistakes
    .map((m) => `<option value="${m.key}"${state.broken === m.key ? ' selected' : ''}>${escapeHtml(`${m.entry}: ${m.title[L]}`)}</option>`)
    .join('');
  $('title').textContent = t(L, 'title');
  $('controls').innerHTML =
    `<h2>${t(L, 'setup')}</h2><div class="row">` +
    numberField('seq', t(L, 'seq'), state.seq, 1, LIMITS.seq) +
    numberField('dmodel', t(L, 'dmodel'), state.dModel, 1, LIMITS.dModel) +
    numberField('heads', t(L, 'heads'), state.heads, 1, LIMITS.dModel) +
    numberField('seed', t(L, 'seed'), state.seed, -LIMITS.seed, LIMITS.seed) +
    `<label><input id="causal" type="checkbox"${state.causal ? ' checked' : ''}> ${t(L, 'causal')}</label>` +
    `<label>${t(L, 'precision')} <select id="dtype"><option value="float64"${state.dtype === 'float64' ? ' selected' : ''}>float64</option><option value="float32"${state.dtype === 'float32' ? ' selected' : ''}>float32</option></select></label>` +
    `<label>${t(L, 'lang')} <select id="lang"><option value="en"${L === 'en' ? ' selected' : ''}>English</option><option value="ko"${L === 'ko' ? ' selected' : ''}>한국어</option></select></label>` +
    `<label>${t(L, 'breakIt')} <select id="break"><option value="">${t(L, 'noMistake')}</option>${breakOptions}</select></label>` +
    `<a id="share" href="${escapeHtml(stateToSearch(state))}">${t(L, 'share')}</a></div><p id="control-error" role="alert"></p>`;
  renderStatic();
}

function readControls(): void {
  const value = (id: string): number => Number(($(id) as HTMLInputElement).value);
  const seq = value('seq');
  const dModel = value('dmodel');
  const heads = value('heads');
  const seed = value('seed');
  const error = $('control-error');
  const ok =
    Number.isInteger(seq) &&
    seq >= 1 &&
    seq <= LIMITS.seq &&
    Number.isInteger(dModel) &&
    dModel >= 1 &&
    dModel <= LIMITS.dModel &&
    Number.isInteger(heads) &&
    heads >= 1 &&
    dModel % heads === 0 &&
    isValidSeed(seed);
  if (!ok) {
    error.textContent =
      state.lang === 'ko'
        ? `T는 1–${LIMITS.seq}, d는 1–${LIMITS.dModel}, 헤드 수는 d의 약수, 시드는 ±${LIMITS.seed} 이내의 정수여야 합니다.`
        : `T must be 1–${LIMITS.seq}, d 1–${LIMITS.dModel}, the heads must divide d, and the seed must be an integer within ±${LIMITS.seed}.`;
    return;
  }
  error.textContent = '';
  const sizeChanged = seq !== state.seq;
  const patch: Partial<ExplorerState> = {
    seq,
    dModel,
    heads,
    seed,
    causal: ($('causal') as HTMLInputElement).checked,
    dtype: ($('dtype') as HTMLSelectElement).value === 'float32' ? 'float32' : 'float64',
    broken: ($('break') as HTMLSelectElement).value || null,
    mask: sizeChanged ? null : state.mask,
    nudgeIndex: state.nudgeIndex < seq * dModel ? state.nudgeIndex : 0,
  };
  // A blur also fires 'change': recompute (and re-render) only when something did change.
  if (Object.entries(patch).every(([key, value]) => state[key as keyof ExplorerState] === value)) return;
  update(patch);
  ($('share') as HTMLAnchorElement).href = stateToSearch(state);
}

/* ---------- mask ---------- */

let maskKey = '';

function renderMask(): void {
  const bits = maskString(state);
  // A new seed, precision or mistake leaves the mask as it is.
  if (maskKey === bits + state.lang) return;
  const sameTable = maskKey.length === bits.length + state.lang.length && maskKey.endsWith(state.lang);
  maskKey = bits + state.lang;
  if (sameTable) {
    // Same size and language: only the buttons that changed are touched.
    const buttons = $('mask').querySelectorAll<HTMLButtonElement>('[data-mask-cell]');
    for (let at = 0; at < buttons.length; at++) {
      const on = bits[at] === '1';
      const button = buttons[at];
      if ((button.getAttribute('aria-pressed') === 'true') === on) continue;
      button.setAttribute('aria-pressed', String(on));
      button.setAttribute('aria-label', `mask[${button.dataset.maskCell}] = ${on ? 1 : 0}`);
      button.textContent = on ? '1' : '0';
    }
    return;
  }
  let html = `<h2>${t(state.lang, 'mask')}</h2><table class="mask"><tbody>`;
  for (let i = 0; i < state.seq; i++) {
    html += '<tr>';
    for (let j = 0; j < state.seq; j++) {
      const on = bits[i * state.seq + j] === '1';
      html += `<td><button type="button" data-mask-cell="${i},${j}" aria-pressed="${on}" aria-label="mask[${i},${j}] = ${on ? 1 : 0}">${on ? 1 : 0}</button></td>`;
    }
    html += '</tr>';
  }
  $('mask').innerHTML = `${html}</tbody></table><button type="button" id="clear-mask">${t(state.lang, 'clearMask')}</button>`;
}

/* ---------- the registry walk ---------- */

/** The language the stage list was written in (a change of stage or problem updates it in place). */
let navLang = '';

function renderNav(): void {
  const L = state.lang;
  if (navLang !== L || document.querySelector('#nav ol') === null) {
    navLang = L;
    $('nav').innerHTML = `<h2>${t(L, 'stages')}</h2><ol>${entries()
      .map((entry) => {
        const current = entry.key === state.stage ? ' aria-current="true"' : '';
        return `<li><button type="button" data-stage-button="${entry.key}"${current}>${escapeHtml(entry.title[L])}</button> <span data-role="verdict" data-stage="${entry.key}" data-status="pending">${t(L, 'pending')}</span></li>`;
      })
      .join('')}</ol>`;
    return;
  }
  for (const button of Array.from($('nav').querySelectorAll<HTMLElement>('[data-stage-button]'))) {
    const current = button.dataset.stageButton === state.stage;
    if (current === (button.getAttribute('aria-current') === 'true')) continue;
    if (current) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
  // Verdicts of a previous problem go back to pending (the cached ones are shown again at once).
  for (const badge of Array.from($('nav').querySelectorAll<HTMLElement>('[data-role="verdict"]'))) {
    if (verdicts.has(badge.dataset.stage!) || badge.dataset.status === 'pending') continue;
    badge.dataset.status = 'pending';
    badge.removeAttribute('data-worst');
    badge.textContent = t(L, 'pending');
  }
}

function selected(): EntryView {
  const all = entries();
  return entryView(view, all.some((e) => e.key === state.stage) ? state.stage : all[0].key);
}

function derivationHtml(op: string): string {
  const d = derivations[op];
  if (d === undefined) return '';
  // The prose of the derivation in the page's language (the formulas are shared).
  const text = state.lang === 'ko' ? d.ko : d;
  const steps = text.steps.map((s) => `<li>${mixedHtml(s)}</li>`).join('');
  const backward = Object.entries(d.backward)
    .map(([input, f]) => `<li><code>${escapeHtml(input)}</code>: ${mathHtml(f)}</li>`)
    .join('');
  return `<details><summary><code>${escapeHtml(op)}</code> (${escapeHtml(d.kind)}): ${mixedHtml(text.definition)}</summary><ol>${steps}</ol><ul>${backward}</ul></details>`;
}

/** What the static part of the shown entry depends on: when it is unchanged, only the live part is redrawn. */
let entryTextKey = '';

/**
 * The shown entry. Its text, formulas, derivations and shapes (MathML is costly to lay out) are
 * rewritten only when the entry, the language or the sizes change; the live part — mistake,
 * verdict, heatmaps of values and gradients — on every change of the problem.
 */
function renderEntry(): void {
  const v = selected();
  const L = state.lang;
  const { entry } = v;
  const display = (entry as Partial<Stage>).display ?? {};
  const label = (name: string): string => display[name] ?? mathName(name);
  const tensors = Object.entries(v.inputs).filter(([, value]) => value.size > 1);
  const textKey = JSON.stringify([entry.key, L, state.seq, state.dModel, state.heads]);
  if (textKey !== entryTextKey || document.getElementById('entry-live') === null) {
    entryTextKey = textKey;
    const text = entry.explanation[L];
    const shapes = [...tensors.map(([name, value]) => [label(name), value.shape] as const), [label(v.outputName), v.output.shape] as const]
      .map(([name, shape]) => `<tr><td>${mathHtml(name)}</td><td>[${shape.join(', ')}]</td></tr>`)
      .join('');
    const backward = entry.inputNames.map((name) => `<li>${mathHtml(entry.backward[name] ?? '')}</li>`).join('');
    $('entry').innerHTML =
      `<h2 id="entry-title" data-entry="${entry.key}">${escapeHtml(entry.title[L])}</h2>` +
      `<p><strong>${t(L, 'what')}:</strong> ${escapeHtml(text.what)}</p><p><strong>${t(L, 'why')}:</strong> ${escapeHtml(text.why)}</p><p><strong>${t(L, 'result')}:</strong> ${escapeHtml(text.result)}</p>` +
      `<h3>${t(L, 'forward')}</h3><div class="formula" tabindex="0">${mathHtml(entry.forward, true)}</div>` +
      `<h3>${t(L, 'backward')}</h3><ul>${backward}</ul>` +
      `<h3>${t(L, 'derivations')}</h3>${entry.ops.map(derivationHtml).join('')}` +
      `<h3>${t(L, 'shapes')}</h3><table class="shapes"><tbody>${shapes}</tbody></table>` +
      '<div id="entry-live"></div>';
  }
  renderEntryLive(v, label);
}

/** What the live part's markup depends on besides the maps: when it is unchanged, the maps are redrawn in place. */
let liveKey = '';

function renderEntryLive(v: EntryView, label: (name: string) => string): void {
  const L = state.lang;
  const { entry } = v;
  const verdict = verdicts.get(entry.key);
  const mistake = state.broken === null ? undefined : mistakes.find((m) => m.key === state.broken && m.entry === entry.key);
  const tensors = Object.entries(v.inputs).filter(([, value]) => value.size > 1);
  const outData = v.isStage ? dataName(v.outputName) : 'out';
  const outLabel = v.isStage ? label(v.outputName) : 'out';
  const values: Array<{ t: Tensor; options: HeatmapOptions }> = [
    ...tensors.map(([name, value]) => ({ t: value, options: { name: dataName(name), label: mathHtml(label(name)) } })),
    { t: v.output, options: { name: outData, label: mathHtml(outLabel) } },
    { t: v.dOut, options: { name: `d${outData}`, label: `${mathHtml(`d${outLabel}`)} (${t(L, 'upstream')})` } },
  ];
  const grads = entry.inputNames.map((name) => ({
    t: v.hand[name],
    options: {
      name: `d${dataName(name)}`,
      label: mathHtml(`d${label(name)}`),
      gradientOf: name,
      highlight: verdict && !verdict.pass && verdict.worst.name === name ? verdict.worst.index : undefined,
    },
  }));
  const live = $('entry-live');
  // Same entry, language and mistake (a seed, mask or precision change, or a verdict arriving): the
  // figures stay, only their pictures, cells and legends are redrawn.
  const key = JSON.stringify([entry.key, L, mistake?.key ?? null]);
  if (key !== liveKey || !updateHeatmaps(live, [...values, ...grads])) {
    liveKey = key;
    const maps = (list: typeof values): string => list.map((m) => heatmap(m.t, m.options)).join('');
    live.innerHTML =
      (mistake ? `<p class="broken" role="status">✗ ${escapeHtml(mistake.title[L])}: ${mathHtml(mistake.formula)}</p>` : '') +
      `<h3>${t(L, 'verdict')}</h3><p id="verdict-detail">${verdictText(entry.key)}</p>` +
      `<h3>${t(L, 'values')}</h3><div class="maps">${maps(values)}</div>` +
      `<h3>${t(L, 'gradients')}</h3><div class="maps">${maps(grads)}</div>`;
    fillHeatmaps(live, refreshReady);
  } else {
    // Drawn first: the positions are read before anything is written (no forced layout).
    fillHeatmaps(live, refreshReady);
    const detail = verdictText(entry.key);
    if ($('verdict-detail').innerHTML !== detail) $('verdict-detail').innerHTML = detail;
  }
}

function verdictText(key: string): string {
  const verdict = verdicts.get(key);
  const L = state.lang;
  if (verdict === undefined) return t(L, 'pending');
  const w = verdict.worst;
  // The worst element by its indices, as the cells and the three-way panel name it (dSHat[0,2,1]).
  const shape = entryView(view, key).inputs[w.name]?.shape;
  const at = shape === undefined ? String(w.index) : unravelIndex(w.index, shape).join(',');
  const worst = `${t(L, 'worst')}: d${escapeHtml(dataName(w.name))}[${at}] ${t(L, 'hand')} ${w.hand.toPrecision(6)} vs ${t(L, 'numeric')} ${w.numeric.toPrecision(6)}`;
  return `${verdict.pass ? `✓ ${t(L, 'pass')}` : `✗ ${t(L, 'fail')}`} — ${t(L, 'relative')} ${verdict.maxRelative.toExponential(2)}; ${worst}`;
}

let checker: Worker | undefined;
let job = 0;

function showVerdict(key: string, verdict: Verdict): void {
  verdicts.set(key, verdict);
  const badge = document.querySelector<HTMLElement>(`[data-role="verdict"][data-stage="${key}"]`);
  if (badge) {
    badge.dataset.status = verdict.pass ? 'pass' : 'fail';
    badge.dataset.worst = `${verdict.worst.name}:${verdict.worst.index}`;
    badge.textContent = verdict.pass ? `✓ ${t(state.lang, 'pass')}` : `✗ ${t(state.lang, 'fail')}`;
  }
  if (key === selected().entry.key) {
    if (!verdict.pass) renderEntry();
    else $('verdict-detail').innerHTML = verdictText(key);
  }
  refreshReady();
}

/** One row of the nudge's step-size sweep, as the check worker sends it. */
interface SweepRow {
  eps: number;
  maxAbsError: number;
  maxRelError: number;
}
/** The step-size sweep of the current problem (`generation`), once the worker has sent it. */
let sweep: { generation: number; rows: SweepRow[] } | undefined;

/**
 * Shows the cached verdicts at once and, once the view is painted, asks the check worker for the
 * step-size sweep (when the problem changed) and the other verdicts (the shown entry first). The
 * worker takes the new job between two entries. (Replacing a busy worker instead was measured: no
 * faster change, and slower verdicts, since a new worker starts cold.)
 */
function scheduleWork(): void {
  window.attogradReady = false;
  const order = [...entries()].sort((a, b) => Number(b.key === state.stage) - Number(a.key === state.stage));
  const missing: string[] = [];
  for (const entry of order) {
    const cachedVerdict = verdictCache.get(verdictKey(entry.key));
    if (cachedVerdict !== undefined) showVerdict(entry.key, cachedVerdict);
    else missing.push(entry.key);
  }
  const needSweep = sweep?.generation !== generation;
  if (missing.length === 0 && !needSweep) return;
  job += 1;
  jobGeneration = generation;
  const mine = job;
  const asked = { ...state };
  afterPaint(() => {
    if (mine !== job) return;
    if (checker === undefined) {
      checker = new Worker(URL.createObjectURL(new Blob([CHECK_WORKER_SOURCE], { type: 'text/javascript' })));
      checker.onmessage = (event: MessageEvent<{ job: number; key?: string; verdict?: Verdict; sweep?: SweepRow[] }>) => {
        const data = event.data;
        if (data.job !== job) return;
        if (data.sweep !== undefined) {
          sweep = { generation: jobGeneration, rows: data.sweep };
          renderSweep();
        }
        if (data.key !== undefined && data.verdict !== undefined) {
          if (verdictCache.size > 500) verdictCache.clear();
          verdictCache.set(verdictKey(data.key), data.verdict);
          showVerdict(data.key, data.verdict);
        }
        refreshReady();
      };
    }
    checker.postMessage({ job: mine, state: asked, keys: missing, sweep: needSweep });
  });
}
/** The problem generation the current job was asked for. */
let jobGeneration = 0;

/* ---------- one cell, three ways ---------- */

function ask(cell: HTMLElement): void {
  const v = selected();
  const name = cell.dataset.grad!;
  const flat = Number(cell.dataset.flat);
  const answer = askCell(v, name, flat, view.dtype);
  const L = state.lang;
  const indexOf = (f: number): string => unravelIndex(f, v.output.shape).join(',');
  const terms = answer.terms
    .slice(0, 8)
    .map(
      (term) =>
        `<tr><td>${indexOf(term.outIndex)}</td><td>${term.dOut.toPrecision(4)}</td><td>${term.partial.toPrecision(4)}</td><td>${term.term.toPrecision(4)}</td></tr>`,
    )
    .join('');
  const panel = $('three-way');
  panel.dataset.hand = String(answer.hand);
  panel.dataset.autograd = String(answer.autograd);
  panel.dataset.numeric = String(answer.numeric);
  panel.dataset.tensor = cell.dataset.tensor;
  panel.dataset.index = cell.dataset.index;
  panel.innerHTML =
    `<h2>${t(L, 'threeWay')}: ${escapeHtml(cell.dataset.tensor!)}[${escapeHtml(cell.dataset.index!)}]</h2>` +
    `<dl><dt>${t(L, 'hand')}</dt><dd>${answer.hand}</dd><dt>${t(L, 'autograd')}</dt><dd>${answer.autograd}</dd><dt>${t(L, 'numeric')}</dt><dd>${answer.numeric}</dd></dl>` +
    `<p>${escapeHtml(t(L, 'terms'))}</p><table class="terms"><thead><tr><th scope="col">j</th><th scope="col">dOut_j</th><th scope="col">∂out_j/∂in</th><th scope="col">term</th></tr></thead><tbody>${terms}</tbody></table>` +
    (answer.terms.length > 8 ? `<p>… ${answer.terms.length - 8} more</p>` : '');
}

/* ---------- nudge ---------- */

function moved(index: number, delta: number): Tensor {
  const x = view.leaves.x.clone();
  x.data[index] += delta;
  return x;
}

/** What the nudge panel's structure depends on: its text and option lists (rebuilt only when it changes). */
let nudgeKey = '';
/** What the nudge's curves and step-size sweep were drawn for. */
let chartsKey = '';
let chartsQueued = false;

function renderNudge(): void {
  const L = state.lang;
  const { nudgeIndex: index, delta } = state;
  const actual = lossAt(view, moved(index, delta)) - view.loss;
  const predicted = view.dX.data[index] * delta;
  const row = Math.floor(index / state.dModel);
  const col = index % state.dModel;
  const result = `${t(L, 'trueChange')}: <strong>${actual.toPrecision(8)}</strong>; ${t(L, 'predicted')}: <strong>${predicted.toPrecision(8)}</strong>; |gap| ${Math.abs(actual - predicted).toExponential(2)}`;
  const key = `${L} ${state.seq} ${state.dModel}`;
  if (key === nudgeKey) {
    // Same labels and option lists: only the values change (the slider a learner is dragging stays the same element).
    const loss = document.querySelector<HTMLElement>('#nudge [data-role="loss"]')!;
    loss.dataset.value = String(view.loss);
    loss.textContent = view.loss.toPrecision(8);
    ($('nudge-row') as HTMLSelectElement).value = String(row);
    ($('nudge-col') as HTMLSelectElement).value = String(col);
    const slider = $('delta') as HTMLInputElement;
    if (Number(slider.value) !== delta) slider.value = String(delta);
    document.querySelector<HTMLOutputElement>('#nudge output')!.textContent = String(delta);
    const line = document.querySelector<HTMLElement>('#nudge [data-role="nudge"]')!;
    Object.assign(line.dataset, { index: String(index), delta: String(delta), true: String(actual), predicted: String(predicted) });
    line.innerHTML = result;
  } else {
    nudgeKey = key;
    const options = (n: number, at: number): string =>
      Array.from({ length: n }, (_, i) => `<option value="${i}"${i === at ? ' selected' : ''}>${i}</option>`).join('');
    $('nudge').innerHTML =
      `<h2>${t(L, 'nudge')}</h2><p>${t(L, 'loss')}: <span data-role="loss" data-value="${view.loss}">${view.loss.toPrecision(8)}</span></p>` +
      `<div class="row"><label>${t(L, 'element')} <select id="nudge-row" aria-label="row">${options(state.seq, row)}</select></label><select id="nudge-col" aria-label="column">${options(state.dModel, col)}</select>` +
      `<label>${t(L, 'delta')} <input id="delta" type="range" min="${-LIMITS.delta}" max="${LIMITS.delta}" step="0.001" value="${delta}"></label><output for="delta">${delta}</output></div>` +
      `<p data-role="nudge" data-index="${index}" data-delta="${delta}" data-true="${actual}" data-predicted="${predicted}">${result}</p><div class="maps"><div id="nudge-charts"></div><div id="nudge-sweep"></div></div>`;
    renderSweep();
  }
  // A new problem: the sweep from the worker is on its way.
  if (sweep?.generation !== generation) renderSweep();
  // The curves depend on the view, the element and the language, not on δ: a δ change keeps them.
  const charts = `${generation} ${index} ${L}`;
  // Drawn or queued for the same key (and the panel kept): nothing to redo.
  if (charts === chartsKey && ($('nudge-charts').childElementCount > 0 || chartsQueued)) return;
  chartsKey = charts;
  chartsQueued = true;
  afterPaint(() => {
    if (chartsKey !== charts) return;
    chartsQueued = false;
    renderNudgeCharts(index);
  });
}

/** Whether the nudge's curves are drawn for the current problem and element. */
function nudgeChartsDrawn(): boolean {
  return !chartsQueued && document.getElementById('nudge-charts')?.childElementCount !== 0;
}

/** The true change of the loss against the linear prediction, δ from −1 to 1 (21 forward passes, after the frame). */
function renderNudgeCharts(index: number): void {
  const deltas = Array.from({ length: 21 }, (_, i) => -1 + i * 0.1);
  const base = view.loss;
  const actual = deltas.map((d): [number, number] => [d, lossAt(view, moved(index, d)) - base]);
  const linear = deltas.map((d): [number, number] => [d, view.dX.data[index] * d]);
  const L = state.lang;
  $('nudge-charts').innerHTML = lineChart(
    `${t(L, 'trueChange')} / ${t(L, 'predicted')}`,
    [
      { label: 'L(x+δ) − L(x)', points: actual, colour: '#b35806' },
      { label: '⟨∇L, δ⟩', points: linear, colour: '#2166ac', dash: true },
    ],
    { xLabel: 'δ', yLabel: 'ΔL' },
  );
  refreshReady();
}

/** The step-size sweep (computed by the check worker for the current problem), or a note that it is on its way. */
function renderSweep(): void {
  const box = document.getElementById('nudge-sweep');
  if (box === null) return;
  const L = state.lang;
  if (sweep === undefined || sweep.generation !== generation) {
    // The last problem's sweep stays, marked as out of date, until this one's arrives.
    if (!box.hasChildNodes()) box.innerHTML = `<p>${t(L, 'sweep')}: ${t(L, 'pending')}</p>`;
    box.setAttribute('aria-busy', 'true');
    box.classList.add('stale');
    return;
  }
  box.removeAttribute('aria-busy');
  box.classList.remove('stale');
  const rows = sweep.rows;
  const points = rows.map((r): [number, number] => [r.eps, Math.max(r.maxRelError, 1e-17)]);
  box.innerHTML =
    lineChart(t(L, 'sweep'), [{ label: 'relative error', points, colour: '#542788' }], {
      logX: true,
      logY: true,
      xLabel: 'h',
      yLabel: 'error',
    }) +
    `<table class="sweep" data-role="sweep"><thead><tr><th scope="col">h</th><th scope="col">|a − n|</th><th scope="col">relative</th></tr></thead><tbody>${rows.map((r) => `<tr><td>${r.eps.toExponential(0)}</td><td>${r.maxAbsError.toExponential(2)}</td><td>${r.maxRelError.toExponential(2)}</td></tr>`).join('')}</tbody></table>`;
}

/* ---------- training ---------- */

let worker: Worker | undefined;
/** The loss curve: at most 400 points, evenly thinned as the run grows. */
const losses = new ThinnedCurve(400);

/** A progress report of the training worker. */
interface TrainReport {
  step: number;
  loss: number;
  attention: number[];
  running: boolean;
}
/** The newest report not drawn yet. */
let latestReport: TrainReport | undefined;

function renderTraining(): void {
  const report = latestReport;
  latestReport = undefined;
  if (report === undefined) return;
  const { step, loss, attention, running } = report;
  const p = new Tensor(Float64Array.from(attention), [TRAIN_SIZES.seq, TRAIN_SIZES.seq]);
  const status = $('train-status');
  status.dataset.step = String(step);
  status.dataset.loss = String(loss);
  status.dataset.running = String(running);
  status.textContent = `step ${step}, loss ${loss.toPrecision(6)}`;
  const chart = lineChart('loss', [{ label: 'MSE', points: losses.points, colour: '#b35806' }], {
    logY: true,
    xLabel: 'step',
    yLabel: 'loss',
  });
  const map = { t: p, options: { name: 'trainP', label: 'P' } };
  const trainView = $('train-view');
  if (!updateHeatmaps(trainView, [map]))
    trainView.innerHTML = `<div class="maps"><div id="train-chart"></div>${heatmap(map.t, map.options)}</div>`;
  $('train-chart').innerHTML = chart;
  fillHeatmaps(trainView);
}

function trainWorker(): Worker {
  if (worker !== undefined) return worker;
  worker = new Worker(URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' })));
  worker.onmessage = (event: MessageEvent<TrainReport>) => {
    const { step, loss } = event.data;
    const newest = losses.newest;
    if (newest === undefined || step > newest[0]) losses.add([step, loss]);
    else if (step === 0) {
      losses.clear();
      losses.add([0, loss]);
    }
    // Drawn once per frame, with the newest report (reports can come faster than frames).
    const queued = latestReport !== undefined;
    latestReport = event.data;
    if (!queued) requestAnimationFrame(renderTraining);
  };
  worker.postMessage({ type: 'reset', seed: 0 });
  return worker;
}

/* ---------- experiments ---------- */

function runExperiments(): void {
  const scaling = scalingExperiment({ draws: 10 });
  const series = (field: 'scoreSpread' | 'entropy' | 'gradNorm', scaled: boolean): Array<[number, number]> =>
    scaling.filter((r) => r.scaled === scaled).map((r) => [r.dK, r[field]]);
  const pair = (title: string, field: 'scoreSpread' | 'entropy' | 'gradNorm', logY: boolean): string =>
    lineChart(
      title,
      [
        { label: '/√d_k', points: series(field, true), colour: '#2166ac' },
        { label: 'no scaling', points: series(field, false), colour: '#b35806', dash: true },
      ],
      { logX: true, logY, xLabel: 'd_k', yLabel: field },
    );
  const rowMax = rowMaxExperiment();
  const residual = residualExperiment();
  $('experiment-results').innerHTML =
    `<div class="maps" data-role="experiment" data-experiment="scaling" data-rows="${escapeHtml(JSON.stringify(scaling))}">${pair('score spread (std of softmax input)', 'scoreSpread', true)}${pair('softmax entropy (nats)', 'entropy', false)}${pair('‖(dQ, dK)‖', 'gradNorm', true)}</div>` +
    `<table data-role="experiment" data-experiment="row-max"><caption>softmax with and without subtracting the row max</caption><thead><tr><th scope="col">offset</th><th scope="col">plain p₀</th><th scope="col">shifted p₀</th><th scope="col">max |difference|</th></tr></thead><tbody>${rowMax.map((r) => `<tr><td>${r.offset}</td><td>${r.naive}</td><td>${r.shifted}</td><td>${r.difference}</td></tr>`).join('')}</tbody></table>` +
    `<div class="maps" data-role="experiment" data-experiment="residual">${lineChart(
      '‖∂L/∂X‖ through stacked blocks',
      [
        { label: 'with residual', points: residual.map((r) => [r.depth, r.withResidual]), colour: '#2166ac' },
        { label: 'without residual', points: residual.map((r) => [r.depth, r.withoutResidual]), colour: '#b35806', dash: true },
      ],
      { logY: true, xLabel: 'depth', yLabel: '‖dX‖' },
    )}</div>`;
}

/* ---------- skeleton and events ---------- */

function renderStatic(): void {
  const L = state.lang;
  $('train').innerHTML =
    `<h2>${t(L, 'train')}</h2><p>${t(L, 'trainTask')}</p><div class="row">${(['start', 'pause', 'step', 'reset'] as const).map((w) => `<button type="button" data-train="${w}">${t(L, w)}</button>`).join('')}</div><p id="train-status" data-role="train" aria-live="polite"></p><div id="train-view"></div>`;
  $('experiments').innerHTML =
    `<h2>${t(L, 'experiments')}</h2><button type="button" id="run-experiments">${t(L, 'runExperiments')}</button><div id="experiment-results"></div>`;
  if (worker !== undefined) worker.postMessage({ type: 'pause' });
  const panel = $('three-way');
  if (panel.dataset.hand === undefined) panel.innerHTML = `<h2>${t(L, 'threeWay')}</h2><p>${t(L, 'askHint')}</p>`;
}

function wire(): void {
  const controls = $('controls');
  controls.addEventListener('change', (event) => {
    const target = event.target as HTMLElement;
    if (target.id === 'lang') {
      update({ lang: ($('lang') as HTMLSelectElement).value === 'ko' ? 'ko' : 'en' }, { controls: true });
      return;
    }
    readControls();
  });
  document.addEventListener('click', (event) => {
    const target = (event.target as HTMLElement).closest<HTMLElement>('button');
    if (target === null) return;
    if (target.dataset.maskCell !== undefined) {
      const [i, j] = target.dataset.maskCell.split(',').map(Number);
      const bits = maskString(state).split('');
      const at = i * state.seq + j;
      bits[at] = bits[at] === '1' ? '0' : '1';
      update({ mask: bits.join('') });
      document.querySelector<HTMLElement>(`[data-mask-cell="${i},${j}"]`)?.focus();
    } else if (target.id === 'clear-mask') update({ mask: null });
    else if (target.dataset.stageButton !== undefined) {
      update({ stage: target.dataset.stageButton });
      document.querySelector<HTMLElement>(`[data-stage-button="${target.dataset.stageButton}"]`)?.focus();
    } else if (target.dataset.train !== undefined) trainWorker().postMessage({ type: target.dataset.train, seed: 0 });
    else if (target.id === 'run-experiments') runExperiments();
  });
  // A gradient cell answers when the pointer is over it on its canvas, or when it has the keyboard focus.
  let pointed: HTMLElement | null = null;
  $('entry').addEventListener('mousemove', (event) => {
    const canvas = (event.target as HTMLElement).closest('canvas');
    const cell = canvas === null ? null : cellAt(canvas, event.clientX, event.clientY);
    if (cell === pointed) return;
    pointed = cell;
    showCursor(cell);
    if (cell?.dataset.grad !== undefined) ask(cell);
  });
  $('entry').addEventListener('mouseleave', () => {
    pointed = null;
    showCursor(null);
  });
  $('entry').addEventListener('focusin', (event) => {
    const cell = (event.target as HTMLElement).closest<HTMLElement>('td[data-tensor]');
    if (cell === null) return;
    showCursor(cell);
    if (cell.dataset.grad !== undefined) ask(cell);
  });
  $('entry').addEventListener('keydown', moveFocus);
  $('nudge').addEventListener('input', (event) => {
    const target = event.target as HTMLInputElement;
    if (target.id === 'delta') {
      update({ delta: Number(target.value) });
      // The slider is kept in place by a δ change; focus it again only if it was rebuilt.
      if (document.activeElement !== target && !target.isConnected) ($('delta') as HTMLInputElement).focus();
    }
  });
  $('nudge').addEventListener('change', (event) => {
    const id = (event.target as HTMLElement).id;
    if (id === 'nudge-row' || id === 'nudge-col') {
      const row = Number(($('nudge-row') as HTMLSelectElement).value);
      const col = Number(($('nudge-col') as HTMLSelectElement).value);
      update({ nudgeIndex: row * state.dModel + col });
    }
  });
}

renderControls();
wire();
update();
// A shared link's parameters the page could not use are said, not silently replaced.
$('control-error').textContent = rejectedMessage(parsed.rejected, state.lang);
