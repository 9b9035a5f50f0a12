/* Cancel Atlas index: search, sort and filter every record of a listing.
 * Without JavaScript each page is a plain table of its share of the
 * records, linked to the others by the pager, and the tools are hidden
 * (noscript.css). The first use of a tool fetches /data/search.json, one
 * compact row per record, and the table then shows the matching records
 * of the whole listing, a page's worth at a time; with no search, filter or
 * sort left, the page's own rows and pager come back. A link to a row
 * (/#r-ID) lands on it, on whichever page of the listing holds it. */
(function () {
	"use strict";
	var table = document.getElementById("records");
	var tools = document.getElementById("tools");
	if (!table || !tools) return;
	var body = table.tBodies[0];
	var heads = table.tHead.rows[0].cells;
	var own = Array.prototype.slice.call(body.rows);
	var pager = document.getElementById("pager");
	var range = document.getElementById("range");
	var more = document.getElementById("more");
	var base = table.getAttribute("data-base") || "/";
	var perPage = +table.getAttribute("data-rows") || 100;
	var pageNo = +table.getAttribute("data-page") || 1;
	var scope = {
		industry: table.getAttribute("data-scope-industry"),
		juris: table.getAttribute("data-scope-juris"),
		stale: table.hasAttribute("data-scope-stale")
	};
	var q = document.getElementById("q");
	var fIndustry = document.getElementById("f-industry");
	var fJuris = document.getElementById("f-juris");
	var fGrade = document.getElementById("f-grade");
	var fStale = document.getElementById("f-stale");
	var count = document.getElementById("count");
	var total = count.textContent;
	var grades = "ABCDF";
	var all = null; /* the listing's records, in its own order */
	var loading = null;
	var sortKey = null, sortDir = null;
	var found = [], shown = 0;

	/* The search file's rows as objects; only the listing's, in the
	 * order its pages have them (/stale/: oldest review first). */
	function records(f) {
		var ind = f.industries, jur = f.jurisdictions;
		var v = f.rows.map(function (r, i) {
			return {
				/* Isolate marks around right-to-left names do not sort. */
				id: r[0], name: r[1],
				low: r[1].replace(/[\u2066-\u2069]/g, "").toLowerCase(),
				score: r[2], grade: r[3], policy: r[4],
				policyGrade: r[5], flow: r[6] === null ? -Infinity : r[6],
				flowGrade: r[7], gap: r[8] === null ? -Infinity : r[8],
				industrySlug: ind[r[9]][0], industry: ind[r[9]][1].toLowerCase(),
				industryName: ind[r[9]][1],
				jurisSlug: jur[r[10]][0], juris: jur[r[10]][1],
				reviewed: r[11], stale: r[12] === 1, fictional: r[13] === 1,
				cap: r[14], at: i
			};
		}).filter(function (d) {
			return (!scope.industry || d.industrySlug === scope.industry) &&
				(!scope.juris || d.jurisSlug === scope.juris) &&
				(!scope.stale || d.stale);
		});
		if (scope.stale)
			v.sort(function (a, b) {
				return a.reviewed < b.reviewed ? -1 : a.reviewed > b.reviewed ? 1 :
					a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
			});
		v.forEach(function (d, i) { d.at = i; });
		return v;
	}
	function load() {
		if (!loading) {
			count.textContent = "Loading every record\u2026";
			loading = fetch("/data/search.json").then(function (r) {
				if (!r.ok) throw new Error("HTTP " + r.status);
				return r.json();
			}).then(function (f) {
				all = records(f);
				return all;
			}, function (e) {
				count.textContent = "The search could not load (" + e.message +
					"); the pages list every record.";
				loading = null;
				throw e;
			});
		}
		return loading;
	}

	function el(name, cls, text) {
		var e = document.createElement(name);
		if (cls) e.className = cls;
		if (text !== undefined) e.textContent = text;
		return e;
	}
	function chip(cls, score, grade) {
		var td = el("td", cls);
		td.appendChild(document.createTextNode(score + " "));
		td.appendChild(el("span", "tg g-" + grade, grade));
		return td;
	}
	/* A row as the build writes it (templates/records-table.mustache). */
	function row(d) {
		var tr = el("tr");
		tr.id = "r-" + d.id;
		tr.setAttribute("data-industry", d.industrySlug);
		tr.setAttribute("data-juris", d.jurisSlug);
		if (d.stale) tr.setAttribute("data-stale", "1");
		var td = el("td"), a = el("a", "", d.name);
		a.href = "/c/" + encodeURIComponent(d.id) + "/";
		td.appendChild(a);
		if (d.fictional) {
			td.appendChild(document.createTextNode(" "));
			td.appendChild(el("span", "tag", "fictional"));
		}
		tr.appendChild(td);
		tr.appendChild(el("td", "num", String(d.score)));
		td = el("td");
		var g = el("span", "g g-" + d.grade, d.grade);
		td.appendChild(g);
		if (d.cap) {
			g.title = d.cap;
			td.appendChild(el("span", "visually-hidden", " (capped: " + d.cap + ")"));
		}
		tr.appendChild(td);
		var audited = d.flow !== -Infinity;
		tr.appendChild(chip(audited ? "num" : "num headline", d.policy, d.policyGrade));
		tr.appendChild(audited ? chip("num headline", d.flow, d.flowGrade) :
			el("td", "num no-audit", "pending"));
		tr.appendChild(el("td", "num", !audited ? "" : d.gap > 0 ? "+" + d.gap :
			d.gap < 0 ? "\u2212" + -d.gap : "0"));
		tr.appendChild(el("td", "", d.industryName));
		tr.appendChild(el("td", "", d.juris));
		td = el("td", "", d.reviewed);
		if (d.stale) {
			td.appendChild(document.createTextNode(" "));
			td.appendChild(el("span", "stale-tag", "due for review"));
		}
		tr.appendChild(td);
		return tr;
	}

	function cmp(key, a, b) {
		if (key === "name") key = "low";
		var x = a[key], y = b[key];
		if (key === "grade") return grades.indexOf(x) - grades.indexOf(y);
		return x < y ? -1 : x > y ? 1 : 0;
	}
	/* @key in direction @dir; ties as the build orders rows (higher
	 * score, better grade, then the listing's order). */
	function compare(key, dir) {
		return function (a, b) {
			var r = cmp(key, a, b);
			if (dir === "descending") r = -r;
			return r || cmp("score", b, a) || cmp("grade", a, b) || a.at - b.at;
		};
	}

	function grouped(n) {
		return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
	}
	function said(n) {
		return grouped(n) + (n === 1 ? " record" : " records");
	}
	function asked() {
		return q.value.trim() || fIndustry.value || fJuris.value ||
			fGrade.value || fStale.checked;
	}

	/* The next page's worth of the records found. */
	function showMore() {
		var frag = document.createDocumentFragment();
		var end = Math.min(found.length, shown + perPage);
		for (; shown < end; shown++) frag.appendChild(row(found[shown]));
		body.appendChild(frag);
		more.textContent = "Show " + Math.min(perPage, found.length - shown) +
			" more of " + grouped(found.length - shown) + " left";
		more.parentNode.hidden = shown >= found.length;
	}

	/* The page as the build wrote it. */
	function restore() {
		var frag = document.createDocumentFragment();
		own.forEach(function (tr) { frag.appendChild(tr); });
		body.textContent = "";
		body.appendChild(frag);
		if (pager) pager.hidden = false;
		if (range) range.hidden = false;
		more.parentNode.hidden = true;
		if (count.textContent !== total) count.textContent = total;
	}

	/* Show what the tools ask for: the matching records of the whole
	 * listing, or the page itself when they ask for nothing. */
	function apply() {
		var hash = location.hash;
		remember();
		if (!asked() && !sortKey) {
			restore();
			return;
		}
		load().then(function (v) {
			/* Cleared while the file was on its way. */
			if (!asked() && !sortKey) return;
			var words = q.value.trim().toLowerCase();
			var ind = fIndustry.value, jur = fJuris.value, grade = fGrade.value;
			var stale = fStale.checked;
			found = v.filter(function (d) {
				return (!words || d.low.indexOf(words) !== -1) &&
					(!ind || d.industrySlug === ind) &&
					(!jur || d.jurisSlug === jur) &&
					(!grade || d.grade === grade) &&
					(!stale || d.stale);
			});
			if (sortKey) found.sort(compare(sortKey, sortDir));
			body.textContent = "";
			shown = 0;
			showMore();
			if (pager) pager.hidden = true;
			if (range) range.hidden = true;
			var text = found.length === v.length ? said(v.length) :
				grouped(found.length) + " of " + said(v.length);
			if (count.textContent !== text) count.textContent = text;
			if (location.hash !== hash) relink();
		}, function () {});
	}

	/* A link to a row followed while the search file was on its way
	 * landed on a row that the found rows have since replaced: follow it
	 * again, so that the new row is the target. */
	function relink() {
		var id = targetId();
		if (!id) return;
		var tr = document.getElementById(id);
		if (tr && tr.parentNode === body) location.replace(location.href);
		else showTarget();
	}

	/* The row id the address names (#r-coursera), or null; a malformed
	 * address names no row. */
	function targetId() {
		var id;
		try {
			id = decodeURIComponent(location.hash.slice(1));
		} catch (e) {
			return null;
		}
		return /^r-/.test(id) ? id : null;
	}

	/* The tools' state in the address, so that it can be shared. */
	function remember() {
		var p = new URLSearchParams();
		if (q.value.trim()) p.set("q", q.value.trim());
		if (fIndustry.value) p.set("industry", fIndustry.value);
		if (fJuris.value) p.set("jurisdiction", fJuris.value);
		if (fGrade.value) p.set("grade", fGrade.value);
		if (fStale.checked) p.set("stale", "1");
		var s = p.toString();
		var url = location.pathname + (s ? "?" + s : "") + location.hash;
		if (url !== location.pathname + location.search + location.hash)
			history.replaceState(null, "", url);
	}

	/* The row the address points at (/#r-coursera): shown, whatever the
	 * tools say, and scrolled to below the table's sticky head; on
	 * another page of the listing, that page. */
	function showTarget() {
		var id = targetId();
		if (!id) return;
		var tr = document.getElementById(id);
		if (tr && tr.parentNode === body) {
			tr.scrollIntoView({ block: "start" });
			return;
		}
		if (asked() || sortKey) {
			q.value = fIndustry.value = fJuris.value = fGrade.value = "";
			fStale.checked = false;
			sort(null, null);
			apply();
		}
		tr = document.getElementById(id);
		if (tr && tr.parentNode === body) {
			tr.scrollIntoView({ block: "start" });
			return;
		}
		load().then(function (v) {
			for (var i = 0; i < v.length; i++) {
				if ("r-" + v[i].id !== id) continue;
				var k = Math.floor(i / perPage) + 1;
				if (k !== pageNo)
					location.replace((k > 1 ? base + "page/" + k + "/" : base) +
						"#" + encodeURIComponent(id));
				return;
			}
		}, function () {});
	}

	/* Sort by @key in direction @dir, or (null) as the build does. */
	function sort(key, dir) {
		sortKey = key;
		sortDir = dir;
		Array.prototype.forEach.call(heads, function (h, i) {
			var d = key ? h.getAttribute("data-sort") === key && dir : built[i];
			if (d) h.setAttribute("aria-sort", d);
			else h.removeAttribute("aria-sort");
		});
	}
	var built = Array.prototype.map.call(heads, function (h) {
		return h.getAttribute("aria-sort");
	});

	Array.prototype.forEach.call(heads, function (th) {
		var key = th.getAttribute("data-sort");
		if (!key) return;
		var button = document.createElement("button");
		button.type = "button";
		while (th.firstChild) button.appendChild(th.firstChild);
		th.appendChild(button);
		button.addEventListener("click", function () {
			var now = th.getAttribute("aria-sort");
			var dir = now === "descending" ? "ascending" :
				now === "ascending" ? "descending" :
				th.getAttribute("data-type") === "num" ? "descending" : "ascending";
			sort(key, dir);
			apply();
		});
	});

	[q, fIndustry, fJuris, fGrade, fStale].forEach(function (e) {
		e.addEventListener("input", apply);
	});
	more.addEventListener("click", showMore);
	window.addEventListener("hashchange", showTarget);
	/* A link to a row wins over the tools the address sets. */
	if (/^#r-/.test(location.hash)) {
		remember();
		showTarget();
		return;
	}
	var params = new URLSearchParams(location.search);
	if (params.get("q")) q.value = params.get("q");
	if (params.get("industry")) fIndustry.value = params.get("industry");
	if (params.get("jurisdiction")) fJuris.value = params.get("jurisdiction");
	if (params.get("grade")) fGrade.value = params.get("grade");
	if (params.get("stale")) fStale.checked = true;
	if (asked()) apply();
})();
