import { describe, expect, it } from 'vitest';
import { lineChart } from './app/charts';
import { escapeHtml } from './html';
import { lineChartSvg } from './line-chart';

describe('the shared line chart', () => {
  it('the page figure: caption, the series colours and dashes, linear axes by default, points as text alternative', () => {
    const html = lineChart(
      'ΔL <vs> δ',
      [
        {
          label: 'true',
          points: [
            [-1, -2],
            [0, 0],
            [1, 3],
          ],
          colour: '#b35806',
        },
        {
          label: 'linear',
          points: [
            [-1, -1],
            [1, 1],
          ],
          colour: '#2166ac',
          dash: true,
        },
      ],
      { xLabel: 'δ', yLabel: 'ΔL' },
    );
    expect(html.startsWith('<figure class="chart"><figcaption>ΔL &lt;vs&gt; δ</figcaption><svg')).toBe(true);
    // Negative and zero values are drawn on linear axes: nothing dropped (and, on the page, no markers).
    expect(html).toContain('data-dropped="0"');
    expect(html).not.toContain('data-point');
    expect(html).toMatch(/<polyline [^>]*stroke="#b35806" stroke-width="2"\/>/);
    expect(html).toMatch(/<polyline [^>]*stroke="#2166ac" stroke-width="2" stroke-dasharray="5 3"\/>/);
    expect(html).toContain('aria-label="ΔL &lt;vs&gt; δ. true: -1→-2, 0→0, 1→3; linear: -1→-1, 1→1"');
    // The caption shows the title: not drawn a second time inside the chart.
    expect(html).not.toContain('font-weight="600"');
  });

  it('log axes leave out what they cannot draw and count it', () => {
    const svg = lineChartSvg(
      [
        {
          name: 'e',
          points: [
            [1e-1, 1e-3],
            [1e-2, 0],
            [1e-3, 1e-7],
          ],
        },
      ],
      { title: 't', xLabel: 'h', yLabel: 'err' },
    );
    expect(svg).toContain('data-dropped="1"');
    expect(svg.match(/data-point="/g)?.length).toBe(2);
    expect(svg).toContain('font-weight="600">t</text>');
  });

  it('escapeHtml escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
