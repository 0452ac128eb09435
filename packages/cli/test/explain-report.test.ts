import { derivations, matmul, matmulTransposed, softmax, scale } from '@attograd/ops';
import { randn, rng, tensor, withLabel, zeros } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import {
  colorScale,
  escapeHtml,
  graphSvg,
  graphToDot,
  graphToMermaid,
  heatmapSvg,
  lineChartSvg,
  recordedGraph,
  renderPage,
  sweepChartSvg,
} from '../src/report/index';

const count = (text: string, pattern: RegExp): number => (text.match(pattern) ?? []).length;

describe('heatmapSvg', () => {
  it('draws one data-cell per element, rows × cols, leading axes stacked', () => {
    const random = rng(1);
    for (const shape of [[3, 4], [1, 5], [2, 3, 4], [7]]) {
      const svg = heatmapSvg(randn(shape, { rng: random }), { title: 'm' });
      const cols = shape[shape.length - 1];
      const rows = shape.reduce((a, b) => a * b, 1) / cols;
      expect(count(svg, /data-cell="/g)).toBe(rows * cols);
      expect(svg).toContain(`data-rows="${rows}" data-cols="${cols}"`);
    }
  });

  it('stores each value and its coordinates in the cell', () => {
    const svg = heatmapSvg(
      tensor([
        [1.5, -2],
        [0, 3],
      ]),
      { title: 'S' },
    );
    expect(svg).toContain('data-cell="0,1" data-value="-2"');
    expect(svg).toContain('data-cell="1,1" data-value="3"');
  });

  it('escapes the title and greys out masked (−∞) entries', () => {
    const svg = heatmapSvg([[1, -Infinity]], { title: '<P & Q>' });
    expect(svg).toContain('&lt;P &amp; Q&gt;');
    expect(svg).toMatch(/data-value="-Infinity"[^>]*fill="rgb\(200,200,200\)"/);
  });
});

describe('colorScale', () => {
  it('is symmetric around zero when diverging, zero is the white midpoint', () => {
    const scale = colorScale([-1, 0.5, 4], true);
    expect([scale.min, scale.max]).toEqual([-4, 4]);
    expect(scale.color(0)).toBe('rgb(247,247,247)');
    expect(scale.color(4)).not.toBe(scale.color(-4));
  });

  it('spans [min, max] when sequential and ignores non-finite values', () => {
    const scale = colorScale([2, Infinity, 5, NaN], false);
    expect([scale.min, scale.max]).toEqual([2, 5]);
  });
});

describe('lineChartSvg', () => {
  it('draws positive points on log axes and counts the ones it cannot draw', () => {
    const svg = lineChartSvg(
      [
        {
          name: 'e',
          points: [
            [1e-1, 1e-3],
            [1e-2, 0],
            [1e-3, 1e-7],
            [1e-4, Infinity],
          ],
        },
      ],
      {
        title: 't',
        xLabel: 'h',
        yLabel: 'err',
      },
    );
    expect(count(svg, /data-point="/g)).toBe(2);
    expect(svg).toContain('data-dropped="2"');
  });

  it('sweepChartSvg draws the absolute and the relative series', () => {
    const rows = [1e-1, 1e-2, 1e-3].map((eps) => ({ eps, maxAbsError: eps * eps, maxRelError: eps }));
    const svg = sweepChartSvg(rows, { title: 'sweep' });
    expect(count(svg, /data-point="0,/g)).toBe(3);
    expect(count(svg, /data-point="1,/g)).toBe(3);
  });
});

describe('recordedGraph', () => {
  const build = () => {
    const random = rng(7);
    const x = randn([3, 4], { rng: random, requiresGrad: true });
    const w = randn([4, 4], { rng: random, requiresGrad: true });
    const q = withLabel('projection', () => matmul(x, w));
    const p = withLabel('softmax', () => softmax(scale(matmulTransposed(q, q, false, true), 0.5)));
    return { x, w, q, p };
  };

  it('has one node per recorded tensor and one edge per op input, with stage labels and rules from derivations', () => {
    const { x, w, p } = build();
    const graph = recordedGraph(
      [p],
      new Map([
        [x, 'X'],
        [w, 'W'],
      ]),
    );
    expect(graph.nodes.map((node) => node.op)).toEqual([null, null, 'matmul', 'matmul', 'scale', 'softmax']);
    expect(graph.nodes.map((node) => node.name).slice(0, 2)).toEqual(['X', 'W']);
    expect(graph.edges).toHaveLength(2 + 2 + 1 + 1);
    const softmaxNode = graph.nodes.find((node) => node.op === 'softmax')!;
    expect(softmaxNode.stage).toBe('softmax');
    expect(softmaxNode.rule).toBe(derivations.softmax.backward.x);
    expect(softmaxNode.shape).toEqual([3, 3]);
  });

  it('shows constant inputs as dashed leaves', () => {
    const x = randn([2, 2], { rng: rng(3), requiresGrad: true });
    const graph = recordedGraph([matmul(x, zeros([2, 2]))]);
    expect(graph.nodes.filter((node) => node.constant)).toHaveLength(1);
  });

  it('prints DOT and Mermaid with a node per tensor, an edge per input and the backward rule', () => {
    const { p } = build();
    const graph = recordedGraph([p]);
    const dot = graphToDot(graph);
    expect(count(dot, / -> /g)).toBe(graph.edges.length);
    expect(dot).toContain('subgraph cluster_');
    expect(dot).toContain(derivations.matmul.backward.a);
    const mermaid = graphToMermaid(graph, { rules: false });
    expect(mermaid.startsWith('flowchart TD')).toBe(true);
    expect(count(mermaid, / --> /g)).toBe(graph.edges.length);
    expect(mermaid).not.toContain(derivations.matmul.backward.a);
    const svg = graphSvg(graph);
    expect(count(svg, /class="graph-node"/g)).toBe(graph.nodes.length);
    expect(count(svg, /class="graph-edge"/g)).toBe(graph.edges.length);
  });

  it('refuses a graph that backward has freed', () => {
    const { p } = build();
    p.backward(randn(p.shape, { rng: rng(2) }));
    expect(() => recordedGraph([p])).toThrow(/freed by a backward pass/);
  });
});

describe('renderPage', () => {
  it('writes a self-contained page: sections with ids, a table of contents, no external references', () => {
    const html = renderPage({
      title: 'T & t',
      lang: 'ko',
      sections: [
        { id: 'a', title: 'A', html: '<p>x</p>', data: { stage: 'softmax' } },
        { id: 'b', title: 'B', html: '' },
      ],
    });
    expect(html).toContain('<html lang="ko">');
    expect(html).toContain('<section id="a" class="report-section" data-stage="softmax">');
    expect(html).toContain('<a href="#b">B</a>');
    expect(html).toContain('T &amp; t');
    expect(html).not.toMatch(/<script|<link|@import|url\(http|src="http/);
  });

  it('escapeHtml escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
