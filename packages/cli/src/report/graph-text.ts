import { nodeLabel, nodesByStage, type ComputationGraph, type GraphNode } from './graph';

/** Options of `graphToDot` and `graphToMermaid`. */
export interface GraphTextOptions {
  /** Add each op's backward rule to its label. Default true. */
  readonly rules?: boolean;
  /** Display text of a stage label (e.g. a translated title). Default: the label itself. */
  readonly stageTitle?: (stage: string) => string;
}

/**
 * The graph in Graphviz DOT: one box per op (name, output shape, backward rule), ellipses for
 * leaves, one cluster per stage label, edges from inputs to outputs.
 *
 * @example
 * console.log(graphToDot(recordedGraph([y]))) // pipe into `dot -Tsvg`
 */
export function graphToDot(graph: ComputationGraph, options: GraphTextOptions = {}): string {
  const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const nodeLine = (node: GraphNode): string => {
    const shape = node.op === null ? 'ellipse' : 'box';
    const style = node.constant ? ', style=dashed' : '';
    return `    ${node.id} [label=${quote(fullLabel(node, options))}, shape=${shape}${style}];`;
  };
  const lines = ['digraph attograd {', '  rankdir=TB;', '  node [fontname="Helvetica", fontsize=11];'];
  let cluster = 0;
  for (const [stage, nodes] of nodesByStage(graph)) {
    if (stage === '') {
      lines.push(...nodes.map((node) => nodeLine(node).slice(2)));
      continue;
    }
    lines.push(`  subgraph cluster_${cluster++} {`, `    label=${quote(options.stageTitle?.(stage) ?? stage)};`, '    style=rounded;');
    lines.push(...nodes.map(nodeLine), '  }');
  }
  lines.push(...graph.edges.map((edge) => `  ${edge.from} -> ${edge.to};`), '}');
  return lines.join('\n');
}

/**
 * The graph as a Mermaid flowchart (renders on GitHub inside a ```mermaid block): one subgraph per
 * stage label, op nodes as boxes with name, shape and backward rule, leaves as rounded nodes.
 *
 * @example
 * console.log(graphToMermaid(recordedGraph([y])))
 */
export function graphToMermaid(graph: ComputationGraph, options: GraphTextOptions = {}): string {
  const text = (value: string): string => `"${value.replace(/"/g, '#quot;').replace(/\n/g, '<br/>')}"`;
  const nodeLine = (node: GraphNode, indent: string): string =>
    node.op === null ? `${indent}${node.id}(${text(fullLabel(node, options))})` : `${indent}${node.id}[${text(fullLabel(node, options))}]`;
  const lines = ['flowchart TD'];
  let group = 0;
  for (const [stage, nodes] of nodesByStage(graph)) {
    if (stage === '') {
      lines.push(...nodes.map((node) => nodeLine(node, '  ')));
      continue;
    }
    lines.push(
      `  subgraph s${group++}[${text(options.stageTitle?.(stage) ?? stage)}]`,
      ...nodes.map((node) => nodeLine(node, '    ')),
      '  end',
    );
  }
  lines.push(...graph.edges.map((edge) => `  ${edge.from} --> ${edge.to}`));
  return lines.join('\n');
}

function fullLabel(node: GraphNode, options: GraphTextOptions): string {
  const label = nodeLabel(node);
  return (options.rules ?? true) && node.rule !== undefined ? `${label}\n${node.rule}` : label;
}
