/* Cancel Atlas index: sort, filter and search the records table.
 * Without JavaScript the table is a plain, complete list and the tools
 * are hidden (noscript.css); this makes them work. Rows are read once;
 * sorting reorders them in one fragment. */
(function () {
	"use strict";
	var table = document.getElementById("records");
	var tools = document.getElementById("tools");
	if (!table || !tools) return;
	var body = table.tBodies[0];
	var rows = Array.prototype.slice.call(body.rows);
	var grades = "ABCDF";
	var data = rows.map(function (tr) {
		var c = tr.cells;
		/* Gaps print with a real minus sign: "\u22124", "+6". */
		var gap = c[5].textContent.trim().replace("\u2212", "-");
		return {
			tr: tr,
			/* Isolate marks around right-to-left names do not sort. */
			name: c[0].textContent.replace(/[\u2066-\u2069]/g, "").trim().toLowerCase(),
			score: parseInt(c[1].textContent, 10),
			grade: c[2].textContent.trim(),
			industry: c[3].textContent.trim().toLowerCase(),
			juris: c[4].textContent.trim(),
			gap: gap === "" ? -Infinity : parseInt(gap, 10),
			reviewed: c[6].textContent.trim(),
			industrySlug: tr.getAttribute("data-industry"),
			jurisSlug: tr.getAttribute("data-juris")
		};
	});
	var q = document.getElementById("q");
	var fIndustry = document.getElementById("f-industry");
	var fJuris = document.getElementById("f-juris");
	var fGrade = document.getElementById("f-grade");
	var count = document.getElementById("count");

	var params = new URLSearchParams(location.search);
	if (params.get("q")) q.value = params.get("q");
	if (params.get("industry")) fIndustry.value = params.get("industry");
	if (params.get("jurisdiction")) fJuris.value = params.get("jurisdiction");
	if (params.get("grade")) fGrade.value = params.get("grade");

	function compare(key, dir) {
		return function (a, b) {
			var x = a[key], y = b[key], r;
			if (key === "grade") r = grades.indexOf(x) - grades.indexOf(y);
			else if (typeof x === "number") r = x - y;
			else r = x < y ? -1 : x > y ? 1 : 0;
			if (r === 0) r = a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
			return dir === "ascending" ? r : -r;
		};
	}

	function apply() {
		var text = q.value.trim().toLowerCase();
		var ind = fIndustry.value, jur = fJuris.value, grade = fGrade.value;
		var shown = 0;
		for (var i = 0; i < data.length; i++) {
			var d = data[i];
			var ok = (!text || d.name.indexOf(text) !== -1) &&
				(!ind || d.industrySlug === ind) &&
				(!jur || d.jurisSlug === jur) &&
				(!grade || d.grade === grade);
			d.tr.hidden = !ok;
			if (ok) shown++;
		}
		var text = shown === data.length ? records(data.length) :
			grouped(shown) + " of " + records(data.length);
		/* Unchanged text is not written again: the page loads with the
		 * full count, and a write would be a needless relayout. */
		if (count.textContent !== text) count.textContent = text;
	}

	/* As the build writes counts: "1,001 records", "1 record". */
	function grouped(n) {
		return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
	}
	function records(n) {
		return grouped(n) + (n === 1 ? " record" : " records");
	}

	var heads = table.tHead.rows[0].cells;
	Array.prototype.forEach.call(heads, function (th) {
		var key = th.getAttribute("data-sort");
		if (!key) return;
		var button = document.createElement("button");
		button.type = "button";
		button.textContent = th.textContent;
		th.textContent = "";
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

	[q, fIndustry, fJuris, fGrade].forEach(function (el) {
		el.addEventListener("input", apply);
	});
	apply();
})();
