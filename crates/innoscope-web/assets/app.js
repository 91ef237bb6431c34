// innoscope dashboard: plain JavaScript over the JSON API (no build step,
// no external assets). Pages: overview, one per chapter, network explorer.
'use strict';

const T = {
  en: {
    overview: 'Overview', competition: 'Competition', cooperation: 'Cooperation',
    openness: 'Openness', industry: 'Industry', institutions: 'Policies and cases', network: 'Network explorer',
    datasets: 'Datasets', findings: 'Key findings', changes: 'Changes against the 2021 report', year: 'Year', economies: 'Economies',
    apply: 'Apply', default: 'default', svg: 'SVG', png: 'PNG', csv: 'Data (CSV)', loading: 'Loading…',
    source: 'Source', licence: 'Licence', coverage: 'Coverage', network_table: 'Network',
    search: 'Find a node', min_weight: 'Minimum link weight', partners: 'Partners',
    click_node: 'Click a node to list its partners.', no_data: 'No data',
    communities: 'Colour = community', field: 'Field / table', from: 'from', max_nodes: 'Max nodes',
    synthetic: 'SYNTHETIC DEMO DATA: generated, not real statistics',
    synthetic_data: 'synthetic demo data', microdata: 'patent microdata', from_default: 'year − 4',
  },
  zh: {
    overview: '概览', competition: '创新竞争', cooperation: '创新合作',
    openness: '创新开放', industry: '产业创新', institutions: '政策与案例', network: '网络浏览',
    datasets: '数据集', findings: '主要发现', changes: '与2021年报告相比的变化', year: '年份', economies: '经济体',
    apply: '更新', default: '默认', svg: 'SVG', png: 'PNG', csv: '数据（CSV）', loading: '加载中…',
    source: '来源', licence: '许可', coverage: '覆盖', network_table: '网络',
    search: '查找节点', min_weight: '最小连线权重', partners: '合作伙伴',
    click_node: '点击节点查看其合作伙伴。', no_data: '无数据',
    communities: '颜色 = 社区', field: '领域 / 表', from: '起始年', max_nodes: '最多节点',
    synthetic: '合成演示数据：程序生成，并非真实统计',
    synthetic_data: '合成演示数据', microdata: '专利微观数据', from_default: '参考年份－4',
  },
};
const CHAPTERS = ['competition', 'cooperation', 'openness', 'industry', 'institutions'];
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];

let lang = localStorage.getItem('innoscope.lang') || 'zh';
let specs = null;
const t = (k) => T[lang][k] || k;
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of kids) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
};

async function api(path) {
  const r = await fetch(path);
  if (!r.ok) {
    let msg = r.statusText;
    try { const j = await r.json(); msg = j.error.message + (j.error.param ? ` (${j.error.param})` : ''); } catch (_) { /* not JSON */ }
    throw new Error(msg);
  }
  return r;
}
const query = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v != null) q.set(k, v);
  const s = q.toString();
  return s ? '?' + s : '';
};

function renderNav() {
  const nav = document.getElementById('nav');
  nav.replaceChildren();
  const page = location.hash.slice(2) || 'overview';
  for (const p of ['overview', ...CHAPTERS, 'network']) {
    nav.append(el('a', { href: '#/' + p, class: page === p ? 'active' : '', 'data-testid': 'nav-' + p }, t(p)));
  }
  const b = document.getElementById('lang');
  b.textContent = lang === 'zh' ? 'EN' : '中文';
  document.documentElement.lang = lang;
}

async function overview(main) {
  const ds = await (await api('/api/datasets')).json();
  const rows = ds.datasets.map((d) => {
    const src = (d.series && d.series.length)
      ? el('cite', {}, [...new Set(d.series.map((s) => (lang === 'zh' && s.source_zh) || s.source))].join(lang === 'zh' ? '；' : '; '))
      : (d.patents ? t(d.patents.synthetic ? 'synthetic_data' : 'microdata') : '');
    const lic = (d.series && d.series.length)
      ? [...new Set(d.series.map((s) => (lang === 'zh' && s.licence_zh) || s.licence))].join(lang === 'zh' ? '；' : '; ') : '';
    return el('tr', {}, el('td', {}, el('code', {}, d.id)), el('td', {}, src), el('td', {}, lic));
  });
  main.append(el('div', { class: 'card' }, el('h2', {}, t('datasets')),
    el('table', { class: 'list', 'data-testid': 'datasets' },
      el('tr', {}, el('th', {}, 'id'), el('th', {}, t('source')), el('th', {}, t('licence'))), ...rows)));
  const box = el('div', { class: 'card' }, el('h2', {}, t('findings')));
  const list = el('ul', { class: 'findings', 'data-testid': 'overview-findings' });
  box.append(list);
  main.append(box);
  const changes = el('ul', { class: 'findings', 'data-testid': 'overview-changes' });
  main.append(el('div', { class: 'card' }, el('h2', {}, t('changes')), changes));
  for (const id of ['C1', 'C2', 'C5', 'K1', 'F2']) {
    try {
      const r = await (await api(`/api/analyses/${id}`)).json();
      const f = r.tables[0].findings[0];
      const stamp = stampEl(r.tables[0]);
      if (f) list.append(el('li', {}, el('b', {}, id + ' '), ...(stamp ? [stamp, ' '] : []), f[lang]));
      const c = await (await api(`/api/analyses/${id}/changes`)).json();
      for (const line of c.changes.slice(0, 2)) changes.append(el('li', {}, el('b', {}, id + ' '), line[lang]));
    } catch (e) { list.append(el('li', { class: 'muted' }, `${id}: ${e.message}`)); }
  }
}

// The stamp on anything drawn from generated data (finding, figure, network).
function stampEl(table) {
  return table && table.synthetic ? el('span', { class: 'stamp', 'data-testid': 'stamp-' + table.id }, t('synthetic')) : null;
}
// Source and coverage of a table, one line, in the page's language.
function sourceLine(table) {
  // Each citation is a title (kept as written, in <cite>); licence and
  // vintage in the page's language.
  const parts = [];
  table.sources.forEach((x, i) => {
    if (i) parts.push(lang === 'zh' ? '；' : '; ');
    parts.push(el('cite', {}, lang === 'zh' ? x.source_zh : x.source));
    parts.push(lang === 'zh' ? `（${x.licence_zh}，${x.vintage_zh}）` : ` (${x.licence}, ${x.vintage})`);
  });
  if (!parts.length) parts.push('—');
  return el('p', { class: 'muted source' }, `${t('source')}${lang === 'zh' ? '：' : ': '}`, ...parts);
}

// Clicking a legend swatch in a figure hides or shows the marks of its colour.
function legendToggles(fig) {
  for (const sw of fig.querySelectorAll('svg rect[width="12.0"][height="12.0"]')) {
    const colour = sw.getAttribute('fill');
    sw.style.cursor = 'pointer';
    sw.addEventListener('click', () => {
      const off = sw.dataset.off !== '1';
      sw.dataset.off = off ? '1' : '0';
      sw.style.opacity = off ? '0.3' : '1';
      for (const m of fig.querySelectorAll('svg rect, svg circle, svg path, svg polyline')) {
        if (m === sw) continue;
        if (m.getAttribute('fill') === colour || m.getAttribute('stroke') === colour) m.style.opacity = off ? '0.08' : '';
      }
    });
  }
}

// A parameter's label in the page's language, from the schema (GET /api/analyses).
function paramLabel(p) {
  return (lang === 'zh' ? p.label_zh : p.label) || p.name;
}

function paramInputs(spec, values) {
  const inputs = {};
  const box = el('div', { class: 'controls' });
  for (const p of spec.params) {
    // The registry marks the parameters worth an input (GET /api/analyses).
    if (!p.primary) continue;
    const attrs = { name: p.name, title: lang === 'zh' ? p.help_zh : p.help, 'data-testid': `${spec.id}-${p.name}` };
    // A choice is a list: the analysis' default first (empty: not sent).
    const i = p.kind && p.kind.type === 'choice'
      ? el('select', attrs, el('option', { value: '' }, p.default ? `${p.default} (${t('default')})` : '—'),
        ...p.kind.values.map((v) => el('option', { value: v }, v)))
      : el('input', { ...attrs, placeholder: (lang === 'zh' && p.default_zh) || p.default, class: ['economies', 'query'].includes(p.name) ? 'wide' : '' });
    if (values[p.name]) i.value = values[p.name];
    inputs[p.name] = i;
    box.append(el('label', {}, paramLabel(p) + ' ', i));
  }
  return { box, inputs };
}

async function svgToPng(svgText, name) {
  const img = new Image();
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  await new Promise((ok, fail) => { img.onload = ok; img.onerror = fail; img.src = url; });
  const c = document.createElement('canvas');
  c.width = img.width * 2; c.height = img.height * 2;
  const g = c.getContext('2d');
  g.fillStyle = '#fff'; g.fillRect(0, 0, c.width, c.height);
  g.drawImage(img, 0, 0, c.width, c.height);
  URL.revokeObjectURL(url);
  c.toBlob((b) => download(b, name));
}
function download(blob, name) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a); a.click(); a.remove();
}

// A result table as HTML in the page's language (columns `…_en`/`…_zh`
// of the other language left out), with its findings.
function tableEl(table) {
  // The columns a page shows: the rule of ResultTable::page_columns
  // (innoscope-core), which the report uses.
  const other = lang === 'zh' ? '_en' : '_zh';
  const own = lang === 'zh' ? '_zh' : '_en';
  // A code column with its language variants beside it is for files.
  const names = new Set(table.columns.map((c) => c.name));
  // So is a code whose names follow it (`group`, `name_en`, `name_zh`),
  // except an economy's ISO code.
  const all = table.columns;
  const namedKey = (c, i) => c.name !== 'economy' && all[i + 1] && all[i + 1].name === 'name_en'
    && all[i + 2] && all[i + 2].name === 'name_zh';
  // A network's layout coordinates are for the drawing and the exports.
  const layout = table.figure && table.figure.kind === 'network' ? [table.figure.x, table.figure.y] : [];
  const cols = all.filter((c, i) => !c.name.endsWith(other) && !names.has(c.name + own) && !namedKey(c, i)
    && !layout.includes(c.name));
  // Codes read as their labels (`stayed` → 保持).
  const shown = (c, v) => (c.labels && c.labels[v] ? c.labels[v][lang] : v);
  const head = el('tr', {}, ...cols.map((c) => el('th', {}, c.label[lang])));
  const rows = [];
  const n = cols.length ? cols[0].values.data.length : 0;
  for (let r = 0; r < Math.min(n, 200); r++) {
    rows.push(el('tr', {}, ...cols.map((c) => el('td', {}, c.values.data[r] == null ? '' : shown(c, String(c.values.data[r]))))));
  }
  return el('div', { class: 'kbtable', 'data-testid': 'table-' + table.id },
    el('h3', {}, table.title[lang]), ...(stampEl(table) ? [stampEl(table)] : []),
    el('ul', { class: 'findings' }, ...table.findings.map((f) => el('li', {}, f[lang]))),
    el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows)));
}

async function analysisCard(spec, container) {
  const values = {};
  const card = el('div', { class: 'card', 'data-testid': 'card-' + spec.id });
  const body = el('div');
  const { box, inputs } = paramInputs(spec, values);
  const apply = el('button', { type: 'button', 'data-testid': `${spec.id}-apply` }, t('apply'));
  box.append(apply);
  card.append(el('h2', {}, `${spec.id} ${spec.title[lang]}`), box, body);
  container.append(card);
  const load = async () => {
    for (const [k, i] of Object.entries(inputs)) values[k] = i.value.trim();
    body.replaceChildren(el('p', { class: 'muted' }, t('loading')));
    try {
      const q = query(values);
      const r = await (await api(`/api/analyses/${spec.id}${q}`)).json();
      body.replaceChildren();
      for (const table of r.tables) {
        if (!table.figure) {
          // Tables without a figure (knowledge base, tiers): the table itself.
          if (spec.chapter === 'institutions') body.append(tableEl(table));
          continue;
        }
        const lq = query({ ...values, lang });
        const svg = await (await api(`/api/analyses/${spec.id}/figures/${table.id}.svg${lq}`)).text();
        const fig = el('div', { class: 'figure', 'data-testid': 'figure-' + table.id });
        fig.innerHTML = svg;
        legendToggles(fig);
        // Hover shows the value and where it comes from.
        const src = table.sources.map((x) => (lang === 'zh' ? `${t('source')}：${x.source_zh}（${x.vintage_zh}）` : `${t('source')}: ${x.source} (${x.vintage})`)).join('\n');
        if (src) for (const tt of fig.querySelectorAll('svg title')) tt.textContent += '\n' + src;
        const findings = el('ul', { class: 'findings' }, ...table.findings.map((f) => el('li', {}, f[lang])));
        const csvHref = `/api/analyses/${spec.id}/tables/${table.id}.csv${q}`;
        const dl = el('div', { class: 'downloads' },
          el('button', { type: 'button', onclick: () => download(new Blob([svg], { type: 'image/svg+xml' }), `${table.id}.${lang}.svg`) }, t('svg')),
          el('button', { type: 'button', onclick: () => svgToPng(svg, `${table.id}.${lang}.png`) }, t('png')),
          el('a', { href: csvHref, download: `${table.id}.csv`, 'data-testid': 'csv-' + table.id }, t('csv')));
        const stamp = stampEl(table);
        if (stamp) body.append(stamp);
        body.append(fig, findings, dl);
      }
      if (!body.children.length) body.append(el('p', { class: 'muted' }, t('no_data')));
    } catch (e) {
      body.replaceChildren(el('p', { class: 'error' }, e.message));
    }
  };
  apply.addEventListener('click', load);
  await load();
}

async function chapter(main, name) {
  for (const spec of specs.filter((s) => s.chapter === name)) {
    await analysisCard(spec, main);
  }
}

// Network explorer: canvas drawing of a network table (positions from the
// layout columns), pan and zoom, search, partners of the clicked node.
async function explorer(main) {
  const select = el('select', { 'data-testid': 'net-select' });
  const year = el('input', { placeholder: '2020', 'data-testid': 'net-year' });
  // Applicant networks (K3): the first year of the period and how many nodes to draw.
  const from = el('input', { placeholder: t('from_default'), 'data-testid': 'net-from' });
  const maxNodes = el('input', { placeholder: '40', 'data-testid': 'net-max-nodes' });
  const search = el('input', { placeholder: t('search'), 'data-testid': 'net-search' });
  const weight = el('input', { type: 'range', min: '0', max: '50', value: '0', 'data-testid': 'net-weight' });
  const wlabel = el('span', {}, '0');
  const canvas = el('canvas', { id: 'net', 'data-testid': 'net-canvas' });
  const partners = el('ol', { id: 'partners', 'data-testid': 'net-partners' });
  const title = el('p', { class: 'muted' }, t('click_node'));
  // What the drawn network is: its source, and the stamp when generated.
  const info = el('div', { 'data-testid': 'net-info' });
  main.append(el('div', { class: 'card' },
    el('div', { class: 'controls' }, el('label', {}, t('field') + ' ', select), el('label', {}, t('year') + ' ', year),
      el('label', {}, t('min_weight') + ' ', weight, wlabel), search,
      el('label', {}, 'K3: ' + t('from') + ' ', from), el('label', {}, t('max_nodes') + ' ', maxNodes)),
    el('div', { id: 'explorer' }, canvas, el('div', {}, el('h2', {}, t('partners')), title, partners)),
    info, el('p', { class: 'muted' }, t('communities'))));
  let net = null; let view = { x: 0, y: 0, k: 1 }; let selected = null;
  let loading = 0;
  const load = async () => {
    const ticket = ++loading;
    const keep = select.value;
    const options = [];
    for (const id of ['K1', 'K2', 'K3']) {
      try {
        const extra = id === 'K3' ? { 'base-year': from.value.trim(), 'max-nodes': maxNodes.value.trim() } : {};
        const r = await (await api(`/api/analyses/${id}${query({ year: year.value.trim(), ...extra })}`)).json();
        for (const tb of r.tables) if (tb.figure && tb.figure.kind === 'network') {
          // The analysis id, not the table's machine name (K2.medical).
          const o = el('option', { value: tb.id }, `${tb.id.split('.')[0]} ${tb.title[lang]}`);
          o.table = tb; options.push(o);
        }
      } catch (e) { /* that analysis has no data */ }
    }
    if (ticket !== loading) return; // a newer request replaced this one
    select.replaceChildren(...options);
    if (options.some((o) => o.value === keep)) select.value = keep;
    pick();
  };
  const col = (tb, name) => { const c = tb.columns.find((x) => x.name === name); return c ? c.values.data : null; };
  const pick = () => {
    const o = select.selectedOptions[0];
    if (!o) { net = null; info.replaceChildren(); draw(); return; }
    const tb = o.table; const f = tb.figure;
    info.replaceChildren(...[stampEl(tb), sourceLine(tb)].filter(Boolean));
    const ids = col(tb, 'economy') || col(tb, 'id');
    const names = col(tb, lang === 'zh' ? 'name_zh' : 'name_en') || ids;
    const xs = col(tb, f.x); const ys = col(tb, f.y); const size = col(tb, f.size); const group = col(tb, f.group);
    const nodes = ids.map((id, i) => ({ id, name: names[i], x: xs[i], y: ys[i], w: size[i] || 0, g: group ? group[i] : 0 }));
    const index = new Map(nodes.map((n, i) => [n.id, i]));
    const edges = f.edges.map((e) => ({ a: index.get(e.source), b: index.get(e.target), w: e.weight })).filter((e) => e.a != null && e.b != null);
    const maxw = Math.max(1, ...edges.map((e) => e.w));
    weight.max = String(Math.ceil(maxw));
    net = { nodes, edges, maxn: Math.max(1, ...nodes.map((n) => n.w)), maxw };
    selected = null; partners.replaceChildren(); title.textContent = t('click_node');
    view = { x: 0, y: 0, k: 1 };
    draw();
  };
  const pos = (n) => {
    const W = canvas.width; const H = canvas.height; const m = 40;
    return [m + n.x * (W - 2 * m) * view.k + view.x, m + n.y * (H - 2 * m) * view.k + view.y];
  };
  const radius = (n) => 3 + 18 * Math.sqrt(n.w / net.maxn) * Math.sqrt(view.k);
  const draw = () => {
    const started = performance.now();
    drawNow();
    window.innoscopeDrawMs = performance.now() - started;
  };
  const drawNow = () => {
    const r = canvas.getBoundingClientRect();
    canvas.width = r.width; canvas.height = r.height;
    const g = canvas.getContext('2d');
    g.clearRect(0, 0, canvas.width, canvas.height);
    if (!net) return;
    const minw = Number(weight.value); wlabel.textContent = weight.value;
    const q = search.value.trim().toLowerCase();
    const big = net.nodes.length > 2000;
    const near = new Set();
    if (selected != null) for (const e of net.edges) if (e.w >= minw && (e.a === selected || e.b === selected)) { near.add(e.a); near.add(e.b); }
    for (const e of net.edges) {
      if (e.w < minw) continue;
      const [x1, y1] = pos(net.nodes[e.a]); const [x2, y2] = pos(net.nodes[e.b]);
      const hot = selected != null && (e.a === selected || e.b === selected);
      g.strokeStyle = hot ? 'rgba(213,94,0,0.8)' : (selected != null ? 'rgba(150,150,150,0.12)' : 'rgba(120,120,120,0.35)');
      g.lineWidth = 0.5 + 5 * e.w / net.maxw;
      g.beginPath(); g.moveTo(x1, y1); g.lineTo(x2, y2); g.stroke();
    }
    net.nodes.forEach((n, i) => {
      const [x, y] = pos(n); const rad = radius(n);
      const dim = selected != null && !near.has(i) && i !== selected;
      g.globalAlpha = dim ? 0.2 : 0.85;
      g.fillStyle = PALETTE[(n.g - 1 + PALETTE.length) % PALETTE.length];
      g.beginPath(); g.arc(x, y, rad, 0, 2 * Math.PI); g.fill();
      const match = q && (n.name.toLowerCase().includes(q) || n.id.toLowerCase().includes(q));
      if (match || i === selected) { g.globalAlpha = 1; g.strokeStyle = '#d00'; g.lineWidth = 3; g.stroke(); }
      g.globalAlpha = dim ? 0.25 : 1;
      if ((!big && (net.nodes.length <= 80 || rad > 9)) || match || i === selected || near.has(i)) {
        // Right of the node, or left of it where the name would run off
        // the canvas; white halo over the edges.
        g.font = '12px sans-serif';
        const w = g.measureText(n.name).width;
        const right = x + rad + 3 + w <= canvas.width - 2;
        const lx = right ? x + rad + 3 : Math.max(2, x - rad - 3 - w);
        g.lineWidth = 3; g.strokeStyle = 'rgba(255,255,255,0.9)'; g.lineJoin = 'round';
        g.strokeText(n.name, lx, y + 4);
        g.fillStyle = '#222'; g.fillText(n.name, lx, y + 4);
      }
    });
    g.globalAlpha = 1;
  };
  const hit = (ev) => {
    if (!net) return null;
    const r = canvas.getBoundingClientRect(); const mx = ev.clientX - r.left; const my = ev.clientY - r.top;
    let best = null; let bd = Infinity;
    net.nodes.forEach((n, i) => { const [x, y] = pos(n); const d = Math.hypot(x - mx, y - my); if (d < radius(n) + 4 && d < bd) { bd = d; best = i; } });
    return best;
  };
  const showPartners = (i) => {
    selected = i; partners.replaceChildren();
    if (i == null) { title.textContent = t('click_node'); draw(); return; }
    const minw = Number(weight.value);
    const list = net.edges.filter((e) => e.w >= minw && (e.a === i || e.b === i))
      .map((e) => ({ n: net.nodes[e.a === i ? e.b : e.a], w: e.w })).sort((a, b) => b.w - a.w || a.n.name.localeCompare(b.n.name));
    title.textContent = net.nodes[i].name;
    for (const p of list) partners.append(el('li', {}, `${p.n.name} — ${p.w}`));
    draw();
  };
  let drag = null;
  canvas.addEventListener('mousedown', (ev) => { drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y, moved: false }; });
  window.addEventListener('mousemove', (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x; const dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    view.x = drag.vx + dx; view.y = drag.vy + dy; draw();
  });
  window.addEventListener('mouseup', (ev) => { if (drag && !drag.moved && ev.target === canvas) showPartners(hit(ev)); drag = null; });
  canvas.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const r = canvas.getBoundingClientRect(); const mx = ev.clientX - r.left; const my = ev.clientY - r.top;
    const f = ev.deltaY < 0 ? 1.15 : 1 / 1.15;
    // Zoom around the pointer: the point under it stays put.
    const m = 40; const k2 = Math.min(30, Math.max(0.3, view.k * f));
    const u = (mx - m - view.x) / view.k; const v = (my - m - view.y) / view.k;
    view.x = mx - m - u * k2; view.y = my - m - v * k2; view.k = k2; draw();
  }, { passive: false });
  select.addEventListener('change', pick);
  weight.addEventListener('input', () => showPartners(selected));
  search.addEventListener('input', draw);
  year.addEventListener('change', load);
  from.addEventListener('change', load);
  maxNodes.addEventListener('change', load);
  window.addEventListener('resize', draw);
  // For tests and scripts: the node positions on the canvas.
  window.innoscopeNetwork = () => net && net.nodes.map((n, i) => ({ id: n.id, name: n.name, xy: pos(n), i }));
  await load();
}

async function route() {
  renderNav();
  const main = document.getElementById('main');
  main.replaceChildren();
  const page = location.hash.slice(2) || 'overview';
  try {
    if (!specs) specs = (await (await api('/api/analyses')).json()).analyses;
    if (page === 'overview') await overview(main);
    else if (CHAPTERS.includes(page)) await chapter(main, page);
    else if (page === 'network') await explorer(main);
    else await overview(main);
  } catch (e) {
    main.append(el('p', { class: 'error' }, e.message));
  }
  document.body.dataset.ready = page;
}

document.getElementById('lang').addEventListener('click', () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('innoscope.lang', lang);
  route();
});
window.addEventListener('hashchange', route);
route();
