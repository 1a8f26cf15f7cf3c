import { expect, test } from '@playwright/test'
import { e2eEnv } from './env'

/** A user policy with a syntax error on line 9 (a missing parenthesis). */
const BROKEN = `export default {
  name: 'e2e promote',
  description: 'promotes sampled pages below the top tier',
  knobs: { period: { default: 499, min: 1, unit: 'accesses' } },
  subscriptions: (k) => ({ samples: { period: k.period } }),
  reclaim: () => ({ demotionEnabled: true, balanceTo: 'high' }),
  create(knobs, ctx) {
    return {
      onSamples(samples, ctx) { for (const s of samples) if (!ctx.isTopTier(s.node) ctx.migrate(s.frame, 0, 'async') },
    }
  },
}
`
const FIXED = BROKEN.replace('!ctx.isTopTier(s.node) ctx', '!ctx.isTopTier(s.node)) ctx')

function viewUrl(hash: string): string {
  const url = new URL(e2eEnv('url'))
  url.hash = hash
  return url.toString()
}

test('writes a policy, gets a completion and an inline error, fixes it, tries it and compares it with a built-in', async ({
  page,
}) => {
  test.setTimeout(240_000)
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`))
  await page.goto(viewUrl('#/policies'))
  await expect(page.getByTestId('policy-editor').locator('.cm-content')).toBeVisible()
  // The starting template has arrived (it names the copy) before the user names the script.
  await expect(page.getByTestId('policy-name')).toHaveValue('promote-sampled-copy.js')
  await page.getByTestId('policy-name').fill('e2e-promote.js')
  await page.getByTestId('policy-name').press('Tab')

  // Replace the template with the broken script: the sandbox reports line 9, underlined.
  const content = page.getByTestId('policy-editor').locator('.cm-content')
  await content.click()
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.insertText(BROKEN)
  await expect(page.getByTestId('policy-problems')).toContainText('line 9')
  await expect(page.getByTestId('policy-problems')).toContainText('syntax error')
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(1)
  await expect(page.getByTestId('policy-try')).toBeDisabled()

  // Completion from the policy API: ctx.nodeF offers nodeFreeBytes.
  await page.keyboard.press('ControlOrMeta+End')
  await page.keyboard.type('ctx.nodeF')
  const completion = page.locator('.cm-tooltip-autocomplete')
  await expect(completion).toContainText('nodeFreeBytes')
  await page.keyboard.press('Escape')

  // The fix: the error goes, the sandbox names the policy and its knob.
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.insertText(FIXED)
  await expect(page.getByTestId('policy-status')).toContainText(
    'Loads in the sandbox: “e2e promote”, knobs period',
  )
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(0)

  await page.getByTestId('policy-save').click()
  await expect(page.getByTestId('policy-notice')).toContainText('Saved e2e-promote.js, version 1')
  await expect(page.getByTestId('saved-e2e-promote.js')).toBeVisible()

  // Try: the script and first-touch run on the same small machine, then both open in Compare.
  await page.getByTestId('policy-try').click()
  await expect(page.getByTestId('try-status-script')).toHaveText('done', { timeout: 180_000 })
  await expect(page.getByTestId('try-status-baseline')).toHaveText('done', { timeout: 60_000 })
  await page.getByTestId('policy-try-compare').click()
  const compared = page.getByTestId('compared-run')
  await expect(compared).toHaveCount(2)
  await expect(page.getByTestId('run-picker')).toContainText('script:e2e-promote.js')
  await expect(page.getByTestId('run-picker')).toContainText('first-touch')
})
