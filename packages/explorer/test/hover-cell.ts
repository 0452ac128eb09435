import type { Page } from 'playwright-core';
import { CELL } from '../src/app/heatmap';

/**
 * Moves the pointer over a heatmap cell: the cells are the canvas's accessible fallback (not laid
 * out), the picture is the canvas, so the pointer goes to the cell's place on the canvas.
 */
export async function hoverCell(page: Page, selector: string): Promise<void> {
  const canvas = await page.$(`canvas:has(${selector})`);
  if (canvas === null) throw new Error(`no heatmap holds ${selector}`);
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const { rows, cols, flat } = await page.$eval(selector, (cell) => {
    const map = cell.closest('canvas')!;
    return { rows: Number(map.dataset.rows), cols: Number(map.dataset.cols), flat: Number((cell as HTMLElement).dataset.flat) };
  });
  const slice = Math.floor(flat / (rows * cols));
  const row = Math.floor(flat / cols) % rows;
  const x = box.x + (flat % cols) * CELL.width + CELL.width / 2;
  const y = box.y + slice * (rows * CELL.height + CELL.gap) + row * CELL.height + CELL.height / 2;
  await page.mouse.move(x, y);
}
