//! Weighted undirected networks (co-patenting between economies, and later
//! between applicants): metrics, communities, a deterministic layout, and
//! the exchange formats analysts load into other tools (GEXF for Gephi,
//! VOSviewer JSON, CSV edge lists).
//!
//! Invariant: everything here is deterministic. Nodes are kept in id order,
//! edges in (source, target) order, every iteration order is fixed, and the
//! random numbers of the layout and the community search come from a seeded
//! generator — the same network and seed give byte-identical output.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::rng::Rng;
use crate::table::CsvText;
use crate::text::{Lang, Text};

/// A node: an economy or an applicant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: String,
    pub label: Text,
    /// Node weight (size): e.g. the economy's co-applications in the field.
    pub weight: f64,
    /// Sum of the weights of the node's edges.
    pub degree: f64,
    /// Number of neighbours.
    pub partners: usize,
    /// Weighted betweenness centrality (distance = 1 / edge weight), normalised to [0, 1].
    pub betweenness: f64,
    /// Community index (0 = largest community).
    pub community: usize,
    /// Layout position in [0, 1] × [0, 1].
    pub x: f64,
    pub y: f64,
}

/// An undirected edge between `source` < `target` (indices into `nodes`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub source: usize,
    pub target: usize,
    pub weight: f64,
}

/// A network with its metrics and layout.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct Network {
    pub id: String,
    pub title: Text,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// How the weights were counted (printed with every export).
    pub basis: Text,
}

/// From this many nodes on, layouts use a grid and betweenness is estimated
/// from pivots, so that applicant networks of tens of thousands of nodes stay
/// fast; below it, both are exact (and unchanged).
pub const LARGE: usize = 500;
/// Source nodes of the betweenness estimate of a large network.
pub const PIVOTS: usize = 200;

/// One single-source pass of Brandes' algorithm on distance 1/weight:
/// shortest-path counts, predecessors and dependencies, reused across sources.
struct Paths {
    dist: Vec<f64>,
    sigma: Vec<f64>,
    delta: Vec<f64>,
    preds: Vec<Vec<usize>>,
    done: Vec<bool>,
    /// Nodes in the order they were settled.
    stack: Vec<usize>,
}

impl Paths {
    fn new(n: usize) -> Paths {
        Paths {
            dist: vec![f64::INFINITY; n],
            sigma: vec![0.0; n],
            delta: vec![0.0; n],
            preds: vec![Vec::new(); n],
            done: vec![false; n],
            stack: Vec::with_capacity(n),
        }
    }

    fn reset(&mut self, s: usize) {
        self.dist.fill(f64::INFINITY);
        self.sigma.fill(0.0);
        self.delta.fill(0.0);
        self.done.fill(false);
        for p in &mut self.preds {
            p.clear();
        }
        self.stack.clear();
        self.dist[s] = 0.0;
        self.sigma[s] = 1.0;
    }

    /// Settle `v` and relax its links; `improved(w, d)` hears of every
    /// shorter distance found.
    fn settle(&mut self, v: usize, links: &[(usize, f64)], mut improved: impl FnMut(usize, f64)) {
        self.done[v] = true;
        self.stack.push(v);
        for &(w, weight) in links {
            let d = self.dist[v] + 1.0 / weight;
            if d < self.dist[w] - 1e-12 {
                self.dist[w] = d;
                self.sigma[w] = self.sigma[v];
                self.preds[w].clear();
                self.preds[w].push(v);
                improved(w, d);
            } else if (d - self.dist[w]).abs() <= 1e-12 && !self.done[w] {
                self.sigma[w] += self.sigma[v];
                self.preds[w].push(v);
            }
        }
    }

    /// Add the dependencies of source `s` to `cb`.
    fn accumulate(&mut self, s: usize, cb: &mut [f64]) {
        while let Some(w) = self.stack.pop() {
            for &v in &self.preds[w] {
                self.delta[v] += self.sigma[v] / self.sigma[w] * (1.0 + self.delta[w]);
            }
            if w != s {
                cb[w] += self.delta[w];
            }
        }
    }
}

impl Network {
    /// Build from node weights and pair weights (pairs naming unknown nodes
    /// add them with weight 0). Nodes are sorted by id; metrics, communities
    /// and layout are computed with `seed`.
    pub fn build(
        id: &str,
        title: Text,
        basis: Text,
        nodes: impl IntoIterator<Item = (String, Text, f64)>,
        pairs: impl IntoIterator<Item = (String, String, f64)>,
        seed: u64,
    ) -> Network {
        let mut by_id: BTreeMap<String, (Text, f64)> = BTreeMap::new();
        for (id, label, w) in nodes {
            by_id.insert(id, (label, w));
        }
        let pairs: Vec<(String, String, f64)> = pairs.into_iter().collect();
        for (a, b, _) in &pairs {
            for x in [a, b] {
                by_id
                    .entry(x.clone())
                    .or_insert_with(|| (Text::same(x.clone()), 0.0));
            }
        }
        let index: BTreeMap<&String, usize> =
            by_id.keys().enumerate().map(|(i, k)| (k, i)).collect();
        let mut edge_map: BTreeMap<(usize, usize), f64> = BTreeMap::new();
        for (a, b, w) in &pairs {
            let (i, j) = (index[a], index[b]);
            if i == j || *w <= 0.0 {
                continue;
            }
            *edge_map.entry((i.min(j), i.max(j))).or_insert(0.0) += w;
        }
        let mut net = Network {
            id: id.to_string(),
            title,
            basis,
            nodes: by_id
                .into_iter()
                .map(|(id, (label, weight))| Node {
                    id,
                    label,
                    weight,
                    degree: 0.0,
                    partners: 0,
                    betweenness: 0.0,
                    community: 0,
                    x: 0.5,
                    y: 0.5,
                })
                .collect(),
            edges: edge_map
                .into_iter()
                .map(|((source, target), weight)| Edge {
                    source,
                    target,
                    weight,
                })
                .collect(),
        };
        net.metrics();
        net.communities(seed);
        net.layout(seed);
        net
    }

    fn adjacency(&self) -> Vec<Vec<(usize, f64)>> {
        let mut adj = vec![Vec::new(); self.nodes.len()];
        for e in &self.edges {
            adj[e.source].push((e.target, e.weight));
            adj[e.target].push((e.source, e.weight));
        }
        adj
    }

    /// Weighted degree, partners and weighted betweenness (Brandes, with
    /// Dijkstra on distance 1/weight: strong ties are short).
    fn metrics(&mut self) {
        let adj = self.adjacency();
        let n = self.nodes.len();
        for (i, node) in self.nodes.iter_mut().enumerate() {
            node.degree = adj[i].iter().map(|(_, w)| w).sum();
            node.partners = adj[i].len();
        }
        if n > LARGE {
            self.sampled_betweenness(&adj);
            return;
        }
        let mut cb = vec![0.0f64; n];
        let mut paths = Paths::new(n);
        for s in 0..n {
            paths.reset(s);
            loop {
                // Smallest tentative distance; ties to the lower index (deterministic).
                let mut v = usize::MAX;
                for i in 0..n {
                    if !paths.done[i]
                        && paths.dist[i].is_finite()
                        && (v == usize::MAX || paths.dist[i] < paths.dist[v])
                    {
                        v = i;
                    }
                }
                if v == usize::MAX {
                    break;
                }
                paths.settle(v, &adj[v], |_, _| {});
            }
            paths.accumulate(s, &mut cb);
        }
        // Undirected: each path counted twice; normalise by (n-1)(n-2).
        let norm = if n > 2 {
            ((n - 1) * (n - 2)) as f64
        } else {
            1.0
        };
        for (node, c) in self.nodes.iter_mut().zip(cb) {
            node.betweenness = c / norm;
        }
    }

    /// Betweenness of a large network, estimated from `PIVOTS` source nodes
    /// (Brandes and Pich 2007): shortest paths by Dijkstra with a binary heap
    /// (distance 1/weight), dependencies accumulated from every pivot and
    /// scaled by n / pivots. Pivots are spread evenly over the node order, so
    /// the estimate is deterministic.
    fn sampled_betweenness(&mut self, adj: &[Vec<(usize, f64)>]) {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let n = self.nodes.len();
        let pivots = PIVOTS.min(n);
        let mut cb = vec![0.0f64; n];
        let mut paths = Paths::new(n);
        for p in 0..pivots {
            let s = p * n / pivots;
            paths.reset(s);
            // Distances are positive floats: their bit patterns order like the values.
            let mut heap = BinaryHeap::new();
            heap.push(Reverse((0u64, s)));
            while let Some(Reverse((_, v))) = heap.pop() {
                if paths.done[v] {
                    continue;
                }
                paths.settle(v, &adj[v], |w, d| heap.push(Reverse((d.to_bits(), w))));
            }
            paths.accumulate(s, &mut cb);
        }
        let scale = n as f64 / pivots as f64;
        let norm = ((n - 1) * (n - 2)) as f64;
        for (node, c) in self.nodes.iter_mut().zip(cb) {
            // Rounded: an estimate should not look more precise than it is.
            node.betweenness = (c * scale / norm * 1e6).round() / 1e6;
        }
    }

    /// Louvain community detection (local moving + aggregation), node
    /// order shuffled by `seed`. Communities are numbered by size, then by
    /// their smallest node id.
    fn communities(&mut self, seed: u64) {
        let n = self.nodes.len();
        if n == 0 {
            return;
        }
        let mut rng = Rng::from_state(seed ^ 0xC0FF_EE00);
        // Current graph: adjacency with self-loops for aggregated communities.
        let mut adj: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); n];
        for e in &self.edges {
            *adj[e.source].entry(e.target).or_insert(0.0) += e.weight;
            *adj[e.target].entry(e.source).or_insert(0.0) += e.weight;
        }
        let mut member: Vec<usize> = (0..n).collect(); // original node -> current super node
        loop {
            let m = adj.len();
            let total: f64 = adj.iter().flat_map(|a| a.values()).sum::<f64>();
            if total <= 0.0 {
                break;
            }
            let k: Vec<f64> = adj.iter().map(|a| a.values().sum()).collect();
            let mut comm: Vec<usize> = (0..m).collect();
            let mut tot: Vec<f64> = k.clone();
            let mut order: Vec<usize> = (0..m).collect();
            for i in (1..m).rev() {
                let j = (rng.next_u64() % (i as u64 + 1)) as usize;
                order.swap(i, j);
            }
            let mut moved_any = false;
            for _round in 0..50 {
                let mut moved = false;
                for &v in &order {
                    let cv = comm[v];
                    let mut links: BTreeMap<usize, f64> = BTreeMap::new();
                    for (&u, &w) in &adj[v] {
                        if u != v {
                            *links.entry(comm[u]).or_insert(0.0) += w;
                        }
                    }
                    tot[cv] -= k[v];
                    let gain = |c: usize, l: f64| l - tot[c] * k[v] / total;
                    let mut best = (cv, gain(cv, links.get(&cv).copied().unwrap_or(0.0)));
                    for (&c, &l) in &links {
                        let g = gain(c, l);
                        if g > best.1 + 1e-12 {
                            best = (c, g);
                        }
                    }
                    tot[best.0] += k[v];
                    if best.0 != cv {
                        comm[v] = best.0;
                        moved = true;
                        moved_any = true;
                    }
                }
                if !moved {
                    break;
                }
            }
            if !moved_any {
                break;
            }
            // Aggregate.
            let mut renum: BTreeMap<usize, usize> = BTreeMap::new();
            for c in &comm {
                let next = renum.len();
                renum.entry(*c).or_insert(next);
            }
            let mut next_adj: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); renum.len()];
            for (v, a) in adj.iter().enumerate() {
                for (&u, &w) in a {
                    *next_adj[renum[&comm[v]]]
                        .entry(renum[&comm[u]])
                        .or_insert(0.0) += w;
                }
            }
            for mm in member.iter_mut() {
                *mm = renum[&comm[*mm]];
            }
            adj = next_adj;
        }
        // Number communities by size (desc), then smallest member index.
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, c) in member.iter().enumerate() {
            groups.entry(*c).or_default().push(i);
        }
        let mut list: Vec<Vec<usize>> = groups.into_values().collect();
        list.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
        for (ci, g) in list.iter().enumerate() {
            for &i in g {
                self.nodes[i].community = ci;
            }
        }
    }

    /// Where each node's community sits: on a ring around the centre, each
    /// community of two or more nodes at the middle of an arc as long as its
    /// share of those nodes, the largest first; `None` for single nodes and
    /// when there is only one such community (then everything gravitates to
    /// the centre, as in plain Fruchterman–Reingold).
    fn community_anchors(&self) -> Vec<Option<(f64, f64)>> {
        let mut size: BTreeMap<usize, usize> = BTreeMap::new();
        for x in &self.nodes {
            *size.entry(x.community).or_default() += 1;
        }
        let groups: Vec<(usize, usize)> = size.into_iter().filter(|(_, k)| *k >= 2).collect();
        if groups.len() < 2 {
            return vec![None; self.nodes.len()];
        }
        let total: usize = groups.iter().map(|(_, k)| k).sum();
        let mut at: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
        let mut start = 0.0;
        for (c, k) in &groups {
            let share = *k as f64 / total as f64;
            let angle = std::f64::consts::TAU * (start + share / 2.0);
            start += share;
            at.insert(*c, (0.5 + 0.32 * angle.cos(), 0.5 + 0.32 * angle.sin()));
        }
        self.nodes
            .iter()
            .map(|x| at.get(&x.community).copied())
            .collect()
    }

    /// Fruchterman–Reingold layout from seeded positions, normalised to the
    /// unit square, with the communities held apart: each community of two
    /// or more nodes has an anchor on a ring (an arc as long as its share of
    /// the nodes), its nodes start near it and gravity pulls them to it
    /// rather than to the centre, and ties across communities pull a quarter
    /// as hard as ties within. Groups then read as groups instead of one
    /// hairball; single nodes keep the centre's gravity.
    fn layout(&mut self, seed: u64) {
        let n = self.nodes.len();
        if n == 0 {
            return;
        }
        if n == 1 {
            self.nodes[0].x = 0.5;
            self.nodes[0].y = 0.5;
            return;
        }
        let mut rng = Rng::from_state(seed);
        let anchor = self.community_anchors();
        let mut pos: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let (jx, jy) = (rng.f64(), rng.f64());
                match anchor[i] {
                    Some((ax, ay)) => (ax + (jx - 0.5) * 0.2, ay + (jy - 0.5) * 0.2),
                    None => (jx, jy),
                }
            })
            .collect();
        let community: Vec<usize> = self.nodes.iter().map(|x| x.community).collect();
        let adj = self.adjacency();
        let max_w = self
            .edges
            .iter()
            .map(|e| e.weight)
            .fold(0.0, f64::max)
            .max(1e-9);
        let k = (1.0 / n as f64).sqrt();
        // Large networks: repulsion only between nodes in neighbouring grid
        // cells of side 2k (Fruchterman and Reingold's own grid variant), and
        // fewer rounds; small ones keep the exact all-pairs forces.
        let large = n > LARGE;
        let iterations = if large { 120 } else { 300 };
        let mut temp = 0.1;
        for _ in 0..iterations {
            let mut disp = vec![(0.0f64, 0.0f64); n];
            let repel = |i: usize, j: usize, disp: &mut Vec<(f64, f64)>| {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d = (dx * dx + dy * dy).sqrt().max(1e-6);
                if large && d > 2.0 * k {
                    return;
                }
                let f = k * k / d;
                disp[i].0 += dx / d * f;
                disp[i].1 += dy / d * f;
                disp[j].0 -= dx / d * f;
                disp[j].1 -= dy / d * f;
            };
            if large {
                let cell = 2.0 * k;
                let key =
                    |p: (f64, f64)| ((p.0 / cell).floor() as i64, (p.1 / cell).floor() as i64);
                let mut grid: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
                for (i, p) in pos.iter().enumerate() {
                    grid.entry(key(*p)).or_default().push(i);
                }
                for (&(cx, cy), members) in &grid {
                    for (a, &i) in members.iter().enumerate() {
                        for &j in &members[a + 1..] {
                            repel(i, j, &mut disp);
                        }
                    }
                    // Each neighbouring pair of cells once: right, below, and both diagonals below.
                    for (ox, oy) in [(1, 0), (-1, 1), (0, 1), (1, 1)] {
                        if let Some(others) = grid.get(&(cx + ox, cy + oy)) {
                            for &i in members {
                                for &j in others {
                                    repel(i, j, &mut disp);
                                }
                            }
                        }
                    }
                }
            } else {
                for i in 0..n {
                    for j in (i + 1)..n {
                        repel(i, j, &mut disp);
                    }
                }
            }
            for (i, nb) in adj.iter().enumerate() {
                for &(j, w) in nb {
                    if j <= i {
                        continue;
                    }
                    let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                    let d = (dx * dx + dy * dy).sqrt().max(1e-6);
                    // Heavier ties pull harder (sub-linearly); ties across
                    // communities a quarter as hard.
                    let across = if community[i] == community[j] {
                        1.0
                    } else {
                        0.25
                    };
                    let f = d * d / k * (0.3 + (w / max_w).sqrt()) * across;
                    disp[i].0 -= dx / d * f;
                    disp[i].1 -= dy / d * f;
                    disp[j].0 += dx / d * f;
                    disp[j].1 += dy / d * f;
                }
            }
            for i in 0..n {
                // Gravity keeps each community at its anchor and the
                // single nodes near the centre.
                let (cx, cy) = anchor[i].unwrap_or((0.5, 0.5));
                let (gx, gy) = (cx - pos[i].0, cy - pos[i].1);
                disp[i].0 += gx * k * 2.0;
                disp[i].1 += gy * k * 2.0;
                let d = (disp[i].0 * disp[i].0 + disp[i].1 * disp[i].1)
                    .sqrt()
                    .max(1e-9);
                let step = d.min(temp);
                pos[i].0 += disp[i].0 / d * step;
                pos[i].1 += disp[i].1 / d * step;
            }
            temp *= 0.985;
        }
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for p in &pos {
            x0 = x0.min(p.0);
            x1 = x1.max(p.0);
            y0 = y0.min(p.1);
            y1 = y1.max(p.1);
        }
        let (sx, sy) = ((x1 - x0).max(1e-9), (y1 - y0).max(1e-9));
        for (node, p) in self.nodes.iter_mut().zip(pos) {
            // Round so that tiny floating-point differences cannot leak into files.
            node.x = ((p.0 - x0) / sx * 1e6).round() / 1e6;
            node.y = ((p.1 - y0) / sy * 1e6).round() / 1e6;
        }
    }

    /// Rebuild a network from a result table carrying a
    /// [`crate::Figure::Network`] (node columns plus the figure's edges), so
    /// that every exported format comes from the table the report shows.
    pub fn from_table(t: &crate::ResultTable) -> Option<Network> {
        let crate::Figure::Network {
            id,
            size,
            x,
            y,
            group,
            edges,
            ..
        } = t.figure.as_ref()?
        else {
            return None;
        };
        let ids = t.column("economy").or_else(|| t.column("id"))?;
        let get = |c: &str, r: usize| t.column(c).and_then(|c| c.f64_at(r)).unwrap_or(0.0);
        let text = |c: &str, r: usize| t.column(c).and_then(|c| c.str_at(r)).map(str::to_string);
        let nodes: Vec<Node> = (0..t.n_rows())
            .map(|r| {
                let id = ids.str_at(r).unwrap_or("").to_string();
                let en = text("name_en", r).unwrap_or_else(|| id.clone());
                let zh = text("name_zh", r).unwrap_or_else(|| en.clone());
                Node {
                    label: Text::new(en, zh),
                    weight: get(size, r),
                    degree: get("weighted_degree", r),
                    partners: get("partners", r) as usize,
                    betweenness: get("betweenness", r),
                    community: (get(group, r) as usize).saturating_sub(1),
                    x: get(x, r),
                    y: get(y, r),
                    id,
                }
            })
            .collect();
        let index: BTreeMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let edges = edges
            .iter()
            .filter_map(|e| {
                let (a, b) = (
                    *index.get(e.source.as_str())?,
                    *index.get(e.target.as_str())?,
                );
                Some(Edge {
                    source: a.min(b),
                    target: a.max(b),
                    weight: e.weight,
                })
            })
            .collect();
        let basis = t
            .basis
            .first()
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| Text::same(""));
        Some(Network {
            id: id.clone(),
            title: t.title.clone(),
            nodes,
            edges,
            basis,
        })
    }

    /// The files of every export format: (file name, content).
    pub fn exports(&self) -> Vec<(String, String)> {
        let stem = self.id.replace('.', "-");
        let mut out = Vec::new();
        for lang in [Lang::En, Lang::Zh] {
            let l = lang.code();
            out.push((format!("{stem}.{l}.gexf"), self.to_gexf(lang)));
            out.push((
                format!("{stem}.{l}.vosviewer.json"),
                self.to_vosviewer_json(lang),
            ));
            out.push((format!("{stem}.{l}.edges.csv"), self.edges_csv(lang)));
            out.push((format!("{stem}.{l}.nodes.csv"), self.nodes_csv(lang)));
        }
        out
    }

    /// The node with the highest weighted degree (ties: smaller id).
    pub fn hub(&self) -> Option<&Node> {
        self.nodes.iter().max_by(|a, b| {
            a.degree
                .partial_cmp(&b.degree)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(b.id.cmp(&a.id))
        })
    }

    /// CSV edge list: `source,target,weight` with ids, plus labels.
    pub fn edges_csv(&self, lang: Lang) -> String {
        let mut out = CsvText::new();
        out.line(&format!("# {}", self.title.get(lang)))
            .line(&format!("# {}", self.basis.get(lang)))
            .record(["source", "target", "source_label", "target_label", "weight"]);
        for e in &self.edges {
            let (a, b) = (&self.nodes[e.source], &self.nodes[e.target]);
            out.record([
                a.id.as_str(),
                b.id.as_str(),
                a.label.get(lang),
                b.label.get(lang),
                &e.weight.to_string(),
            ]);
        }
        out.finish()
    }

    /// CSV node list with metrics.
    pub fn nodes_csv(&self, lang: Lang) -> String {
        let mut out = CsvText::new();
        out.record([
            "id",
            "label",
            "weight",
            "degree",
            "partners",
            "betweenness",
            "community",
            "x",
            "y",
        ]);
        for n in &self.nodes {
            out.record([
                n.id.clone(),
                n.label.get(lang).to_string(),
                n.weight.to_string(),
                n.degree.to_string(),
                n.partners.to_string(),
                format!("{:.6}", n.betweenness),
                n.community.to_string(),
                n.x.to_string(),
                n.y.to_string(),
            ]);
        }
        out.finish()
    }

    /// GEXF 1.3 (Gephi), with weight, metrics and the layout as positions.
    pub fn to_gexf(&self, lang: Lang) -> String {
        let mut o = String::new();
        o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        o.push_str("<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" version=\"1.3\">\n");
        let _ = writeln!(
            o,
            "  <meta>\n    <creator>innoscope</creator>\n    <description>{} — {}</description>\n  </meta>",
            xml(self.title.get(lang)),
            xml(self.basis.get(lang))
        );
        o.push_str("  <graph defaultedgetype=\"undirected\" mode=\"static\">\n");
        o.push_str("    <attributes class=\"node\">\n      <attribute id=\"weight\" title=\"weight\" type=\"double\"/>\n      <attribute id=\"degree\" title=\"weighted degree\" type=\"double\"/>\n      <attribute id=\"betweenness\" title=\"betweenness\" type=\"double\"/>\n      <attribute id=\"community\" title=\"community\" type=\"integer\"/>\n    </attributes>\n");
        o.push_str("    <nodes>\n");
        for n in &self.nodes {
            let size = 4.0 + n.weight.max(0.0).sqrt();
            let _ = writeln!(
                o,
                "      <node id=\"{}\" label=\"{}\">\n        <attvalues>\n          <attvalue for=\"weight\" value=\"{}\"/>\n          <attvalue for=\"degree\" value=\"{}\"/>\n          <attvalue for=\"betweenness\" value=\"{:.6}\"/>\n          <attvalue for=\"community\" value=\"{}\"/>\n        </attvalues>\n        <viz:position x=\"{:.3}\" y=\"{:.3}\" z=\"0.0\"/>\n        <viz:size value=\"{size:.3}\"/>\n      </node>",
                xml(&n.id),
                xml(n.label.get(lang)),
                n.weight,
                n.degree,
                n.betweenness,
                n.community,
                n.x * 1000.0,
                -n.y * 1000.0
            );
        }
        o.push_str("    </nodes>\n    <edges>\n");
        for (i, e) in self.edges.iter().enumerate() {
            let _ = writeln!(
                o,
                "      <edge id=\"{i}\" source=\"{}\" target=\"{}\" weight=\"{}\"/>",
                xml(&self.nodes[e.source].id),
                xml(&self.nodes[e.target].id),
                e.weight
            );
        }
        o.push_str("    </edges>\n  </graph>\n</gexf>\n");
        o
    }

    /// VOSviewer JSON (map and network in one file: `network.items` with
    /// positions, clusters and weights; `network.links` with strengths).
    pub fn to_vosviewer_json(&self, lang: Lang) -> String {
        let items: Vec<serde_json::Value> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                serde_json::json!({
                    "id": i + 1,
                    "label": n.label.get(lang),
                    "description": format!("{} ({})", n.label.get(lang), n.id),
                    "x": (n.x * 2.0 - 1.0),
                    "y": (1.0 - n.y * 2.0),
                    "cluster": n.community + 1,
                    "weights": {
                        "Co-applications": n.weight,
                        "Links": n.partners,
                        "Total link strength": n.degree,
                    },
                    "scores": { "Betweenness": (n.betweenness * 1e6).round() / 1e6 },
                })
            })
            .collect();
        let links: Vec<serde_json::Value> = self
            .edges
            .iter()
            .map(|e| {
                serde_json::json!({
                    "source_id": e.source + 1,
                    "target_id": e.target + 1,
                    "strength": e.weight,
                })
            })
            .collect();
        let doc = serde_json::json!({
            "config": {
                "terminology": {
                    "item": "economy", "items": "economies",
                    "link": "co-application link", "links": "co-application links",
                    "link_strength": "co-applications", "total_link_strength": "total co-applications",
                },
                "parameters": { "attraction": 2, "repulsion": 1 },
            },
            "network": { "items": items, "links": links },
            "innoscope": { "title": self.title.get(lang), "basis": self.basis.get(lang) },
        });
        let mut s = serde_json::to_string_pretty(&doc).expect("network serialises");
        s.push('\n');
        s
    }
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn star() -> Network {
        // US at the centre of a star, plus a separate CN–JP–KR triangle joined to US by a weak tie.
        let pairs = vec![
            ("US", "GB", 10.0),
            ("US", "DE", 8.0),
            ("US", "FR", 6.0),
            ("CN", "JP", 5.0),
            ("JP", "KR", 5.0),
            ("CN", "KR", 5.0),
            ("US", "CN", 1.0),
        ];
        Network::build(
            "t",
            Text::same("t"),
            Text::same("basis"),
            Vec::new(),
            pairs
                .into_iter()
                .map(|(a, b, w)| (a.to_string(), b.to_string(), w)),
            7,
        )
    }

    #[test]
    fn metrics_and_hub() {
        let n = star();
        let us = n.nodes.iter().find(|x| x.id == "US").unwrap();
        assert_eq!(us.degree, 25.0);
        assert_eq!(us.partners, 4);
        assert_eq!(n.hub().unwrap().id, "US");
        // US and CN lie on every path between the two groups.
        let max_b = n.nodes.iter().map(|x| x.betweenness).fold(0.0, f64::max);
        assert_eq!(us.betweenness, max_b);
        let gb = n.nodes.iter().find(|x| x.id == "GB").unwrap();
        assert_eq!(gb.betweenness, 0.0);
    }

    #[test]
    fn communities_are_laid_out_apart() {
        let n = star();
        let p = |id: &str| {
            let x = n.nodes.iter().find(|x| x.id == id).unwrap();
            (x.x, x.y)
        };
        let centroid = |ids: &[&str]| {
            let k = ids.len() as f64;
            let (sx, sy) = ids
                .iter()
                .map(|i| p(i))
                .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
            (sx / k, sy / k)
        };
        let d = |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
        let west = ["US", "GB", "DE", "FR"];
        let east = ["CN", "JP", "KR"];
        let (cw, ce) = (centroid(&west), centroid(&east));
        // Every node is nearer its own group's centre than the other's.
        for id in west {
            assert!(d(p(id), cw) < d(p(id), ce), "{id}");
        }
        for id in east {
            assert!(d(p(id), ce) < d(p(id), cw), "{id}");
        }
        // And the groups are apart: their centres further from each other
        // than any member from its own centre.
        let spread = west
            .iter()
            .map(|i| d(p(i), cw))
            .chain(east.iter().map(|i| d(p(i), ce)));
        assert!(spread.fold(0.0, f64::max) < d(cw, ce));
    }

    #[test]
    fn communities_split_the_groups() {
        let n = star();
        let c = |id: &str| n.nodes.iter().find(|x| x.id == id).unwrap().community;
        assert_eq!(c("US"), c("GB"));
        assert_eq!(c("CN"), c("JP"));
        assert_ne!(c("US"), c("CN"));
    }

    /// A network of `n` nodes in clusters of 20 with a few links between
    /// clusters, from a fixed generator.
    fn big(n: usize) -> Network {
        let mut rng = Rng::from_state(7);
        let nodes = (0..n).map(|i| {
            (
                format!("n{i:05}"),
                Text::same(format!("n{i}")),
                1.0 + (i % 7) as f64,
            )
        });
        let mut pairs = Vec::new();
        for i in 0..n {
            for _ in 0..2 {
                let j = if rng.f64() < 0.9 {
                    (i / 20) * 20 + (rng.f64() * 20.0) as usize
                } else {
                    (rng.f64() * n as f64) as usize
                };
                if j != i && j < n {
                    pairs.push((
                        format!("n{i:05}"),
                        format!("n{j:05}"),
                        1.0 + (rng.f64() * 4.0).floor(),
                    ));
                }
            }
        }
        Network::build("big", Text::same("big"), Text::same(""), nodes, pairs, 3)
    }

    #[test]
    fn large_networks_use_the_grid_layout_and_pivot_betweenness() {
        let a = big(10_500);
        assert_eq!(a.nodes.len(), 10_500);
        assert!(
            a.nodes
                .iter()
                .all(|n| (0.0..=1.0).contains(&n.x) && (0.0..=1.0).contains(&n.y))
        );
        assert!(
            a.nodes
                .iter()
                .all(|n| n.betweenness.is_finite() && n.betweenness >= 0.0)
        );
        assert!(a.nodes.iter().any(|n| n.betweenness > 0.0));
        // Clusters stay together: a node is nearer its cluster mates than the average node.
        let d = |i: usize, j: usize| {
            ((a.nodes[i].x - a.nodes[j].x).powi(2) + (a.nodes[i].y - a.nodes[j].y).powi(2)).sqrt()
        };
        let (mut within, mut across) = (0.0, 0.0);
        for i in (0..10_500).step_by(97) {
            within += d(i, (i / 20) * 20 + (i + 1) % 20);
            across += d(i, (i * 7919) % 10_500);
        }
        assert!(within * 2.0 < across, "within {within}, across {across}");
        // Deterministic on the large path too.
        assert_eq!(big(1_000).nodes, big(1_000).nodes);
    }

    #[test]
    fn deterministic_outputs() {
        let (a, b) = (star(), star());
        assert_eq!(a, b);
        assert_eq!(a.to_gexf(Lang::En), b.to_gexf(Lang::En));
        assert_eq!(a.to_vosviewer_json(Lang::Zh), b.to_vosviewer_json(Lang::Zh));
        for n in &a.nodes {
            assert!((0.0..=1.0).contains(&n.x) && (0.0..=1.0).contains(&n.y));
        }
        let gexf = a.to_gexf(Lang::En);
        assert!(gexf.contains("<edge id=\"0\" source=\"CN\" target=\"JP\" weight=\"5\"/>"));
        let v: serde_json::Value = serde_json::from_str(&a.to_vosviewer_json(Lang::En)).unwrap();
        assert_eq!(v["network"]["items"].as_array().unwrap().len(), 7);
        assert_eq!(v["network"]["links"].as_array().unwrap().len(), 7);
        assert!(a.edges_csv(Lang::En).contains("\nCN,JP,CN,JP,5\n"));
    }
}
