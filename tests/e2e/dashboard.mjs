// End-to-end test of the dashboard in real headless Chromium (Debian's
// /usr/bin/chromium) driven by playwright-core. Run by tests/e2e/run.sh,
// which builds innoscope, starts `innoscope serve` and installs
// playwright-core from the npm registry.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';

const base = process.env.INNOSCOPE_URL;
const shots = process.env.SHOTS_DIR;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
const CHAPTERS = ['competition', 'cooperation', 'openness', 'industry', 'institutions'];
const ready = (p) => page.waitForFunction((want) => document.body.dataset.ready === want, p, { timeout: 60000 });
const shot = async (name) => { if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: false }); };

// Overview in Chinese (the default), then English.
await page.goto(base + '/#/overview');
await ready('overview');
assert.match(await page.textContent('[data-testid=nav-competition]'), /创新竞争/);
assert.ok((await page.locator('[data-testid=datasets] tr').count()) > 3, 'datasets listed');
await page.waitForFunction(() => document.querySelectorAll('[data-testid=overview-findings] li').length >= 3);
await page.waitForFunction(() => document.querySelectorAll('[data-testid=overview-changes] li').length >= 1);
await shot('overview-zh');
await page.click('[data-testid=lang-switch]');
await ready('overview');
assert.match(await page.textContent('[data-testid=nav-competition]'), /Competition/);
await page.waitForFunction(() => document.querySelectorAll('[data-testid=overview-findings] li').length >= 3);
assert.match(await page.textContent('[data-testid=overview-findings]'), /[A-Za-z]{4}/);
// Every heading is a label, never a raw key.
const headings = await page.locator('#main h2').allTextContents();
assert.ok(headings.includes('Changes against the 2021 report'), headings.join('|'));
// The synthetic K1 finding (bundled patent demo) is stamped.
await page.waitForSelector('[data-testid=overview-findings] [data-testid=stamp-K1]');
assert.match(await page.textContent('[data-testid=stamp-K1]'), /SYNTHETIC/);

// A chapter: change the year of C5 and see the chart change.
await page.click('[data-testid=nav-competition]');
await ready('competition');
const fig = '[data-testid=figure-C5]';
await page.waitForSelector(fig + ' svg');
const before = await page.innerHTML(fig);
assert.match(before, /2020/);
await page.fill('[data-testid=C5-year]', '2015');
await page.click('[data-testid=C5-apply]');
await page.waitForFunction((sel) => document.querySelector(sel) && document.querySelector(sel).innerHTML.includes('2015'), fig);
assert.notEqual(await page.innerHTML(fig), before, 'the chart changed with the year');
// The seed's economy set is a choice on C1 and C2 (the registry marks
// `preset` primary): pick it and the figure states it.
const c2 = '[data-testid=figure-C2]';
await page.waitForSelector(c2 + ' svg');
assert.doesNotMatch(await page.innerHTML(c2), /report2021/);
await page.selectOption('[data-testid=C2-preset]', 'report2021');
await page.click('[data-testid=C2-apply]');
await page.waitForFunction((sel) => document.querySelector(sel) && document.querySelector(sel).innerHTML.includes('report2021'), c2);
// Legends toggle series: C1 has two series; hide the first.
const c1 = '[data-testid=figure-C1]';
await page.waitForSelector(c1 + ' svg');
await page.click(c1 + ' svg rect[width="12.0"][height="12.0"] >> nth=0');
assert.ok((await page.locator(c1 + ' svg rect[style*="opacity: 0.08"]').count()) > 3, 'legend click hides a series');
// Hover values come with the figure (SVG titles).
assert.ok((await page.locator(fig + ' svg title').count()) > 5);
assert.match(await page.locator(fig + ' svg title >> nth=3').textContent(), /Source: World Bank/);
await shot('competition-en');
// Download the data as CSV.
const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=csv-C5]')]);
const csv = fs.readFileSync(await dl.path(), 'utf8');
assert.match(csv, /^# /);
assert.match(csv, /2015/);

// Every chapter page loads its figures without errors.
for (const ch of ['cooperation', 'openness', 'industry']) {
  await page.click(`[data-testid=nav-${ch}]`);
  await ready(ch);
  assert.ok((await page.locator('.figure svg').count()) >= 1, `${ch} shows figures`);
  assert.equal(await page.locator('.card .error').count(), 0, `${ch} has no errors`);
}
await shot('cooperation-en');

// Policies and cases: search the knowledge base (Q3) and read the table.
await page.click('[data-testid=nav-institutions]');
await ready('institutions');
await page.waitForSelector('[data-testid=table-Q1]');
await page.fill('[data-testid=Q3-query]', '6G');
await page.click('[data-testid=Q3-apply]');
await page.waitForFunction(() => {
  const t = document.querySelector('[data-testid=table-Q3]');
  return t && /Hexa-X/.test(t.textContent) && !/Ginkgo/.test(t.textContent);
});
assert.equal(await page.locator('.card .error').count(), 0, 'institutions has no errors');
await shot('institutions-en');

// Network explorer: pick K1's network, click a node, see its partners.
await page.click('[data-testid=nav-network]');
await ready('network');
await page.waitForFunction(() => window.innoscopeNetwork && window.innoscopeNetwork() && window.innoscopeNetwork().length > 3);
const nodes = await page.evaluate(() => window.innoscopeNetwork());
// The drawn network says where it comes from, and that it is generated.
assert.match(await page.textContent('[data-testid=net-info]'), /SYNTHETIC DEMO DATA/);
assert.match(await page.textContent('[data-testid=net-info]'), /Source: /);
const box = await page.locator('[data-testid=net-canvas]').boundingBox();
// The first node (in id order) has links in every network: click it.
const target = nodes[0];
await page.mouse.click(box.x + target.xy[0], box.y + target.xy[1]);
await page.waitForFunction(() => document.querySelectorAll('[data-testid=net-partners] li').length > 0);
const partners = await page.locator('[data-testid=net-partners] li').allTextContents();
assert.ok(partners.length > 0 && partners.every((p) => / — \d/.test(p)), partners.join('|'));
await shot('network-en');
// Chinese labels in the explorer.
await page.click('[data-testid=lang-switch]');
await ready('network');
await shot('network-zh');

// One language per page: every zh page without English prose. Figures
// (SVG, scanned by the CLI test), citations (<cite>), ids and codes
// (<code>, backticks, words joined to . - / _ =) and the product's name
// are not prose.
const english = () => page.evaluate(() => {
  const out = new Set();
  const walk = (n) => {
    if (n.nodeType === 1 && ['svg', 'SVG', 'CODE', 'CITE', 'SCRIPT', 'STYLE', 'CANVAS', 'OPTION'].includes(n.tagName)) return;
    if (n.nodeType === 3) {
      const t = n.textContent.replace(/`[^`]*`/g, ' ');
      for (const m of t.matchAll(/(?<![\w./\-=])[a-z]{3,}(?![\w./\-=])/g)) if (m[0] !== 'innoscope') out.add(`${m[0]} in "${t.trim().slice(0, 80)}"`);
    }
    for (const c of n.childNodes) walk(c);
  };
  walk(document.body);
  return [...out];
});
for (const p of ['overview', ...CHAPTERS, 'network']) {
  await page.click(`[data-testid=nav-${p}]`);
  await ready(p);
  await page.waitForFunction(() => !document.body.innerText.includes('加载中'), null, { timeout: 60000 });
  assert.deepEqual(await english(), [], `English on the zh ${p} page`);
}

assert.deepEqual(errors, [], 'no script errors');
await browser.close();
console.log('e2e dashboard: ok');
