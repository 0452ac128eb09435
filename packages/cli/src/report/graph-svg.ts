import { formatShape } from '@attograd/tensor';
import type { ComputationGraph, GraphNode } from './graph';
import { escapeHtml } from './html-page';

const BOX = { width: 168, height: 50, gapX: 18, gapY: 34 };
const STAGE_COLORS = ['#e8eefc', '#fdeee6', '#e6f5ef', '#f6ebfa', '#fdf6dc', '#e6f3f8', '#f3f3f3'];

/**
 * The recorded graph drawn as inline SVG, top to bottom: each node sits one layer below its
 * deepest input, boxes for ops (op, output shape, stage), rounded boxes for leaves, and the op's
 * backward rule as a tooltip. Each node is a `<g class="graph-node" data-node="n3" data-op="softmax">`.
 *
 * @example
 * graphSvg(recordedGraph([trace.y], names), { stageTitle: (s) => titles[s] })
 */
export function graphSvg(graph: ComputationGraph, options: { stageTitle?: (stage: string) => string } = {}): string {
  const layers = layerNodes(graph);
  const widest = Math.max(1, ...layers.map((layer) => layer.length));
  const width = widest * (BOX.width + BOX.gapX) + BOX.gapX;
  const height = layers.length * (BOX.height + BOX.gapY) + BOX.gapY;
  const position = new Map<string, { x: number; y: number }>();
  layers.forEach((layer, depth) => {
    const offset = (width - layer.length * (BOX.width + BOX.gapX) + BOX.gapX) / 2;
    layer.forEach((node, i) =>
      position.set(node.id, { x: offset + i * (BOX.width + BOX.gapX), y: BOX.gapY + depth * (BOX.height + BOX.gapY) }),
    );
  });
  const stages = [...new Set(graph.nodes.map((node) => node.stage).filter((s): s is string => s !== undefined))];
  const edges = graph.edges.map((edge) => {
    const [from, to] = [position.get(edge.from)!, position.get(edge.to)!];
    return `<line class="graph-edge" x1="${from.x + BOX.width / 2}" y1="${from.y + BOX.height}" x2="${to.x + BOX.width / 2}" y2="${to.y - 2}" stroke="#888" stroke-width="1.2" marker-end="url(#attograd-arrow)"/>`;
  });
  const boxes = graph.nodes.map((node) => nodeSvg(node, position.get(node.id)!, stages, options.stageTitle));
  return `<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="computation graph" data-nodes="${graph.nodes.length}" data-edges="${graph.edges.length}">
<defs><marker id="attograd-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>
${edges.join('\n')}
${boxes.join('\n')}
</svg>`;
}

function nodeSvg(node: GraphNode, at: { x: number; y: number }, stages: readonly string[], stageTitle?: (stage: string) => string): string {
  const stageIndex = node.stage === undefined ? -1 : stages.indexOf(node.stage);
  const fill = node.op === null ? '#ffffff' : STAGE_COLORS[stageIndex < 0 ? STAGE_COLORS.length - 1 : stageIndex % STAGE_COLORS.length];
  const radius = node.op === null ? 18 : 4;
  const title = node.op === null ? node.name : node.name === node.op ? node.op : `${node.name} = ${node.op}`;
  const detail =
    node.stage === undefined ? formatShape(node.shape) : `${formatShape(node.shape)} · ${stageTitle?.(node.stage) ?? node.stage}`;
  const tooltip = [title, detail, node.rule === undefined ? '' : `backward: ${node.rule}`].filter(Boolean).join('\n');
  const [cx, top] = [at.x + BOX.width / 2, at.y];
  return `<g class="graph-node" data-node="${node.id}" data-op="${escapeHtml(node.op ?? 'leaf')}"${node.stage === undefined ? '' : ` data-stage="${escapeHtml(node.stage)}"`}><title>${escapeHtml(tooltip)}</title>
<rect x="${at.x}" y="${top}" width="${BOX.width}" height="${BOX.height}" rx="${radius}" fill="${fill}" stroke="${node.constant ? '#aaa' : '#556'}"${node.constant ? ' stroke-dasharray="4 3"' : ''}/>
<text x="${cx}" y="${top + 20}" font-size="12" font-weight="600" text-anchor="middle">${escapeHtml(clip(title, 24))}</text>
<text x="${cx}" y="${top + 37}" font-size="10" text-anchor="middle" fill="#555">${escapeHtml(clip(detail, 30))}</text></g>`;
}

function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/**
 * Layers of a layered drawing: a node's layer is one more than its deepest input's. Within a
 * layer, nodes are ordered by the mean position of their inputs (fewer crossing edges).
 */
function layerNodes(graph: ComputationGraph): GraphNode[][] {
  const depth = new Map<string, number>();
  const inputsOf = new Map<string, string[]>();
  for (const edge of graph.edges) inputsOf.set(edge.to, [...(inputsOf.get(edge.to) ?? []), edge.from]);
  // Nodes are in topological order, so every input's depth is known before the node's.
  for (const node of graph.nodes) {
    const inputs = inputsOf.get(node.id) ?? [];
    depth.set(node.id, inputs.length === 0 ? 0 : 1 + Math.max(...inputs.map((id) => depth.get(id) ?? 0)));
  }
  // A leaf sits just above its first consumer (γ and β beside the layer norm, not at the top).
  for (const node of graph.nodes) {
    const consumers = graph.edges.filter((edge) => edge.from === node.id).map((edge) => depth.get(edge.to)!);
    if (!inputsOf.has(node.id) && consumers.length > 0) depth.set(node.id, Math.min(...consumers) - 1);
  }
  const layers: GraphNode[][] = [];
  for (const node of graph.nodes) (layers[depth.get(node.id)!] ??= []).push(node);
  const order = new Map<string, number>();
  layers.forEach((layer, d) => {
    if (d > 0) {
      const center = (node: GraphNode): number => {
        const inputs = inputsOf.get(node.id) ?? [];
        return inputs.reduce((total, id) => total + (order.get(id) ?? 0), 0) / Math.max(1, inputs.length);
      };
      layer.sort((a, b) => center(a) - center(b));
    }
    layer.forEach((node, i) => order.set(node.id, i - layer.length / 2));
  });
  return layers.filter((layer) => layer !== undefined);
}
