/* Cancel Atlas index: sort, filter and search the records table.
 * Without JavaScript the table is a plain, complete list and the tools
 * are hidden (noscript.css); this makes them work. Rows are read once;
 * sorting reorders them in one fragment. A link to a row (/#r-ID) lands
 * on it even when the address also filters it out. */
(function () {
	"use strict";
	var table = document.getElementById("records");
	var tools = document.getElementById("tools");
	if (!table || !tools) return;
	var body = table.tBodies[0];
	var heads = table.tHead.rows[0].cells;
	var col = {};
	Array.prototype.forEach.call(heads, function (th, i) {
		col[th.getAttribute("data-sort")] = i;
	});
	var grades = "ABCDF";
	/* "75 B", "\u22124" (a real minus sign), "pending", "": a number or
	 * -Infinity, so rows without one sort last. */
	function num(cell) {
		var n = parseInt(cell.textContent.trim().replace("\u2212", "-"), 10);
		return isNaN(n) ? -Infinity : n;
	}
	function text(cell) {
		/* Isolate marks around right-to-left names do not sort. */
		return cell.textContent.replace(/[\u2066-\u2069]/g, "").trim();
	}
	var data = Array.prototype.map.call(body.rows, function (tr, i) {
		var c = tr.cells;
		return {
			tr: tr,
			at: i, /* the build's order: the last tie-break */
			name: text(c[col.name].firstChild || c[col.name]).toLowerCase(),
			score: num(c[col.score]),
			grade: text(c[col.grade]).charAt(0),
			policy: num(c[col.policy]),
			flow: num(c[col.flow]),
			gap: num(c[col.gap]),
			industry: text(c[col.industry]).toLowerCase(),
			juris: text(c[col.juris]),
			reviewed: text(c[col.reviewed]),
			industrySlug: tr.getAttribute("data-industry"),
			jurisSlug: tr.getAttribute("data-juris"),
			stale: tr.hasAttribute("data-stale")
		};
	});
	var q = document.getElementById("q");
	var fIndustry = document.getElementById("f-industry");
	var fJuris = document.getElementById("f-juris");
	var fGrade = document.getElementById("f-grade");
	var fStale = document.getElementById("f-stale");
	var count = document.getElementById("count");

	var params = new URLSearchParams(location.search);
	if (params.get("q")) q.value = params.get("q");
	if (params.get("industry")) fIndustry.value = params.get("industry");
	if (params.get("jurisdiction")) fJuris.value = params.get("jurisdiction");
	if (params.get("grade")) fGrade.value = params.get("grade");
	if (params.get("stale")) fStale.checked = true;

	function cmp(key, a, b) {
		var x = a[key], y = b[key];
		if (key === "grade") return grades.indexOf(x) - grades.indexOf(y);
		if (typeof x === "number") return x === y ? 0 : x < y ? -1 : 1;
		return x < y ? -1 : x > y ? 1 : 0;
	}
	/* @key in direction @dir; ties as the build orders rows (higher
	 * score, better grade, then name), whichever way @key runs. */
	function compare(key, dir) {
		return function (a, b) {
			var r = cmp(key, a, b);
			if (dir === "descending") r = -r;
			return r || cmp("score", b, a) || cmp("grade", a, b) || a.at - b.at;
		};
	}

	function apply() {
		var words = q.value.trim().toLowerCase();
		var ind = fIndustry.value, jur = fJuris.value, grade = fGrade.value;
		var stale = fStale.checked;
		var shown = 0;
		for (var i = 0; i < data.length; i++) {
			var d = data[i];
			var ok = (!words || d.name.indexOf(words) !== -1) &&
				(!ind || d.industrySlug === ind) &&
				(!jur || d.jurisSlug === jur) &&
				(!grade || d.grade === grade) &&
				(!stale || d.stale);
			d.tr.hidden = !ok;
			if (ok) shown++;
		}
		var said = shown === data.length ? records(data.length) :
			grouped(shown) + " of " + records(data.length);
		/* Unchanged text is not written again: the page loads with the
		 * full count, and a write would be a needless relayout. */
		if (count.textContent !== said) count.textContent = said;
	}

	/* As the build writes counts: "1,001 records", "1 record". */
	function grouped(n) {
		return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
	}
	function records(n) {
		return grouped(n) + (n === 1 ? " record" : " records");
	}

	/* The row the address points at (/#r-coursera): shown, whatever the
	 * filters say, and scrolled to below the table's sticky head. */
	function showTarget() {
		var id;
		try {
			id = decodeURIComponent(location.hash.slice(1));
		} catch (e) {
			return; /* a malformed address names no row */
		}
		var tr = id && document.getElementById(id);
		if (!tr || tr.parentNode !== body) return;
		if (tr.hidden) {
			q.value = fIndustry.value = fJuris.value = fGrade.value = "";
			fStale.checked = false;
			apply();
		}
		tr.scrollIntoView({ block: "start" });
	}

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
			Array.prototype.forEach.call(heads, function (h) {
				h.removeAttribute("aria-sort");
			});
			th.setAttribute("aria-sort", dir);
			data.sort(compare(key, dir));
			var frag = document.createDocumentFragment();
			for (var i = 0; i < data.length; i++) frag.appendChild(data[i].tr);
			body.appendChild(frag);
		});
	});

	[q, fIndustry, fJuris, fGrade, fStale].forEach(function (el) {
		el.addEventListener("input", apply);
	});
	window.addEventListener("hashchange", showTarget);
	apply();
	if (location.hash) showTarget();
})();
