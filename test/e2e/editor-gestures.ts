import { expect, type Locator, type Page } from '@playwright/test'

/** Mouse gestures on the topology editor, shared by the editor and newcomer-walk specs. */

/** Drops a palette item on the canvas at (x, y) relative to the canvas's top-left corner. */
export async function drop(page: Page, kind: string, x: number, y: number): Promise<void> {
  await page
    .getByTestId(`palette-${kind}`)
    .dragTo(page.getByTestId('editor-canvas'), { targetPosition: { x, y } })
}

/** A component's connection handle on one side ('top', 'right', …). */
export function handle(page: Page, nodeId: string, side: string): Locator {
  return page.locator(`.vue-flow__handle[data-nodeid="${nodeId}"][data-handleid="${side}"]`)
}

export async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox()
  if (!box) throw new Error('element has no box')
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
}

/** Draws a connection between two handles with the mouse, then accepts the proposed link kind. */
export async function link(page: Page, from: Locator, to: Locator, kind: string): Promise<void> {
  const a = await centre(from)
  const b = await centre(to)
  await page.mouse.move(a.x, a.y)
  await page.mouse.down()
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 })
  await page.mouse.move(b.x, b.y, { steps: 5 })
  await page.mouse.up()
  const dialog = page.getByTestId('link-kind-dialog')
  await expect(dialog).toBeVisible()
  await expect(page.getByTestId(`link-kind-${kind}`)).toBeChecked()
  await page.getByTestId('link-kind-confirm').click()
  await expect(dialog).toBeHidden()
}
